package dev.pop3d.auth.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.auth.PasswordHasher;
import dev.pop3d.auth.PasswordScheme;
import dev.pop3d.auth.ScramCredential;
import dev.pop3d.auth.UserStore;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.sasl.scram.ScramSaslClientFactory;

/**
 * Our SCRAM-SHA-256 server against the RFC 7677 §3 vector (messages fed verbatim, server nonce
 * fixed) and against WildFly Elytron's SCRAM client, an independent implementation.
 */
class ScramSha256MechanismTest {
    /** {@code doveadm pw -s SCRAM-SHA-256 -p secret}, Dovecot 2.3.19.1. */
    static final String DOVEADM_SECRET = "{SCRAM-SHA-256}4096,bhbdvqTjYc0kZAbsCnEZAA==,"
            + "GFk4g/wgtWsP1Q4SH49S60tIalbrW6n33Lou6P4hwbI=,3EHWpHZpSloAoBHvVvSnFjaswUHj2mXODL52N7HA7FM=";

    private final UserStore users = UserStore.of(Map.of(
            "dana", DOVEADM_SECRET,
            "erin", PasswordHasher.hash(PasswordScheme.SCRAM_SHA256, "pässwörd"),
            "plain", "{PLAIN}secret",
            "bcrypt", PasswordHasher.hash(PasswordScheme.BCRYPT, "secret", 4),
            "a,b=c", PasswordHasher.hash(PasswordScheme.SCRAM_SHA256, "odd")));
    private final ScramSha256Mechanism scram = new ScramSha256Mechanism(users::scramCredential);

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void rfc7677VectorByteForByte() {
        ScramCredential pencil = ScramCredential.derive("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        Supplier<String> rfcNonce = () -> "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        ScramSha256Mechanism server = new ScramSha256Mechanism(
                user -> user.equals("user") ? Optional.of(pencil) : Optional.empty(), rfcNonce, new byte[32]);

        SaslStep first = server.start(Optional.of(ascii("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")));
        SaslStep.Challenge challenge = assertInstanceOf(SaslStep.Challenge.class, first);
        assertEquals("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                text(challenge.data()));
        SaslStep last = challenge.next(ascii("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        SaslStep.Success success = assertInstanceOf(SaslStep.Success.class, last);
        assertEquals("user", success.user());
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", text(success.finalServerData().orElseThrow()));

        SaslStep.Challenge again = (SaslStep.Challenge) server.start(Optional.of(ascii("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")));
        assertEquals(new SaslStep.Failure(SaslStep.Reason.REJECTED), again.next(ascii(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=eHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")),
                "one bit off");
    }

    @Test
    void elytronClientLogsInAsADoveadmUserAndVerifiesOurSignature() throws Exception {
        assertEquals("dana", success(exchange(scram, "dana", "secret", true)).user());
        assertEquals("erin", success(exchange(scram, "erin", "pässwörd", true)).user());
        assertEquals("a,b=c", success(exchange(scram, "a,b=c", "odd", true)).user(), "RFC 5802 §5.1: =2C and =3D");
        assertEquals("dana", success(exchange(scram, "dana", "secret", false)).user(), "without initial response");
    }

    @Test
    void aWrongPasswordIsRejectedAtTheEnd() throws Exception {
        assertEquals(new SaslStep.Failure(SaslStep.Reason.REJECTED), exchange(scram, "dana", "Secret", true));
    }

    /** No enumeration: an unknown user and a user without SCRAM keys look like a real one. */
    @ParameterizedTest
    @ValueSource(strings = {"nobody", "plain", "bcrypt"})
    void usersWithoutScramKeysGetADecoyExchangeThatFailsLikeAWrongPassword(String user) throws Exception {
        assertEquals(new SaslStep.Failure(SaslStep.Reason.REJECTED), exchange(scram, user, "secret", true));
        String serverFirst = serverFirst(scram, user);
        String real = serverFirst(scram, "dana");
        assertTrue(serverFirst.matches("r=abc[A-Za-z0-9+/]{24},s=[A-Za-z0-9+/]{22}==,i=4096"), serverFirst);
        assertTrue(real.matches("r=abc[A-Za-z0-9+/]{24},s=[A-Za-z0-9+/]{22}==,i=4096"), real);
        assertEquals(salt(serverFirst), salt(serverFirst(scram, user)), "the decoy salt is stable, as a real one");
        assertNotEquals(salt(serverFirst), salt(serverFirst(scram, user + "x")));
    }

    @Test
    void serverNoncesAreFreshEveryTime() {
        assertNotEquals(serverFirst(scram, "dana").substring(0, 30), serverFirst(scram, "dana").substring(0, 30));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "p=tls-unique,,n=dana,r=abc", // channel binding: -PLUS is not offered
        "n,,m=ext,n=dana,r=abc", // RFC 5802 §5.1 m: unknown mandatory extension
        "n,,n=dana", "n,,r=abc,n=dana", "x,,n=dana,r=abc", "n,,n=,r=abc", "n,,n=dana,r=",
        "n,,n=da=na,r=abc", "n,,n=dana,r=a b\u0001", "n,x=y,n=dana,r=abc", "n,,n=dana,r=abc,1=x",
    })
    void malformedClientFirstMessages(String message) {
        assertEquals(new SaslStep.Failure(SaslStep.Reason.MALFORMED),
                scram.start(Optional.of(message.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void anEmptyInitialResponseGetsTheEmptyChallenge() {
        assertEquals(0, assertInstanceOf(SaslStep.Challenge.class, scram.start(Optional.of(new byte[0]))).data().length);
    }

    @Test
    void anAuthorizationIdentityOtherThanTheUserIsRejected() {
        assertEquals(new SaslStep.Failure(SaslStep.Reason.REJECTED), scram.start(Optional.of(ascii("n,a=erin,n=dana,r=abc"))));
        assertInstanceOf(SaslStep.Challenge.class, scram.start(Optional.of(ascii("n,a=dana,n=dana,r=abc"))));
    }

    @Test
    void malformedClientFinalMessages() {
        SaslStep.Challenge challenge = (SaslStep.Challenge) scram.start(Optional.of(ascii("n,,n=dana,r=abc")));
        String nonce = text(challenge.data()).substring(2, text(challenge.data()).indexOf(','));
        String proof = "p=" + Base64.getEncoder().encodeToString(new byte[32]);
        for (String bad : new String[] {
            "c=biws,r=" + nonce, // no proof
            "c=eSws,r=" + nonce + "," + proof, // "y,," although the client sent "n,,"
            "c=biws,r=" + nonce + "x," + proof, // nonce changed
            "c=biws,r=abc," + proof, // server nonce missing
            "r=" + nonce + ",c=biws," + proof, // order
            "c=biws,r=" + nonce + ",p=!!!", // proof not base64
            "c=biws,r=" + nonce + "," + proof + ",x=1", // proof not last
        }) {
            assertEquals(new SaslStep.Failure(SaslStep.Reason.MALFORMED), challenge.next(ascii(bad)), bad);
        }
        assertEquals(new SaslStep.Failure(SaslStep.Reason.REJECTED), challenge.next(ascii("c=biws,r=" + nonce + "," + proof)));
    }

    @Test
    void randomBytesNeverThrowNorSucceed() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String alphabet = "nyp,=arcm ABC123\0\u00ff";
        for (int i = 0; i < 2000; i++) {
            StringBuilder message = new StringBuilder();
            int length = random.nextInt(30);
            for (int k = 0; k < length; k++) {
                message.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            SaslStep step = scram.start(Optional.of(message.toString().getBytes(StandardCharsets.ISO_8859_1)));
            if (step instanceof SaslStep.Challenge challenge) {
                step = challenge.next(message.toString().getBytes(StandardCharsets.ISO_8859_1));
            }
            assertFalse(step instanceof SaslStep.Success, "seed " + seed + ": " + message);
        }
    }

    @Test
    void advertisesItselfAsNoPlaintextMechanism() {
        assertEquals("SCRAM-SHA-256", scram.name());
        assertFalse(scram.plaintext());
    }

    /** Runs Elytron's client against {@code server}; the client checks our ServerSignature. */
    static SaslStep exchange(SaslMechanism server, String user, String password, boolean initialResponse) throws Exception {
        SaslClient client = new ScramSaslClientFactory(WildFlyElytronPasswordProvider.getInstance()).createSaslClient(
                new String[] {"SCRAM-SHA-256"}, null, "pop", "localhost", Map.of(), callbacks -> {
                    for (Callback callback : callbacks) {
                        if (callback instanceof NameCallback name) {
                            name.setName(user);
                        } else if (callback instanceof PasswordCallback pass) {
                            pass.setPassword(password.toCharArray());
                        } else {
                            throw new UnsupportedCallbackException(callback);
                        }
                    }
                });
        assertTrue(client.hasInitialResponse());
        SaslStep step;
        if (initialResponse) {
            step = server.start(Optional.of(client.evaluateChallenge(new byte[0])));
        } else {
            SaslStep.Challenge empty = (SaslStep.Challenge) server.start(Optional.empty());
            assertEquals(0, empty.data().length);
            step = empty.next(client.evaluateChallenge(new byte[0]));
        }
        while (step instanceof SaslStep.Challenge challenge) {
            step = challenge.next(client.evaluateChallenge(challenge.data()));
        }
        if (step instanceof SaslStep.Success success) {
            byte[] last = client.evaluateChallenge(success.finalServerData().orElseThrow()); // throws if v= is wrong
            assertTrue(client.isComplete());
            assertTrue(last == null || last.length == 0, "the client answers v= with an empty response");
        }
        return step;
    }

    private static SaslStep.Success success(SaslStep step) {
        return assertInstanceOf(SaslStep.Success.class, step);
    }

    private static String serverFirst(SaslMechanism server, String user) {
        byte[] first = ("n,,n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=abc").getBytes(StandardCharsets.UTF_8);
        return text(((SaslStep.Challenge) server.start(Optional.of(first))).data());
    }

    private static String salt(String serverFirst) {
        return serverFirst.substring(serverFirst.indexOf(",s=") + 3, serverFirst.indexOf(",i="));
    }

    @Test
    void aForgedServerSignatureIsCaughtByTheClient() {
        SaslMechanism forging = new SaslMechanism() {
            public String name() { return scram.name(); }
            public boolean plaintext() { return false; }
            public int maxResponseOctets() { return scram.maxResponseOctets(); }
            public SaslStep start(Optional<byte[]> initial) { return forge(scram.start(initial)); }

            private SaslStep forge(SaslStep step) {
                if (step instanceof SaslStep.Challenge challenge) {
                    return new SaslStep.Challenge(challenge.data(), response -> forge(challenge.next(response)));
                }
                SaslStep.Success success = (SaslStep.Success) step;
                byte[] data = success.finalServerData().orElseThrow();
                data[5] ^= 1;
                return new SaslStep.Success(success.user(), Optional.of(data));
            }
        };
        assertInstanceOf(SaslException.class, org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> exchange(forging, "dana", "secret", true)));
    }
}

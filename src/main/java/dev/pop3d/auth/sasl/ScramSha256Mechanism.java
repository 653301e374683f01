package dev.pop3d.auth.sasl;

import dev.pop3d.auth.ScramCredential;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) against keys stored in Dovecot's format (ADR 0011): two
 * client messages, two server messages; the second server message ({@code v=ServerSignature})
 * is the final data of {@link SaslStep.Success}. No channel binding: {@code -PLUS} is not
 * offered and a client asking for it ({@code p=}) is refused.
 *
 * <p>No enumeration: an unknown user, and a user stored without SCRAM keys, gets a decoy
 * credential derived from a per-instance secret, so the salt it sees is stable and the exchange
 * costs what a real one costs; its proof never holds. Never blocks: the server side of SCRAM is a
 * few HMACs (the client pays for the iterations).
 */
public final class ScramSha256Mechanism implements SaslMechanism {
    /** Generous for a user name, a nonce and a few extensions (RFC 5802 §7). */
    static final int MAX_RESPONSE_OCTETS = 2048;
    /** Server nonce: 18 random octets as 24 base64 characters, all printable and without ','. */
    private static final int SERVER_NONCE_OCTETS = 18;

    private final ScramCredentials credentials;
    private final Supplier<String> serverNonces;
    private final byte[] decoyKey;

    public ScramSha256Mechanism(ScramCredentials credentials) {
        this(credentials, randomNonces(new SecureRandom()), randomKey(new SecureRandom()));
    }

    /** Tests fix the server nonce (RFC 7677 §3 vector) and the decoy key. */
    ScramSha256Mechanism(ScramCredentials credentials, Supplier<String> serverNonces, byte[] decoyKey) {
        this.credentials = credentials;
        this.serverNonces = serverNonces;
        this.decoyKey = decoyKey.clone();
    }

    @Override
    public String name() {
        return "SCRAM-SHA-256";
    }

    @Override
    public boolean plaintext() {
        return false;
    }

    @Override
    public int maxResponseOctets() {
        return MAX_RESPONSE_OCTETS;
    }

    /** SCRAM is client-first: without an initial response the server sends an empty challenge. */
    @Override
    public SaslStep start(Optional<byte[]> initialResponse) {
        if (initialResponse.isEmpty() || initialResponse.get().length == 0) {
            return new SaslStep.Challenge(new byte[0], this::clientFirst);
        }
        return clientFirst(initialResponse.get());
    }

    private SaslStep clientFirst(byte[] response) {
        Optional<ScramMessages.ClientFirst> parsed = text(response).flatMap(ScramMessages::clientFirst);
        if (parsed.isEmpty()) {
            return new SaslStep.Failure(SaslStep.Reason.MALFORMED);
        }
        ScramMessages.ClientFirst first = parsed.get();
        if (first.authzid().isPresent() && !first.authzid().get().equals(first.user())) {
            return new SaslStep.Failure(SaslStep.Reason.REJECTED); // RFC 5802 §5.1 a: no proxy login
        }
        Optional<ScramCredential> stored = credentials.lookup(first.user());
        ScramCredential credential = stored.orElseGet(() -> decoy(first.user()));
        String serverFirst = "r=" + first.clientNonce() + serverNonces.get()
                + ",s=" + Base64.getEncoder().encodeToString(credential.salt()) + ",i=" + credential.iterations();
        return new SaslStep.Challenge(ascii(serverFirst),
                next -> clientFinal(first, serverFirst, credential, stored.isPresent(), next));
    }

    private static SaslStep clientFinal(ScramMessages.ClientFirst first, String serverFirst, ScramCredential credential,
            boolean real, byte[] response) {
        Optional<ScramMessages.ClientFinal> parsed = text(response).flatMap(ScramMessages::clientFinal);
        if (parsed.isEmpty()) {
            return new SaslStep.Failure(SaslStep.Reason.MALFORMED);
        }
        ScramMessages.ClientFinal last = parsed.get();
        String expectedNonce = serverFirst.substring(2, serverFirst.indexOf(','));
        // RFC 5802 §5.1 c: the gs2 header again (no channel binding data); r: both nonces
        if (!MessageDigest.isEqual(last.channelBinding(), ascii(first.gs2Header()))
                || !last.nonce().equals(expectedNonce)) {
            return new SaslStep.Failure(SaslStep.Reason.MALFORMED);
        }
        byte[] authMessage = utf8(first.bare() + "," + serverFirst + "," + last.withoutProof());
        boolean proven = credential.provenBy(last.proof(), authMessage);
        byte[] signature = credential.serverSignature(authMessage); // computed either way: same cost
        if (!proven || !real) {
            return new SaslStep.Failure(SaslStep.Reason.REJECTED);
        }
        return new SaslStep.Success(first.user(),
                Optional.of(ascii("v=" + Base64.getEncoder().encodeToString(signature))));
    }

    /** Stable per user for this instance, unlike a real user's only by the keys behind it. */
    private ScramCredential decoy(String user) {
        byte[] salt = java.util.Arrays.copyOf(hmac("salt\0" + user), ScramCredential.SALT_OCTETS);
        return new ScramCredential(ScramCredential.DEFAULT_ITERATIONS, salt, hmac("stored\0" + user),
                hmac("server\0" + user));
    }

    private byte[] hmac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(decoyKey, "HmacSHA256"));
            return mac.doFinal(utf8(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** RFC 5802 §7: messages are UTF-8 (user names); malformed octets fail the exchange. */
    private static Optional<String> text(byte[] response) {
        return response.length > MAX_RESPONSE_OCTETS ? Optional.empty() : StrictUtf8.decode(response);
    }

    private static Supplier<String> randomNonces(SecureRandom random) {
        return () -> {
            byte[] nonce = new byte[SERVER_NONCE_OCTETS];
            random.nextBytes(nonce);
            return Base64.getEncoder().encodeToString(nonce);
        };
    }

    private static byte[] randomKey(SecureRandom random) {
        byte[] key = new byte[ScramCredential.KEY_OCTETS];
        random.nextBytes(key);
        return key;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.pop3d.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramCredentialTest {
    /** Printed by {@code doveadm pw -s SCRAM-SHA-256 -p secret} (Dovecot 2.3.19.1). */
    static final String DOVEADM_SECRET = "{SCRAM-SHA-256}4096,bhbdvqTjYc0kZAbsCnEZAA==,"
            + "GFk4g/wgtWsP1Q4SH49S60tIalbrW6n33Lou6P4hwbI=,3EHWpHZpSloAoBHvVvSnFjaswUHj2mXODL52N7HA7FM=";
    /** Printed by {@code doveadm pw -s SCRAM-SHA-256 -p 'pässwörd'} (UTF-8, NFC). */
    static final String DOVEADM_UMLAUTS = "{SCRAM-SHA-256}4096,KUyck6S7fIKmjeMuPzqhcw==,"
            + "Tc6P3g3AEkVEH5m4OdG3NKzBF2sF+7i2Qa/BjB9yL/g=,OaWSSGRq4ozOgqN8LnDe2n/XfthijaauVbsva0cQQho=";
    /** Printed by {@code doveadm pw -s SCRAM-SHA-256 -p 'ﬁx'} (U+FB01, which SASLprep would map to "fi"). */
    static final String DOVEADM_LIGATURE = "{SCRAM-SHA-256}4096,tDlnpVwcZkMkW1vPzpbF7Q==,"
            + "od+Rr3Fms8tpB7AMP/0zRqsiyBn3Xwl6uaIfDcDoodY=,vGGY0VskoiPgRmBEN6LVLB+bW2UefJQlpyprE5qW0uA=";

    // RFC 7677 §3: user "user", password "pencil"
    static final String RFC_SALT = "W22ZaJ0SNY7soEsUEjb6gQ==";
    static final String RFC_CLIENT_FIRST_BARE = "n=user,r=rOprNGfwEbeRWgbNEkqO";
    static final String RFC_SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    static final String RFC_CLIENT_FINAL_WITHOUT_PROOF = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    static final String RFC_PROOF = "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    static final String RFC_SERVER_SIGNATURE = "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static byte[] rfcAuthMessage() {
        return (RFC_CLIENT_FIRST_BARE + "," + RFC_SERVER_FIRST + "," + RFC_CLIENT_FINAL_WITHOUT_PROOF)
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void rfc7677VectorServerSignatureByteForByte() {
        ScramCredential pencil = ScramCredential.derive("pencil", Base64.getDecoder().decode(RFC_SALT), 4096);
        assertArrayEquals(Base64.getDecoder().decode(RFC_SERVER_SIGNATURE), pencil.serverSignature(rfcAuthMessage()));
    }

    @Test
    void rfc7677VectorClientProofByteForByteAndAccepted() {
        byte[] salted = ScramCredential.saltedPassword("pencil", Base64.getDecoder().decode(RFC_SALT), 4096);
        byte[] clientKey = ScramCredential.hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] signature = ScramCredential.hmac(ScramCredential.sha256(clientKey), rfcAuthMessage());
        byte[] proof = new byte[32];
        for (int i = 0; i < 32; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        assertArrayEquals(Base64.getDecoder().decode(RFC_PROOF), proof);

        ScramCredential pencil = ScramCredential.derive("pencil", Base64.getDecoder().decode(RFC_SALT), 4096);
        assertTrue(pencil.provenBy(proof, rfcAuthMessage()));
        proof[31] ^= 1;
        assertFalse(pencil.provenBy(proof, rfcAuthMessage()));
        assertFalse(pencil.provenBy(java.util.Arrays.copyOf(proof, 31), rfcAuthMessage()), "short proof");
        assertFalse(pencil.provenBy(new byte[0], rfcAuthMessage()), "empty proof");
    }

    @Test
    void hiIsPbkdf2WithHmacSha256() throws Exception {
        byte[] salt = Base64.getDecoder().decode(RFC_SALT);
        byte[] jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("pencil".toCharArray(), salt, 4096, 256)).getEncoded();
        assertArrayEquals(jdk, ScramCredential.saltedPassword("pencil", salt, 4096));
        assertEquals(32, ScramCredential.saltedPassword("", salt, 1).length, "empty passwords are legal");
    }

    @Test
    void doveadmHashVerifiesItsPasswordAndNoOther() {
        ScramCredential doveadm = PasswordHasher.scramCredential(DOVEADM_SECRET).orElseThrow();
        assertEquals(4096, doveadm.iterations());
        assertEquals(16, doveadm.salt().length);
        assertTrue(doveadm.matches("secret"));
        assertFalse(doveadm.matches("Secret"));
        assertFalse(doveadm.matches("secret "));
        assertFalse(doveadm.matches(""));
        assertTrue(PasswordHasher.verify(DOVEADM_SECRET, "secret"));
        assertTrue(PasswordHasher.verify(DOVEADM_UMLAUTS, "pässwörd"));
        assertFalse(PasswordHasher.verify(DOVEADM_UMLAUTS, "passwort"));
    }

    @Test
    void passwordsAreHashedAsTheirUtf8OctetsWithoutSaslPrepAsDovecotDoes() {
        assertTrue(PasswordHasher.verify(DOVEADM_LIGATURE, "\uFB01x"));
        assertFalse(PasswordHasher.verify(DOVEADM_LIGATURE, "fix"));
    }

    @Test
    void encodesExactlyAsDoveadmWrites() {
        String secret = DOVEADM_SECRET.substring("{SCRAM-SHA-256}".length());
        assertEquals(secret, ScramCredential.parse(secret).orElseThrow().encode());
    }

    @Test
    void newHashesHave4096IterationsAndA16OctetSalt() {
        String stored = PasswordHasher.hash(PasswordScheme.SCRAM_SHA256, "pencil");
        assertTrue(stored.startsWith("{SCRAM-SHA-256}4096,"), stored);
        ScramCredential credential = PasswordHasher.scramCredential(stored).orElseThrow();
        assertEquals(16, credential.salt().length);
        assertTrue(credential.matches("pencil"));
        assertFalse(credential.salt().equals(PasswordHasher.scramCredential(
                PasswordHasher.hash(PasswordScheme.SCRAM_SHA256, "pencil")).orElseThrow().salt()));
        assertEquals(Optional.of(PasswordScheme.SCRAM_SHA256), PasswordScheme.named("scram-sha-256"));
        assertEquals("SCRAM-SHA-256", PasswordScheme.SCRAM_SHA256.externalName());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "4096", "4096,c2FsdA==,x", "abc,c2FsdA==,GFk4g/wgtWsP1Q4SH49S60tIalbrW6n33Lou6P4hwbI=,3EHWpHZpSloAoBHvVvSnFjaswUHj2mXODL52N7HA7FM=",
        "0,c2FsdA==,GFk4g/wgtWsP1Q4SH49S60tIalbrW6n33Lou6P4hwbI=,3EHWpHZpSloAoBHvVvSnFjaswUHj2mXODL52N7HA7FM=",
        "99999999,c2FsdA==,GFk4g/wgtWsP1Q4SH49S60tIalbrW6n33Lou6P4hwbI=,3EHWpHZpSloAoBHvVvSnFjaswUHj2mXODL52N7HA7FM=",
        "-1,c2FsdA==,GFk4g/wgtWsP1Q4SH49S60tIalbrW6n33Lou6P4hwbI=,3EHWpHZpSloAoBHvVvSnFjaswUHj2mXODL52N7HA7FM=",
        "4096,,GFk4g/wgtWsP1Q4SH49S60tIalbrW6n33Lou6P4hwbI=,3EHWpHZpSloAoBHvVvSnFjaswUHj2mXODL52N7HA7FM=",
        "4096,c2FsdA==,GFk4g/wgtWsP1Q4SH49S60tIalbrW6n33Lou6P4hw==,3EHWpHZpSloAoBHvVvSnFjaswUHj2mXODL52N7HA7FM=",
        "4096,c2FsdA==,GFk4g/wgtWsP1Q4SH49S60tIalbrW6n33Lou6P4hwbI=,3EHWpHZpSloAoBHvVvSnFjaswUHj2mXODL52N7HA7FM=,x",
        "4096,c2Fsd!==,GFk4g/wgtWsP1Q4SH49S60tIalbrW6n33Lou6P4hwbI=,3EHWpHZpSloAoBHvVvSnFjaswUHj2mXODL52N7HA7FM=",
    })
    void malformedSecretsParseToNothingAndNeverMatch(String secret) {
        assertEquals(Optional.empty(), ScramCredential.parse(secret));
        assertFalse(PasswordHasher.verify("{SCRAM-SHA-256}" + secret, "secret"));
    }

    @Test
    void toStringShowsNoKeys() {
        String text = PasswordHasher.scramCredential(DOVEADM_SECRET).orElseThrow().toString();
        assertFalse(text.contains("GFk4") || text.contains("bhbd"), text);
    }
}

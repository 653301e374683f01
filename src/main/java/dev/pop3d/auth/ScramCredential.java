package dev.pop3d.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A SCRAM-SHA-256 verifier as the server stores it (RFC 5802 §3, RFC 7677): iteration count,
 * salt, StoredKey and ServerKey, never the password nor the SaltedPassword. Written in
 * Dovecot's format, {@code 4096,<base64 salt>,<base64 StoredKey>,<base64 ServerKey>}, so that
 * {@code doveadm pw -s SCRAM-SHA-256} output can be pasted into the users file.
 *
 * <p>Every comparison is constant-time. The password is hashed as its UTF-8 octets, without
 * SASLprep, as Dovecot and most clients do for the passwords met in practice.
 */
public record ScramCredential(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
    /** RFC 7677 §4: at least 4096; Dovecot's and our default for new hashes. */
    public static final int DEFAULT_ITERATIONS = 4096;
    /** Salt of new hashes, as Dovecot makes them. */
    public static final int SALT_OCTETS = 16;
    /** Above this a stored count is refused: one check would block a worker for seconds. */
    public static final int MAX_ITERATIONS = 10_000_000;
    /** SHA-256 output, the length of StoredKey, ServerKey and every proof (RFC 7677 §3). */
    public static final int KEY_OCTETS = 32;

    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

    public ScramCredential {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iteration count must be 1.." + MAX_ITERATIONS);
        }
        if (salt.length == 0 || storedKey.length != KEY_OCTETS || serverKey.length != KEY_OCTETS) {
            throw new IllegalArgumentException("salt must be non-empty and keys " + KEY_OCTETS + " octets");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** RFC 5802 §3: SaltedPassword := Hi(password, salt, i), then the two keys from it. */
    public static ScramCredential derive(String password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        return new ScramCredential(iterations, salt, sha256(hmac(salted, CLIENT_KEY)), hmac(salted, SERVER_KEY));
    }

    /** Dovecot's text form, e.g. {@code 4096,bhbd...==,GFk4...=,3EHW...=}; empty if malformed. */
    public static Optional<ScramCredential> parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 4 || !parts[0].matches("[0-9]{1,8}")) {
            return Optional.empty();
        }
        try {
            Base64.Decoder base64 = Base64.getDecoder();
            return Optional.of(new ScramCredential(Integer.parseInt(parts[0]), base64.decode(parts[1]),
                    base64.decode(parts[2]), base64.decode(parts[3])));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // bad base64, wrong key length, count out of range
        }
    }

    /** The form {@link #parse} reads. */
    public String encode() {
        Base64.Encoder base64 = Base64.getEncoder();
        return iterations + "," + base64.encodeToString(salt) + "," + base64.encodeToString(storedKey) + ","
                + base64.encodeToString(serverKey);
    }

    /** A USER/PASS or PLAIN check: derives both keys from {@code password} and compares them. */
    public boolean matches(String password) {
        ScramCredential candidate = derive(password, salt, iterations);
        boolean stored = MessageDigest.isEqual(candidate.storedKey, storedKey);
        boolean server = MessageDigest.isEqual(candidate.serverKey, serverKey);
        return stored & server; // both compared, whatever the first says
    }

    /**
     * RFC 5802 §3: ClientKey := ClientProof XOR HMAC(StoredKey, AuthMessage); the proof holds if
     * H(ClientKey) is StoredKey. A proof of the wrong length costs the same and fails.
     */
    public boolean provenBy(byte[] clientProof, byte[] authMessage) {
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] clientKey = new byte[KEY_OCTETS];
        for (int i = 0; i < KEY_OCTETS; i++) {
            clientKey[i] = (byte) (clientSignature[i] ^ (i < clientProof.length ? clientProof[i] : 0));
        }
        boolean equal = MessageDigest.isEqual(sha256(clientKey), storedKey);
        return equal & clientProof.length == KEY_OCTETS;
    }

    /** RFC 5802 §3: ServerSignature := HMAC(ServerKey, AuthMessage), sent as {@code v=}. */
    public byte[] serverSignature(byte[] authMessage) {
        return hmac(serverKey, authMessage);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramCredential that && iterations == that.iterations
                && Arrays.equals(salt, that.salt) && MessageDigest.isEqual(storedKey, that.storedKey)
                && MessageDigest.isEqual(serverKey, that.serverKey);
    }

    @Override
    public int hashCode() {
        return 31 * iterations + Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "ScramCredential[iterations=" + iterations + ", ***]";
    }

    /**
     * RFC 5802 §2.2: Hi(str, salt, i) is PBKDF2 with HMAC-SHA-256 and one output block, written
     * out here because the JDK's PBKDF2 refuses an empty password.
     */
    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] key = password.getBytes(StandardCharsets.UTF_8);
            // an empty HMAC key is legal (RFC 2104 §3) but SecretKeySpec refuses it: a key of one
            // zero octet is the same HMAC key, as keys are zero-padded to the block size
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            mac.update(salt);
            byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1}); // U1 := HMAC(str, salt + INT(1))
            byte[] result = u.clone();
            for (int n = 1; n < iterations; n++) {
                u = mac.doFinal(u);
                for (int k = 0; k < result.length; k++) {
                    result[k] ^= u[k];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

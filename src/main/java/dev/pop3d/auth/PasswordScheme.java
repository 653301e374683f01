package dev.pop3d.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The password storage schemes of the users file, named as Dovecot names them so that its
 * files can be reused: {@code {PLAIN}}, {@code {SHA256}}, {@code {SSHA256}}, {@code {BCRYPT}}
 * (alias {@code {BLF-CRYPT}}), {@code {SCRAM-SHA-256}}. Every comparison is constant-time.
 */
public enum PasswordScheme {
    PLAIN("PLAIN") {
        @Override
        String hash(String password, int cost) {
            return password;
        }

        @Override
        boolean matches(String stored, String password) {
            return MessageDigest.isEqual(utf8(stored), utf8(password));
        }
    },
    /** Dovecot SHA256: base64 of the raw SHA-256 digest (hex accepted too). */
    SHA256("SHA256") {
        @Override
        String hash(String password, int cost) {
            return Base64.getEncoder().encodeToString(sha256(utf8(password)));
        }

        @Override
        boolean matches(String stored, String password) {
            byte[] expected = decode(stored, 32);
            return expected != null && MessageDigest.isEqual(expected, sha256(utf8(password)));
        }
    },
    /** Dovecot SSHA256: base64(sha256(password + salt) + salt). */
    SSHA256("SSHA256") {
        @Override
        String hash(String password, int cost) {
            byte[] salt = new byte[8];
            RANDOM.nextBytes(salt);
            byte[] digest = sha256(concat(utf8(password), salt));
            return Base64.getEncoder().encodeToString(concat(digest, salt));
        }

        @Override
        boolean matches(String stored, String password) {
            byte[] all = decode(stored, -1);
            if (all == null || all.length <= 32) {
                return false;
            }
            byte[] salt = java.util.Arrays.copyOfRange(all, 32, all.length);
            byte[] digest = java.util.Arrays.copyOf(all, 32);
            return MessageDigest.isEqual(digest, sha256(concat(utf8(password), salt)));
        }
    },
    /** bcrypt ($2a$, $2b$, $2y$) from at.favre.lib:bcrypt. */
    BCRYPT("BCRYPT") {
        @Override
        String hash(String password, int cost) {
            return new String(BCrypt.with(BCrypt.Version.VERSION_2A, LONG_PASSWORDS).hash(cost, utf8(password)),
                    StandardCharsets.US_ASCII);
        }

        @Override
        boolean matches(String stored, String password) {
            try {
                return BCrypt.verifyer(BCrypt.Version.VERSION_2A, LONG_PASSWORDS)
                        .verify(utf8(password), utf8(stored)).verified;
            } catch (RuntimeException e) {
                return false; // malformed hash: never a match
            }
        }
    },
    /**
     * Dovecot SCRAM-SHA-256: {@code 4096,salt,StoredKey,ServerKey} (RFC 5802 §3, RFC 7677), the
     * only scheme that SASL SCRAM-SHA-256 can use; PLAIN, LOGIN and USER/PASS work with it too.
     * New hashes take {@link ScramCredential#DEFAULT_ITERATIONS} and a 16-octet random salt; the
     * bcrypt cost does not apply.
     */
    SCRAM_SHA256("SCRAM-SHA-256") {
        @Override
        String hash(String password, int cost) {
            byte[] salt = new byte[ScramCredential.SALT_OCTETS];
            RANDOM.nextBytes(salt);
            return ScramCredential.derive(password, salt, ScramCredential.DEFAULT_ITERATIONS).encode();
        }

        @Override
        boolean matches(String stored, String password) {
            return ScramCredential.parse(stored).map(credential -> credential.matches(password)).orElse(false);
        }
    };

    private static final SecureRandom RANDOM = new SecureRandom();
    /** bcrypt reads 72 octets; longer passwords are truncated as every other bcrypt does. */
    private static final LongPasswordStrategy LONG_PASSWORDS = LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A);

    /** Default bcrypt cost for new hashes. */
    public static final int DEFAULT_COST = 10;

    private final String externalName;

    PasswordScheme(String externalName) {
        this.externalName = externalName;
    }

    /** The name written in braces in the users file and taken by {@code hash-password --scheme}. */
    public String externalName() {
        return externalName;
    }

    abstract String hash(String password, int cost);

    abstract boolean matches(String stored, String password);

    /** The scheme's name as written in braces; BLF-CRYPT is Dovecot's name for bcrypt. */
    public static Optional<PasswordScheme> named(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.equals("BLF-CRYPT")) {
            return Optional.of(BCRYPT);
        }
        for (PasswordScheme scheme : values()) {
            if (scheme.externalName.equals(upper)) {
                return Optional.of(scheme);
            }
        }
        return Optional.empty();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Base64, or hex when {@code hexLength} bytes are expected and the text is hex. */
    private static byte[] decode(String text, int hexLength) {
        try {
            if (hexLength > 0 && text.length() == 2 * hexLength && text.matches("[0-9a-fA-F]+")) {
                return HexFormat.of().parseHex(text);
            }
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

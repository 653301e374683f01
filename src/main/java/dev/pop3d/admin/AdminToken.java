package dev.pop3d.admin;

import dev.pop3d.config.InvalidConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The admin API's bearer token: {@code pop3.admin.token} (env {@code POP3_ADMIN_TOKEN}), else
 * {@code <data-dir>/admin.token}, created once like the CONF1 token (ADR 0012): {@code O_CREAT|O_EXCL},
 * mode 0600, 32 random characters, so replicas sharing a volume share it and nobody ships a
 * well-known one. {@link #matches} compares in constant time. Never printed ({@link #toString}).
 */
final class AdminToken {
    static final String FILE_NAME = "admin.token";
    /** RFC 6750 §2.1 b64token. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    static final int MAX_LENGTH = 512;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final int GENERATED_LENGTH = 32;

    private final byte[] digest;
    private final String origin;

    private AdminToken(String value, String origin) {
        this.digest = sha256(value);
        this.origin = origin;
    }

    /** A token as configured or sent: RFC 6750 token characters, at most {@link #MAX_LENGTH}. */
    static boolean valid(String token) {
        return token.length() <= MAX_LENGTH && B64TOKEN.matcher(token).matches();
    }

    static AdminToken of(String value) {
        return new AdminToken(value, "given");
    }

    /** Settles the token; creates the data-dir file when the key is unset and the file is missing. Blocking. */
    static AdminToken resolve(Optional<String> configured, Path dataDir, SecureRandom random) {
        if (configured.isPresent()) {
            String token = configured.get().strip();
            if (!valid(token)) {
                throw new InvalidConfigException("pop3.admin.token must be 1 to " + MAX_LENGTH
                        + " RFC 6750 token characters (letters, digits, - . _ ~ + / and a trailing =)");
            }
            return new AdminToken(token, "pop3.admin.token");
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                create(file, random);
            }
            String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!valid(token)) {
                throw new InvalidConfigException(file + " must hold the admin token (RFC 6750 token characters): "
                        + "fix it, or delete it to have one generated");
            }
            return new AdminToken(token, file.toString());
        } catch (IOException e) {
            throw new InvalidConfigException("cannot read or create the admin token file " + file
                    + " (pop3.data-dir must be writable): " + e.getMessage() + "; or set pop3.admin.token");
        }
    }

    private static void create(Path file, SecureRandom random) throws IOException {
        StringBuilder token = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            token.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            channel.write(ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
        } catch (FileAlreadyExistsException raced) {
            // another replica on the same volume created it first: theirs is read
        }
    }

    /** Constant time: both sides are hashed first, so neither content nor length shows in the timing. */
    boolean matches(String presented) {
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    /** Where the token came from (for the log line), never the token. */
    String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "AdminToken[**********, " + origin + "]";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

package dev.pop3d.conf1;

import dev.pop3d.conf1.AttObject;
import dev.pop3d.config.Conf1Config;
import dev.pop3d.config.InvalidConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Where the CONF1 token comes from, in this order: the file {@code conf1.token-file} names (its
 * content, stripped), {@code conf1.token}, else {@code <data-dir>/conf1.token}. That last file is
 * created once, when neither key is set, with 10 random letters, {@code O_CREAT|O_EXCL} and mode
 * 0600, so replicas sharing a volume share the token and nobody ships a well-known one. Problems
 * are {@link InvalidConfigException}s naming the key or the file to edit. Plain Java.
 */
public final class Conf1Token {
    private static final Logger LOG = Logger.getLogger(Conf1Token.class);
    public static final String FILE_NAME = "conf1.token";
    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** CONF1.md: exactly 10 ASCII letters. */
    private static final int LENGTH = 10;
    /** A replica that lost the O_EXCL race may read the file before the winner wrote it. */
    private static final int EMPTY_FILE_RETRIES = 20;
    private static final long EMPTY_FILE_RETRY_MS = 50;

    private Conf1Token() {}

    public enum Origin { TOKEN_FILE, TOKEN, DATA_DIR_FILE }

    /**
     * The configured keys as written: {@code Optional.of("")} is a key set to the empty string,
     * which is refused (an empty secret is a placeholder, never "use the default").
     */
    public record Settings(Optional<String> tokenFile, Optional<String> token, Path dataDir) {
        /** From the mapping, where an empty value already reads as unset (check-config refuses it first). */
        public static Settings of(Conf1Config conf1, Path dataDir) {
            return new Settings(conf1.tokenFile().map(Path::toString), conf1.token(), dataDir);
        }

        public Path dataDirFile() {
            return dataDir.resolve(FILE_NAME);
        }
    }

    /** A settled token; {@code file} is where it was read or created, if it came from a file. */
    public record Token(String value, Origin origin, Optional<Path> file, boolean created) {
        @Override
        public String toString() {
            return "Token[**********, " + origin + file.map(f -> ", " + f).orElse("") + (created ? ", created" : "") + "]";
        }
    }

    public static boolean valid(String token) {
        return AttObject.valid(token);
    }

    /**
     * The server's token: the data-dir file is created when neither key is set and it is missing.
     * Logs where the token came from, never its value.
     */
    public static Token resolve(Settings settings, SecureRandom random) {
        Token token = find(settings).orElseGet(() -> create(settings.dataDirFile(), random));
        LOG.infof("CONF1 token %s %s", token.created() ? "created in" : "read from",
                token.file().map(Path::toString).orElse("conf1.token"));
        return token;
    }

    /**
     * The token as {@link #resolve} would settle it, without creating anything; empty when it
     * would be generated (the data-dir file does not exist yet).
     */
    public static Optional<Token> find(Settings settings) {
        if (settings.tokenFile().isPresent()) {
            String named = settings.tokenFile().get();
            if (named.isBlank()) {
                throw new InvalidConfigException("conf1.token-file is empty: name the file holding the 10-letter "
                        + "CONF1 token, or unset it");
            }
            Path file = Path.of(named);
            return Optional.of(new Token(read(file, "conf1.token-file", false), Origin.TOKEN_FILE, Optional.of(file), false));
        }
        if (settings.token().isPresent()) {
            String token = settings.token().get().strip();
            if (token.isEmpty()) {
                throw new InvalidConfigException("conf1.token is empty: set it to 10 letters, or unset it to use "
                        + settings.dataDirFile() + " (created at first start)");
            }
            if (!valid(token)) {
                throw new InvalidConfigException("conf1.token must be exactly 10 ASCII letters");
            }
            return Optional.of(new Token(token, Origin.TOKEN, Optional.empty(), false));
        }
        Path file = settings.dataDirFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(new Token(read(file, null, true), Origin.DATA_DIR_FILE, Optional.of(file), false));
    }

    /** A token file named by an option ({@code pop3d conf1 --token-file}): its stripped content. */
    public static String readFile(Path file, String option) {
        return read(file, option, false);
    }

    /** {@code key} names the setting for the messages; null for the generated file. */
    private static String read(Path file, String key, boolean generated) {
        String where = key == null ? file.toString() : file + " (" + key + ")";
        try {
            String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            for (int i = 0; generated && token.isEmpty() && i < EMPTY_FILE_RETRIES; i++) {
                Thread.sleep(EMPTY_FILE_RETRY_MS);
                token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            }
            if (token.isEmpty()) {
                throw new InvalidConfigException(where + " is empty: write the 10-letter CONF1 token into it"
                        + (generated ? ", or delete it to have one generated" : ""));
            }
            if (!valid(token)) {
                throw new InvalidConfigException(where + " must hold exactly 10 ASCII letters"
                        + (generated ? ": fix it, or delete it to have one generated" : ""));
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException(where + " does not exist: create it holding the 10-letter CONF1 token");
        } catch (IOException e) {
            throw new InvalidConfigException("cannot read " + where + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidConfigException("interrupted while reading " + where);
        }
    }

    private static Token create(Path file, SecureRandom random) {
        StringBuilder token = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            token.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // O_CREAT|O_EXCL with mode 0600: exactly one creator, never readable by others
            try (FileChannel channel = FileChannel.open(file,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                channel.write(ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            return new Token(token.toString(), Origin.DATA_DIR_FILE, Optional.of(file), true);
        } catch (FileAlreadyExistsException raced) {
            // another replica on the same volume created it first: use theirs
            return new Token(read(file, null, true), Origin.DATA_DIR_FILE, Optional.of(file), false);
        } catch (IOException e) {
            throw new InvalidConfigException("cannot create the CONF1 token file " + file + " (pop3.data-dir must be "
                    + "writable): " + e.getMessage() + "; or set conf1.token-file");
        }
    }
}

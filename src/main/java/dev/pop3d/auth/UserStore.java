package dev.pop3d.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured users and their stored secrets, loaded once at start-up. {@link #verify} is
 * blocking (bcrypt) and takes comparable time whether or not the user exists.
 */
public final class UserStore {
    private static final int MAX_NAME_LENGTH = 64;
    private final Map<String, String> secrets;
    /** Checked for unknown users: a secret of the most expensive kind in the store, so they cost the same. */
    private final String decoy;

    private UserStore(Map<String, String> secrets) {
        this(secrets, decoy(secrets.values()));
    }

    private UserStore(Map<String, String> secrets, String decoy) {
        this.secrets = Collections.unmodifiableMap(secrets);
        this.decoy = decoy;
    }

    /**
     * These users and, under names not taken here, {@code cheap}'s (the test users: cheap schemes
     * only, so the decoy of these users stays the costliest and is not computed again).
     */
    public UserStore plus(Map<String, String> cheap) {
        if (cheap.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new LinkedHashMap<>(secrets);
        cheap.forEach(merged::putIfAbsent);
        return new UserStore(merged, decoy);
    }

    /** The stored secrets by user (for the test users' file, which shares this format). */
    Map<String, String> secrets() {
        return secrets;
    }

    /**
     * bcrypt at the highest cost present; else SCRAM-SHA-256 at the highest iteration count
     * present; else a SHA-256 secret (no slower than the real users).
     */
    static String decoy(java.util.Collection<String> stored) {
        int cost = -1;
        int iterations = -1;
        for (String secret : stored) {
            var parsed = PasswordHasher.parse(secret);
            if (parsed.isPresent() && parsed.get().scheme() == PasswordScheme.BCRYPT) {
                cost = Math.max(cost, bcryptCost(parsed.get().secret()));
            }
            var scram = PasswordHasher.scramCredential(secret);
            if (scram.isPresent()) {
                iterations = Math.max(iterations, scram.get().iterations());
            }
        }
        if (cost > 0) {
            return PasswordHasher.hash(PasswordScheme.BCRYPT, "pop3d-no-such-user", cost);
        }
        if (iterations > 0) {
            byte[] salt = new byte[ScramCredential.SALT_OCTETS];
            return "{" + PasswordScheme.SCRAM_SHA256.externalName() + "}"
                    + ScramCredential.derive("pop3d-no-such-user", salt, iterations).encode();
        }
        return PasswordHasher.hash(PasswordScheme.SHA256, "pop3d-no-such-user");
    }

    /** A bcrypt hash as bcrypt writes it: version, cost 04 to 31, 22 octets of salt and 31 of hash. */
    private static final java.util.regex.Pattern BCRYPT_HASH =
            java.util.regex.Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    /**
     * "$2a$10$..." -> 10; a malformed hash counts as the default cost (it never matches anyway): its
     * digits must not set the decoy's cost, or one bad line ("$2a$40R$...") makes loading hash at 2^31.
     */
    private static int bcryptCost(String hash) {
        java.util.regex.Matcher m = BCRYPT_HASH.matcher(hash);
        return m.matches() ? Integer.parseInt(m.group(1)) : PasswordScheme.DEFAULT_COST;
    }

    /** Users from {@code user -> {SCHEME}secret}; names are not validated (tests, demo). */
    public static UserStore of(Map<String, String> secrets) {
        return new UserStore(new LinkedHashMap<>(secrets));
    }

    /**
     * Loads the inline list ({@code alice:secret,bob:pw}, plain passwords, split at ',' then at the
     * first ':') and the users file (one {@code user:{SCHEME}secret} a line, split at the first
     * ':'; blank lines and '#' comments ignored). A user defined twice is an error.
     */
    public static UserStore load(Optional<String> inline, Optional<Path> usersFile)
            throws IOException, InvalidUsersException {
        Map<String, String> secrets = new LinkedHashMap<>();
        if (usersFile.isPresent()) {
            List<String> lines = lines(usersFile.get());
            for (int i = 0; i < lines.size(); i++) {
                String line = stripLineEnd(lines.get(i));
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                add(secrets, line, usersFile.get() + " line " + (i + 1), false);
            }
        }
        if (inline.isPresent() && !inline.get().isBlank()) {
            String[] entries = inline.get().split(",");
            for (int i = 0; i < entries.length; i++) {
                add(secrets, entries[i].strip(), "pop3.users entry " + (i + 1), true);
            }
        }
        return new UserStore(secrets);
    }

    /**
     * The lines as {@code Files.readAllLines} splits them (LF, CR or CRLF). A line that is not
     * UTF-8 is refused by its number, never shown: it may hold a secret.
     */
    private static List<String> lines(Path file) throws IOException, InvalidUsersException {
        byte[] bytes = Files.readAllBytes(file);
        Optional<String> text = strictUtf8(bytes, 0, bytes.length);
        if (text.isPresent()) {
            return text.get().lines().toList();
        }
        int number = 1;
        for (int start = 0, i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n' || bytes[i] == '\r') {
                if (strictUtf8(bytes, start, i).isEmpty()) {
                    break;
                }
                if (i + 1 < bytes.length && bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
                number++;
            }
        }
        throw new InvalidUsersException(file + " line " + number + ": not valid UTF-8");
    }

    private static Optional<String> strictUtf8(byte[] bytes, int from, int to) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static void add(Map<String, String> secrets, String entry, String where, boolean plainOnly)
            throws InvalidUsersException {
        int colon = entry.indexOf(':');
        if (colon < 0) {
            throw new InvalidUsersException(where + ": expected user:secret");
        }
        String user = entry.substring(0, colon);
        String secret = entry.substring(colon + 1);
        String problem = nameProblem(user);
        if (problem != null) {
            throw new InvalidUsersException(where + ": user name " + problem);
        }
        String stored = plainOnly ? "{PLAIN}" + secret : secret;
        var parsed = PasswordHasher.parse(stored);
        if (parsed.isEmpty()) {
            throw new InvalidUsersException(where
                    + ": unknown password scheme (use PLAIN, SHA256, SSHA256, BCRYPT or SCRAM-SHA-256)");
        }
        if (parsed.get().scheme() == PasswordScheme.SCRAM_SHA256 && PasswordHasher.scramCredential(stored).isEmpty()) {
            throw new InvalidUsersException(where + ": malformed {SCRAM-SHA-256} secret (expected"
                    + " iterations,salt,StoredKey,ServerKey as doveadm pw -s SCRAM-SHA-256 prints)");
        }
        if (secrets.putIfAbsent(user, stored) != null) {
            throw new InvalidUsersException(where + ": user " + user + " is defined twice");
        }
    }

    /** Names become directory names: nothing that could leave the maildir root. */
    static String nameProblem(String user) {
        if (user.isEmpty() || user.length() > MAX_NAME_LENGTH) {
            return "must have 1 to " + MAX_NAME_LENGTH + " characters";
        }
        if (user.equals(".") || user.equals("..")) {
            return "cannot be . or ..";
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '/' || c == '\\' || c == ':') {
                return "contains a character not allowed (space, control, / \\ or :)";
            }
        }
        return null;
    }

    private static String stripLineEnd(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    public Set<String> users() {
        return secrets.keySet();
    }

    /**
     * The SCRAM-SHA-256 keys of {@code user}; empty for an unknown user and for one stored with
     * another scheme, which the SCRAM mechanism treats alike (a decoy exchange that fails).
     * Not blocking: a map look-up and a parse.
     */
    public Optional<ScramCredential> scramCredential(String user) {
        String stored = secrets.get(user);
        return stored == null ? Optional.empty() : PasswordHasher.scramCredential(stored);
    }

    /** Blocking. Unknown user and wrong password both return false after comparable work. */
    /**
     * Whether checking {@code user}'s password is expensive (bcrypt, or SCRAM's PBKDF2): such checks
     * queue on the bounded pool; cheap ones (PLAIN, SHA256, SSHA256) never wait behind them. An
     * unknown user costs what the decoy costs, so the answer's timing tells nothing either way.
     */
    public boolean costly(String user) {
        String stored = secrets.getOrDefault(user, decoy);
        return PasswordHasher.parse(stored).map(p -> p.scheme() == PasswordScheme.BCRYPT
                || p.scheme() == PasswordScheme.SCRAM_SHA256).orElse(true);
    }

    public boolean verify(String user, String password) {
        String stored = secrets.get(user);
        if (stored == null) {
            PasswordHasher.verify(decoy, password);
            return false;
        }
        return PasswordHasher.verify(stored, password);
    }
}

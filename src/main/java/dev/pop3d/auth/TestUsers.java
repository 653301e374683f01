package dev.pop3d.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The users the test-server mode adds at run time (auto-created by mail intake, or created through
 * the admin API), kept in {@code <data-dir>/test-users}: a users file in the project's format, one
 * {@code name:{SSHA256}...} a line, rewritten whole at every change (temporary file, fsync, rename,
 * fsync of the folder), mode 0600. At most {@link #MAX_USERS} of them. Names follow the users-file
 * rules. Plain Java, blocking, one change at a time.
 */
public final class TestUsers {
    /** A fixed cap: every change rewrites the file, and test suites need tens, not thousands. */
    public static final int MAX_USERS = 1000;
    /** A password is hashed, never stored; this bounds the work and the request. */
    public static final int MAX_PASSWORD_LENGTH = 1024;
    public static final String FILE_NAME = "test-users";

    /** What {@link #put} did. */
    public enum Put { CREATED, REPLACED, FULL }

    private final Path file;
    private Map<String, String> secrets;

    private TestUsers(Path file, Map<String, String> secrets) {
        this.file = file;
        this.secrets = secrets;
    }

    /** Reads {@code file} if it exists (a restart keeps the test users); refuses it as a users file is refused. */
    public static TestUsers load(Path file) throws IOException, InvalidUsersException {
        Map<String, String> secrets = new LinkedHashMap<>();
        if (Files.exists(file)) {
            secrets.putAll(UserStore.load(Optional.empty(), Optional.of(file)).secrets());
        }
        if (secrets.size() > MAX_USERS) {
            throw new InvalidUsersException(file + " holds " + secrets.size() + " users, more than " + MAX_USERS);
        }
        return new TestUsers(file, secrets);
    }

    /** Why {@code name} cannot be a user (the users-file rules), or empty when it can. */
    public static Optional<String> nameProblem(String name) {
        return Optional.ofNullable(UserStore.nameProblem(name));
    }

    /** Why {@code password} cannot be a test user's, or empty when it can. */
    public static Optional<String> passwordProblem(String password) {
        if (password.isEmpty() || password.length() > MAX_PASSWORD_LENGTH) {
            return Optional.of("must have 1 to " + MAX_PASSWORD_LENGTH + " characters");
        }
        return Optional.empty();
    }

    /** The stored secrets, name to {@code {SSHA256}...}: an immutable snapshot. */
    public synchronized Map<String, String> secrets() {
        return Map.copyOf(secrets);
    }

    public synchronized boolean contains(String name) {
        return secrets.containsKey(name);
    }

    public synchronized int size() {
        return secrets.size();
    }

    /** Adds {@code name} or replaces its password; the name and password must be valid (checked by the caller). */
    public synchronized Put put(String name, String password) throws IOException {
        if (nameProblem(name).isPresent() || passwordProblem(password).isPresent()) {
            throw new IllegalArgumentException("invalid test user: check nameProblem and passwordProblem first");
        }
        boolean known = secrets.containsKey(name);
        if (!known && secrets.size() >= MAX_USERS) {
            return Put.FULL;
        }
        Map<String, String> next = new LinkedHashMap<>(secrets);
        // salted SHA-256: cheap (a test suite logs in often), never the password itself
        next.put(name, PasswordHasher.hash(PasswordScheme.SSHA256, password));
        write(next);
        return known ? Put.REPLACED : Put.CREATED;
    }

    /** Removes {@code name}; false when it is not a test user. */
    public synchronized boolean remove(String name) throws IOException {
        if (!secrets.containsKey(name)) {
            return false;
        }
        Map<String, String> next = new LinkedHashMap<>(secrets);
        next.remove(name);
        write(next);
        return true;
    }

    /** Removes every test user (the file stays, empty). */
    public synchronized void clear() throws IOException {
        write(new LinkedHashMap<>());
    }

    private void write(Map<String, String> next) throws IOException {
        StringBuilder text = new StringBuilder("# pop3d test users (test-server mode): written by the server, "
                + "removed by POST /api/reset\n");
        next.forEach((name, secret) -> text.append(name).append(':').append(secret).append('\n'));
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temp = folder.resolve(FILE_NAME + ".tmp." + UUID.randomUUID());
        try (FileChannel channel = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true); // the rename itself is durable
        }
        secrets = next;
    }
}

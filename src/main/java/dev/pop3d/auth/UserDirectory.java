package dev.pop3d.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The users in force, reloaded from the users file when it changes (an edit, or a Kubernetes
 * Secret rotation, which swaps the {@code ..data} symlink the mounted file points through). A file
 * that fails to parse or holds no user is rejected and the users in force stay: an empty file never
 * locks everyone out and never turns demo mode on. Sessions already logged in are not affected.
 * Plain Java: {@link #reload()} blocks and is called from a worker.
 */
public final class UserDirectory {
    /** What a {@link #reload()} did. */
    public enum Outcome { UNCHANGED, RELOADED, REJECTED }

    /** What a reload reports: the outcome and, when rejected or reloaded, a line for the log. */
    public record Reload(Outcome outcome, String detail) {}

    /** Identity of the file's content as the file system shows it, following symlinks. */
    private record Version(Path target, Object fileKey, java.nio.file.attribute.FileTime modified, long size) {}

    private final Optional<String> inline;
    private final Optional<Path> usersFile;
    private final AtomicReference<UserStore> current;
    /** The configured users (inline and file), without the test users. */
    private UserStore configured;
    /** The test users (ADR 0019), merged under names the configured users do not take. */
    private Map<String, String> testUsers = Map.of();
    private Version loaded;
    /** The last problem reported, so that a file that stays broken is reported once. */
    private String lastRejection = "";

    private UserDirectory(Optional<String> inline, Optional<Path> usersFile, UserStore initial, Version loaded) {
        this.inline = inline;
        this.usersFile = usersFile;
        this.current = new AtomicReference<>(initial);
        this.configured = initial;
        this.loaded = loaded;
    }

    /** A fixed set (demo mode, tests): never reloaded. */
    public static UserDirectory fixed(UserStore users) {
        return new UserDirectory(Optional.empty(), Optional.empty(), users, null);
    }

    /** Loads the inline users and the users file now; fails as {@link UserStore#load} does. */
    public static UserDirectory load(Optional<String> inline, Optional<Path> usersFile)
            throws IOException, InvalidUsersException {
        Version version = usersFile.isPresent() ? version(usersFile.get()) : null;
        return new UserDirectory(inline, usersFile, UserStore.load(inline, usersFile), version);
    }

    public UserStore current() {
        return current.get();
    }

    /** The configured users only (inline and file), as last loaded. */
    public synchronized UserStore configured() {
        return configured;
    }

    /**
     * Sets the test users (a snapshot of {@code TestUsers}): logins see them at once; a configured
     * user of the same name wins. A users-file reload keeps them.
     */
    public synchronized void testUsers(Map<String, String> secrets) {
        testUsers = Map.copyOf(secrets);
        current.set(configured.plus(testUsers));
    }

    /** See {@link UserStore#costly}. */
    public boolean costly(String user) {
        return current.get().costly(user);
    }

    /** Blocking. Unknown user and wrong password both return false after comparable work. */
    public boolean verify(String user, String password) {
        return current.get().verify(user, password);
    }

    /** The SCRAM-SHA-256 keys of {@code user} in the users in force; see {@link UserStore#scramCredential}. */
    public Optional<ScramCredential> scramCredential(String user) {
        return current.get().scramCredential(user);
    }

    /** Whether there is a users file to watch. */
    public boolean reloadable() {
        return usersFile.isPresent();
    }

    /** Blocking: re-reads the users file if it changed since the last load or rejection. */
    public synchronized Reload reload() {
        if (usersFile.isEmpty()) {
            return new Reload(Outcome.UNCHANGED, "");
        }
        Path file = usersFile.get();
        Version version;
        try {
            version = version(file);
        } catch (IOException e) {
            return rejected("users file " + file + " unreadable (" + e.getClass().getSimpleName()
                    + "): keeping the " + current.get().users().size() + " users in force");
        }
        if (version.equals(loaded)) {
            return new Reload(Outcome.UNCHANGED, "");
        }
        loaded = version; // a rejected version is reported once, not at every interval
        try {
            UserStore next = UserStore.load(inline, usersFile);
            if (next.users().size() == countInline()) {
                return rejected("users file " + file + " holds no user: keeping the "
                        + current.get().users().size() + " users in force");
            }
            configured = next;
            current.set(next.plus(testUsers));
            lastRejection = "";
            return new Reload(Outcome.RELOADED, "users file " + file + " reloaded: " + next.users().size() + " users");
        } catch (IOException | InvalidUsersException e) {
            return rejected("users file " + file + " rejected (" + e.getMessage()
                    + "): keeping the " + current.get().users().size() + " users in force");
        }
    }

    private Reload rejected(String detail) {
        if (detail.equals(lastRejection)) {
            return new Reload(Outcome.UNCHANGED, "");
        }
        lastRejection = detail;
        return new Reload(Outcome.REJECTED, detail);
    }

    private int countInline() {
        try {
            return UserStore.load(inline, Optional.empty()).users().size();
        } catch (IOException | InvalidUsersException e) {
            return 0; // inline users were valid at start-up and do not change
        }
    }

    private static Version version(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new Version(file.toRealPath(), Objects.requireNonNullElse(attributes.fileKey(), ""),
                attributes.lastModifiedTime(), attributes.size());
    }
}

package dev.pop3d.fuzz;

import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.maildir.MaildirSettings;
import dev.pop3d.mailstore.maildir.MaildirStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Maildir store with two users and three small messages, on tmpfs where there is one (an
 * fsync per QUIT would otherwise dominate). {@link #reset()} puts back the same files and the same
 * index, so that one input always meets the same mailbox and the same UIDs.
 */
final class FuzzMaildir implements AutoCloseable {
    /** CRLF, LF only, no final line break, a line that needs dot-stuffing: what DotStuffer must handle. */
    static final List<String> MESSAGES = List.of(
            "From: a@example.org\r\nSubject: one\r\n\r\nHello.\r\n.a line that starts with a dot\r\n",
            "Subject: two\n\nline 1\nline 2\nline 3\n",
            "Subject: three\r\n\r\nno final line break");
    static final List<String> USERS = List.of("alice", "bob");
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    final Path root;
    final MaildirStore store;
    private final java.util.Map<String, byte[]> indexes = new java.util.HashMap<>();

    FuzzMaildir() {
        try {
            Path shm = Path.of("/dev/shm");
            root = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "pop3d-fuzz-")
                    : Files.createTempDirectory("pop3d-fuzz-");
            store = new MaildirStore(() -> root, MaildirSettings.defaults(Duration.ofMinutes(2)),
                    InstantSource.fixed(NOW));
            for (String user : USERS) {
                writeMessages(user);
                Maildrop first = store.open(user);
                first.release();
                indexes.put(user, Files.readAllBytes(MaildirStore.maildir(root, user).resolve("pop3d-uidlist")));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the fuzz Maildir", e);
        }
    }

    private void writeMessages(String user) throws IOException {
        Path maildir = MaildirStore.maildir(root, user);
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(maildir.resolve(sub));
        }
        for (int i = 0; i < MESSAGES.size(); i++) {
            Files.writeString(maildir.resolve("cur").resolve("100000000" + i + ".M" + i + "P1.fuzz:2,S"),
                    MESSAGES.get(i), StandardCharsets.US_ASCII);
        }
    }

    /** Every mailbox as it was before the input (a QUIT may have removed messages). */
    void reset() {
        try {
            for (String user : USERS) {
                Path maildir = MaildirStore.maildir(root, user);
                delete(maildir);
                writeMessages(user);
                Files.write(maildir.resolve("pop3d-uidlist"), indexes.get(user));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a maildrop of {@code user} is still locked (a session must never leave one behind). */
    boolean locked(String user) {
        return Files.exists(MaildirStore.maildir(root, user).resolve("pop3d.lock"), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() {
        store.close();
        try {
            delete(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

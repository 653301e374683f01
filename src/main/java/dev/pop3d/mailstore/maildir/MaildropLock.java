package dev.pop3d.mailstore.maildir;

import dev.pop3d.mailstore.MailboxInUseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Exclusive maildrop locks (RFC 1939 §8) that hold across threads, processes and hosts sharing a
 * volume: a file {@code pop3d.lock} in the Maildir, created atomically with its content by
 * {@code link(2)}, refreshed by a heartbeat (its mtime), and taken over when its owner is
 * provably dead or its heartbeat is older than the stale timeout. See ADR 0005.
 */
final class MaildropLock implements AutoCloseable {
    static final String FILE = "pop3d.lock";
    private static final Logger LOG = Logger.getLogger(MaildropLock.class);

    private final MaildirSettings settings;
    private final InstantSource clock;
    private final Set<Held> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat;

    MaildropLock(MaildirSettings settings, InstantSource clock) {
        this.settings = settings;
        this.clock = clock;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "pop3d-lock-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, settings.heartbeatInterval().toMillis());
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** A lock this process holds. */
    final class Held {
        private final Path file;
        private final String content;

        private Held(Path file, String content) {
            this.file = file;
            this.content = content;
        }

        /** True while the lock file is still the one we created (nobody took it over). */
        boolean stillOurs() {
            return read(file).map(content::equals).orElse(false);
        }

        void touch() throws IOException {
            Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
        }

        /** Removes the lock file if it is still ours. Idempotent. */
        void release() {
            if (held.remove(this) && stillOurs()) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warnf("lock %s not removed: %s (it will go stale)", file, e.getMessage());
                }
            }
        }
    }

    /** Takes the maildrop's lock or says who has it. Blocking. */
    Held acquire(Path maildir) throws MailboxInUseException, IOException {
        Path file = maildir.resolve(FILE);
        for (int attempt = 0; attempt < 3; attempt++) {
            String content = "owner=" + settings.host() + ":" + settings.pid() + ":" + settings.instance()
                    + "\ntoken=" + UUID.randomUUID() + "\n";
            if (create(file, content)) {
                Held lock = new Held(file, content);
                lock.touch();
                held.add(lock);
                return lock;
            }
            Optional<String> existing = read(file);
            if (existing.isEmpty()) {
                continue; // released meanwhile: try again
            }
            Optional<FileTime> modified = modified(file);
            if (modified.isEmpty() || !isStale(existing.get(), modified.get().toInstant())) {
                throw new MailboxInUseException("maildrop " + maildir + " is locked by " + ownerOf(existing.get()));
            }
            takeOver(file, existing.get());
        }
        throw new MailboxInUseException("maildrop " + maildir + " lock is contended");
    }

    /** Atomic create-with-content: write a unique file, then link(2) it to the lock name. */
    private static boolean create(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(FILE + ".new." + UUID.randomUUID());
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        try {
            Files.createLink(file, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * A lock is stale when its owner is provably gone — same host and process namespace, and
     * its pid is not running (or it is this very store, which does not hold it) — or when its
     * heartbeat is older than the stale timeout. Owners elsewhere are judged by heartbeat only.
     */
    boolean isStale(String content, Instant modified) {
        String[] owner = ownerOf(content).split(":", 3);
        if (owner.length == 3 && owner[0].equals(settings.host())) {
            long pid = parsePid(owner[1]);
            if (pid == settings.pid() && owner[2].equals(settings.instance())) {
                return held.stream().noneMatch(h -> h.content.equals(content));
            }
            if (pid != settings.pid() && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return true;
            }
        }
        return modified.plus(settings.staleLockTimeout()).isBefore(clock.instant());
    }

    /**
     * Moves the stale file aside (only one contender's rename succeeds), then checks that what it
     * moved is what it judged stale; if a fresh lock was moved by mistake, links it back.
     */
    private void takeOver(Path file, String staleContent) throws IOException {
        Path aside = file.resolveSibling(FILE + ".stale." + UUID.randomUUID());
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        }
        try {
            if (read(aside).map(staleContent::equals).orElse(false)) {
                LOG.warnf("took over stale lock of %s (%s)", file.getParent(), ownerOf(staleContent));
            } else {
                try {
                    Files.createLink(file, aside);
                } catch (FileAlreadyExistsException alreadyRelocked) {
                    // someone else holds it now; the next attempt sees their lock
                }
            }
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    private void beat() {
        for (Held lock : held) {
            try {
                if (lock.stillOurs()) {
                    lock.touch();
                } else {
                    LOG.errorf("lock %s was taken over by another process; its session will not delete mail",
                            lock.file.getParent());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf("lock heartbeat for %s failed: %s", lock.file.getParent(), e.getMessage());
            }
        }
    }

    /** Runs one heartbeat now (tests use it instead of waiting). */
    void beatNow() {
        beat();
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
    }

    static String ownerOf(String content) {
        for (String line : content.split("\n")) {
            if (line.startsWith("owner=")) {
                return line.substring("owner=".length());
            }
        }
        return "unknown";
    }

    private static long parsePid(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<FileTime> modified(Path file) {
        try {
            return Optional.of(Files.getLastModifiedTime(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Map<Path, Boolean> heldForTests() {
        Map<Path, Boolean> out = new ConcurrentHashMap<>();
        held.forEach(h -> out.put(h.file, h.stillOurs()));
        return out;
    }
}

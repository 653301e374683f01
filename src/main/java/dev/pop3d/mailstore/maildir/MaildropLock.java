package dev.pop3d.mailstore.maildir;

import dev.pop3d.mailstore.MailboxInUseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
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
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Exclusive maildrop locks (RFC 1939 §8) that hold across threads, processes and hosts sharing a
 * volume: {@code pop3d.lock} in the Maildir is a symbolic link whose target text names the owner
 * and a random token ({@link LockText}, short enough to live in the inode). {@code symlink(2)} creates it atomically with its content and fails if the
 * name exists; a short target lives in the inode, so locking needs no data block on a full disk
 * and leaves no temporary file. The heartbeat is the link's own mtime. A lock is taken over when
 * its owner is provably dead or its heartbeat is older than the stale timeout, or further in the
 * future than that (a clock one year ahead is not trusted). See ADR 0005.
 */
final class MaildropLock implements AutoCloseable {
    static final String FILE = "pop3d.lock";
    private static final Logger LOG = Logger.getLogger(MaildropLock.class);
    /** An older server wrote regular lock files of ~100 octets; nothing longer is a lock of ours. */
    private static final int MAX_LEGACY_LOCK_OCTETS = 4096;
    private static final Duration FIRST_RETRY = Duration.ofMillis(5);
    private static final Duration MAX_RETRY = Duration.ofMillis(200);

    private final MaildirSettings settings;
    private final InstantSource clock;
    private final Set<Held> held = ConcurrentHashMap.newKeySet();
    /**
     * Serializes this store's own lock steps (create to held, judge and take over, release): else
     * one login could judge a lock of this store that another login is just creating, or that was
     * just released and replaced, to be a leftover, and move the live lock aside (two sessions in
     * one maildrop, RFC 1939 §8). Found by the fault-injection harness.
     */
    private final ReentrantLock ownSteps = new ReentrantLock();
    private final ScheduledExecutorService heartbeat;
    /** Signalled at every release of this store, so a waiting open retries at once. */
    private final ReentrantLock releases = new ReentrantLock();
    private final Condition released = releases.newCondition();

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

    /** A lock this process holds. Heartbeat and release never interleave (one guard per lock). */
    final class Held {
        private final Path file;
        private final String content;
        private final ReentrantLock guard = new ReentrantLock();
        private boolean ended;
        private boolean lossReported;

        private Held(Path file, String content) {
            this.file = file;
            this.content = content;
        }

        /** True while the lock file is still the one we created (nobody took it over). */
        boolean stillOurs() {
            return read(file).map(content::equals).orElse(false);
        }

        /**
         * When the lock file last changed by the file system's own clock (its ctime: set by the
         * symlink(2) and the touch of this login), or empty where the JDK does not tell it.
         */
        Optional<FileTime> changedAt() {
            try {
                return Optional.ofNullable((FileTime) Files.readAttributes(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS)
                        .get("ctime"));
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
                return Optional.empty();
            }
        }

        void touch() throws IOException {
            Files.getFileAttributeView(file, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(clock.instant()), null, null);
        }

        private void beat() {
            guard.lock();
            try {
                if (ended) {
                    return; // released meanwhile (QUIT): nothing was taken over
                }
                if (stillOurs()) {
                    touch();
                } else if (!lossReported) {
                    lossReported = true;
                    LOG.errorf("lock %s was taken over by another process; its session will not delete mail",
                            file.getParent());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf("lock heartbeat for %s failed: %s", file.getParent(), e.getMessage());
            } finally {
                guard.unlock();
            }
        }

        /**
         * Removes the lock file if it is still ours. Not check-then-delete: the link is first
         * renamed to a unique name (an atomic capture of whatever holds the name now); if that is
         * ours it goes, else (it was taken over meanwhile) it is linked back. Idempotent.
         */
        void release() {
            guard.lock();
            try {
                if (ended) {
                    return;
                }
                ended = true;
                ownSteps.lock();
                try {
                    held.remove(this);
                    Path aside = file.resolveSibling(FILE + ".released." + UUID.randomUUID());
                    try {
                        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
                    } catch (NoSuchFileException gone) {
                        return;
                    }
                    try {
                        if (!read(aside).map(content::equals).orElse(false)) {
                            relink(file, aside);
                        }
                    } finally {
                        Files.deleteIfExists(aside);
                    }
                } finally {
                    ownSteps.unlock();
                }
            } catch (IOException e) {
                LOG.warnf("lock %s not removed: %s (it will go stale)", file, e.getMessage());
            } finally {
                guard.unlock();
                signalRelease();
            }
        }
    }

    /**
     * Takes the maildrop's lock, waiting up to {@link MaildirSettings#lockWait()} for a holder to
     * let go (a session of this store being released wakes the wait at once). Blocking.
     */
    Held acquire(Path maildir) throws MailboxInUseException, IOException {
        long deadline = System.nanoTime() + settings.lockWait().toNanos();
        Duration pause = FIRST_RETRY;
        while (true) {
            try {
                return acquireNow(maildir);
            } catch (MailboxInUseException inUse) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw inUse;
                }
                awaitRelease(Math.min(left, pause.toNanos()));
                pause = pause.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : pause.multipliedBy(2);
            }
        }
    }

    private Held acquireNow(Path maildir) throws MailboxInUseException, IOException {
        Path file = maildir.resolve(FILE);
        for (int attempt = 0; attempt < 3; attempt++) {
            String content = LockText.ours(settings).text();
            ownSteps.lock();
            try {
                if (create(file, content)) {
                    CrashPoints.reach(CrashPoints.LOCK_CREATED);
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
                CrashPoints.reach(CrashPoints.TAKEOVER_CLEARED);
            } finally {
                ownSteps.unlock();
            }
        }
        throw new MailboxInUseException("maildrop " + maildir + " lock is contended");
    }

    /** Atomic create-with-content, no temporary file: symlink(2) fails if the name exists. */
    private static boolean create(Path file, String content) throws IOException {
        try {
            Files.createSymbolicLink(file, Path.of(content));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private void awaitRelease(long nanos) {
        releases.lock();
        try {
            released.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            releases.unlock();
        }
    }

    private void signalRelease() {
        releases.lock();
        try {
            released.signalAll();
        } finally {
            releases.unlock();
        }
    }

    /**
     * A lock is stale when its owner is provably gone — same host and process namespace, and
     * its pid is not running (or it is this very store, which does not hold it) — or when its
     * heartbeat is older than the stale timeout, or later than now plus the stale timeout (a clock
     * skew hosts sharing a volume must stay within anyway, ADR 0005). Owners elsewhere are judged
     * by heartbeat only.
     */
    boolean isStale(String content, Instant modified) {
        Optional<LockText> owner = LockText.parse(content);
        if (owner.isPresent() && owner.get().sameHost(settings)) {
            long pid = owner.get().pid();
            if (owner.get().sameStore(settings)) {
                return held.stream().noneMatch(h -> h.content.equals(content));
            }
            if (pid != settings.pid() && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return true;
            }
        }
        Instant now = clock.instant();
        return modified.plus(settings.staleLockTimeout()).isBefore(now)
                || modified.isAfter(now.plus(settings.staleLockTimeout()));
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
        CrashPoints.reach(CrashPoints.TAKEOVER_MOVED);
        try {
            if (read(aside).map(staleContent::equals).orElse(false)) {
                LOG.warnf("took over stale lock of %s (%s)", file.getParent(), ownerOf(staleContent));
            } else {
                relink(file, aside);
            }
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    /** Puts back a lock moved aside by mistake; link(2) links the symlink itself, never its target. */
    private static void relink(Path file, Path aside) throws IOException {
        try {
            Files.createLink(file, aside);
        } catch (FileAlreadyExistsException alreadyRelocked) {
            // someone else holds it now; the next attempt sees their lock
        }
    }

    private void beat() {
        for (Held lock : held) {
            lock.beat();
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
        return LockText.parse(content).map(LockText::owner).orElse("unknown");
    }

    /** The lock's text: a link's target, or (written by an older server) a small regular file's content. */
    private static Optional<String> read(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                return Optional.of(Files.readSymbolicLink(file).toString());
            }
            if (attributes.isRegularFile() && attributes.size() <= MAX_LEGACY_LOCK_OCTETS) {
                return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
            return Optional.of("owner=unknown");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<FileTime> modified(Path file) {
        try {
            return Optional.of(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .lastModifiedTime());
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

package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.mailstore.MailboxInUseException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lock files between "processes": two lock managers with their own identities and clocks. */
class MaildropLockTest {
    private static final Duration STALE = Duration.ofMinutes(2);

    @TempDir
    Path maildir;

    private final MutableClock clock = new MutableClock();

    private MaildropLock manager(String host, long pid) {
        return new MaildropLock(new MaildirSettings(STALE, host, pid, "instance-" + host + pid), clock);
    }

    @Test
    void aLiveForeignLockIsNotTakenOver() throws Exception {
        try (MaildropLock other = manager("other-host", 1); MaildropLock us = manager("this-host", 1)) {
            MaildropLock.Held theirs = other.acquire(maildir);
            clock.advance(STALE.minusSeconds(1));
            assertThrows(MailboxInUseException.class, () -> us.acquire(maildir));
            assertTrue(theirs.stillOurs());
        }
    }

    @Test
    void aLockWhoseHeartbeatStoppedIsTakenOver() throws Exception {
        try (MaildropLock other = manager("other-host", 1); MaildropLock us = manager("this-host", 1)) {
            MaildropLock.Held theirs = other.acquire(maildir);
            clock.advance(STALE.plusSeconds(1));
            MaildropLock.Held ours = us.acquire(maildir);
            assertTrue(ours.stillOurs());
            assertFalse(theirs.stillOurs());
            theirs.release(); // must not remove our lock
            assertTrue(Files.exists(maildir.resolve(MaildropLock.FILE), LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void theHeartbeatKeepsALiveLockFresh() throws Exception {
        try (MaildropLock other = manager("other-host", 1); MaildropLock us = manager("this-host", 1)) {
            other.acquire(maildir);
            for (int i = 0; i < 10; i++) {
                clock.advance(STALE.dividedBy(4));
                other.beatNow();
            }
            assertEquals(clock.instant(), Files.getLastModifiedTime(maildir.resolve(MaildropLock.FILE), LinkOption.NOFOLLOW_LINKS).toInstant());
            assertThrows(MailboxInUseException.class, () -> us.acquire(maildir));
        }
    }

    @Test
    void aLockOfADeadProcessOnThisHostIsTakenOverAtOnce() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        try (MaildropLock gone = manager("this-host", dead.pid()); MaildropLock us = manager("this-host", 1)) {
            gone.acquire(maildir);
            MaildropLock.Held ours = us.acquire(maildir);
            assertTrue(ours.stillOurs());
        }
    }

    @Test
    void aLockOfALiveProcessOnThisHostHolds() throws Exception {
        long livePid = ProcessHandle.current().pid();
        try (MaildropLock live = manager("this-host", livePid); MaildropLock us = manager("this-host", 1)) {
            live.acquire(maildir);
            assertThrows(MailboxInUseException.class, () -> us.acquire(maildir));
        }
    }

    @Test
    void releaseRemovesOnlyOurOwnLock() throws Exception {
        try (MaildropLock us = manager("this-host", 1)) {
            MaildropLock.Held held = us.acquire(maildir);
            held.release();
            assertFalse(Files.exists(maildir.resolve(MaildropLock.FILE), LinkOption.NOFOLLOW_LINKS));
            held.release(); // idempotent
            MaildropLock.Held again = us.acquire(maildir);
            assertThrows(MailboxInUseException.class, () -> us.acquire(maildir));
            again.release();
        }
    }

    @Test
    void aLeftoverOfThisVeryStoreIsStaleButAHeldOneIsNot() throws Exception {
        try (MaildropLock us = manager("this-host", 1)) {
            MaildropLock.Held held = us.acquire(maildir);
            assertThrows(MailboxInUseException.class, () -> us.acquire(maildir));
            // simulate a file left behind by this store that it no longer holds (e.g. lost track)
            Path content = Files.readSymbolicLink(maildir.resolve(MaildropLock.FILE));
            held.release();
            Files.createSymbolicLink(maildir.resolve(MaildropLock.FILE), content);
            assertTrue(us.acquire(maildir).stillOurs());
        }
    }
}

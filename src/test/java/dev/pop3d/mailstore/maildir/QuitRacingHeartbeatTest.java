package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: QUIT (release) racing the lock heartbeat never logs a false "taken over" ERROR or a
 * heartbeat WARN, and a release never removes a lock that is not ours (it captures the lock by
 * rename, then decides; no check-then-delete).
 */
class QuitRacingHeartbeatTest {
    private static final Duration STALE = Duration.ofMinutes(2);

    @TempDir
    Path maildir;

    private final MutableClock clock = new MutableClock();

    @Test
    void releasesRacingHeartbeatsLogNothing() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    logged.add(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(MaildropLock.class.getName());
        logger.addHandler(capture);
        AtomicBoolean running = new AtomicBoolean(true);
        try (MaildropLock locks = new MaildropLock(new MaildirSettings(STALE, "this-host", 1, "instance"), clock)) {
            Thread heartbeat = new Thread(() -> {
                while (running.get()) {
                    locks.beatNow();
                }
            });
            heartbeat.start();
            for (int i = 0; i < 3000; i++) {
                locks.acquire(maildir).release();
            }
            running.set(false);
            heartbeat.join();
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(List.of(), logged.subList(0, Math.min(5, logged.size())));
        assertFalse(Files.exists(maildir.resolve(MaildropLock.FILE), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aReleaseAfterATakeOverLeavesTheNewHolder() throws Exception {
        try (MaildropLock old = new MaildropLock(new MaildirSettings(STALE, "old-host", 1, "a"), clock);
             MaildropLock fresh = new MaildropLock(new MaildirSettings(STALE, "new-host", 1, "b"), clock)) {
            MaildropLock.Held lost = old.acquire(maildir);
            clock.advance(STALE.plusSeconds(1));
            MaildropLock.Held theirs = fresh.acquire(maildir);
            lost.release();
            assertTrue(theirs.stillOurs(), "the new holder's lock survives the old holder's release");
            try (var left = Files.list(maildir)) {
                assertEquals(1, left.count(), "nothing but the lock");
            }
        }
    }
}

package dev.pop3d.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a FIFO named {@code access.log} in the log folder never blocks the log thread (it is
 * refused, and the log goes on once the folder changes), and a stalled writer never blocks the
 * caller: the queue is bounded, a full queue drops and counts ({@code pop3d_access_log_dropped_total}).
 */
class AccessLogNeverBlocksTest {
    @TempDir
    Path dir;

    @Test
    void aFifoNamedAccessLogIsRefusedAndTheLogGoesOn() throws Exception {
        Path fifoFolder = Files.createDirectory(dir.resolve("fifo"));
        Process mkfifo = new ProcessBuilder("mkfifo", fifoFolder.resolve(AccessLog.FILE_NAME).toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Path good = dir.resolve("good");
        AccessLog log = new AccessLog(fifoFolder);
        log.event("connect", "session", "1");
        CountDownLatch tried = new CountDownLatch(1);
        log.onWriter(tried::countDown);
        assertTrue(tried.await(3, TimeUnit.SECONDS), "the writer got past the FIFO");
        log.moveTo(good);
        log.event("connect", "session", "2");
        long started = System.nanoTime();
        log.close();
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(4), "the writer was not stuck");
        assertEquals("event=connect session=2\n", Files.readString(good.resolve(AccessLog.FILE_NAME)));
    }

    @Test
    void aStalledWriterDropsAndCountsInsteadOfBlocking() throws Exception {
        AccessLog log = new AccessLog(dir, 100);
        CountDownLatch stall = new CountDownLatch(1);
        log.onWriter(() -> {
            try {
                stall.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long started = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            log.event("connect", "session", Integer.toString(i));
        }
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "callers never wait for the writer");
        assertTrue(log.dropped() >= 10_000 - 101, "dropped: " + log.dropped());
        stall.countDown();
        log.close();
        long written = Files.readAllLines(dir.resolve(AccessLog.FILE_NAME)).size();
        assertEquals(10_000, written + log.dropped(), "every line is written or counted");
    }
}

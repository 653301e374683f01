package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pop3d.mailstore.MailboxInUseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 1939 §8: one session per maildrop. Two logins of one store racing for a free maildrop: the
 * loser reads the winner's fresh lock before the winner has recorded it as held, and must not
 * judge it stale (it names this very store) and take it over. Found by the fault-injection
 * harness's replica run (load-tests/faults): two sessions of one process held one mailbox.
 */
class ConcurrentLoginsOfOneStoreExcludeTest {
    private static final int THREADS = 6;
    private static final int ROUNDS = 400;

    @TempDir
    Path dir;

    @Test
    void neverTwoHoldersAtOnce() throws Exception {
        Path maildir = Files.createDirectories(dir.resolve("Maildir"));
        MaildirSettings settings = MaildirSettings.defaults(Duration.ofMinutes(2), Duration.ofSeconds(30));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        try (MaildropLock locks = new MaildropLock(settings, InstantSource.system())) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                threads.add(new Thread(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < ROUNDS; i++) {
                            MaildropLock.Held held = locks.acquire(maildir);
                            if (inside.incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            Thread.onSpinWait();
                            inside.decrementAndGet();
                            held.release();
                        }
                    } catch (MailboxInUseException | java.io.IOException | InterruptedException e) {
                        failures.incrementAndGet();
                    }
                }));
            }
            threads.forEach(Thread::start);
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
        }
        assertEquals(0, overlaps.get(), "sessions of one store held the maildrop at the same time");
        assertEquals(0, failures.get(), "an acquire failed (a lock moved away under its creator, or no wait)");
    }
}

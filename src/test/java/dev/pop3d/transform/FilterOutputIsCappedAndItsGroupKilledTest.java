package dev.pop3d.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a filter's output is capped (pop3.transform.max-output-factor × the message, at least
 * pop3.transform.max-output-min), beyond which the run fails and leaves no spool; and whatever
 * the filter started in the background is killed with its process group, on a timeout and after
 * a normal end alike — no orphan reparented to init.
 */
class FilterOutputIsCappedAndItsGroupKilledTest {
    @TempDir
    Path dir;

    private Path message(int octets) throws Exception {
        return Files.writeString(dir.resolve("message"), "Subject: x\n\n" + "y".repeat(Math.max(0, octets - 13)) + "\n");
    }

    private ProcessFilter filter(Duration timeout) {
        return new ProcessFilter(timeout, dir.resolve("spool"), new ProcessFilter.Limits(4, 64 * 1024));
    }

    private long spoolFiles() throws Exception {
        try (var files = Files.list(dir.resolve("spool"))) {
            return files.count();
        }
    }

    @Test
    void thirtyMegabytesForAOneAndAHalfKilobyteMessageFail() throws Exception {
        Path message = message(1500);
        long started = System.nanoTime();
        FilterException failed = assertThrows(FilterException.class,
                () -> filter(Duration.ofSeconds(10)).run("yes | head -c 30000000", message));
        assertTrue(failed.getMessage().contains("exceeds 65536 octets"), failed.getMessage());
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "stopped at the cap, not at the timeout");
        assertEquals(0, spoolFiles());
    }

    @Test
    void theCapIsAFactorOfTheMessageWithAFloor() throws Exception {
        Path message = message(100_000);
        assertEquals(100_000, Files.size(message));
        assertEquals(400_000, filter(Duration.ofSeconds(10)).run("cat >/dev/null; head -c 400000 /dev/zero", message)
                .rawOctets(), "4 × the message: allowed");
        assertThrows(FilterException.class,
                () -> filter(Duration.ofSeconds(10)).run("cat >/dev/null; head -c 400001 /dev/zero", message));
        Path small = message(100);
        assertEquals(60_000, filter(Duration.ofSeconds(10)).run("head -c 60000 /dev/zero", small).rawOctets(),
                "under the floor: allowed");
    }

    private static List<ProcessHandle> marked(String mark) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(mark)).orElse(false))
                .collect(Collectors.toList());
    }

    @Test
    void aBackgroundJobIsKilledOnTimeout() throws Exception {
        Path message = message(100);
        String mark = "30.1" + ProcessHandle.current().pid();
        FilterException failed = assertThrows(FilterException.class,
                () -> filter(Duration.ofMillis(500)).run("(sleep " + mark + " &); sleep " + mark, message));
        assertTrue(failed.getMessage().contains("timed out"), failed.getMessage());
        awaitGone(mark);
    }

    @Test
    void aBackgroundJobIsKilledAfterANormalEnd() throws Exception {
        Path message = message(100);
        String mark = "30.2" + ProcessHandle.current().pid();
        ProcessFilter.Spooled out = filter(Duration.ofSeconds(5))
                .run("(sleep " + mark + " >/dev/null 2>&1 </dev/null &); cat", message);
        assertEquals(Files.size(message), out.rawOctets());
        awaitGone(mark);
    }

    /** SIGKILL is asynchronous: wait for each exit event (bounded), never a fixed sleep. */
    private static void awaitGone(String mark) throws Exception {
        for (ProcessHandle p : marked(mark)) {
            try {
                p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException stillThere) {
                // reported below
            }
        }
        List<ProcessHandle> left = marked(mark);
        left.forEach(ProcessHandle::destroyForcibly);
        assertEquals(List.of(), left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .collect(Collectors.toList()), "no orphan left");
    }
}

package dev.pop3d.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter runs real processes (sh, sed) on real files. */
class ProcessFilterTest {
    @TempDir
    Path dir;

    private Path message;
    private ProcessFilter filter;

    @BeforeEach
    void setUp() throws Exception {
        message = dir.resolve("message");
        Files.writeString(message, "Subject: Hello there\n\nA quiet evening.\n");
        filter = new ProcessFilter(Duration.ofSeconds(2), dir.resolve("spool"));
    }

    @Test
    void aShellPipelineTransformsAndTheOutputIsCounted() throws Exception {
        ProcessFilter.Spooled out = filter.run("sed s/[Aa]/4/g|sed s/[Ee]/3/g", message);
        String text = Files.readString(out.file());
        assertEquals("Subj3ct: H3llo th3r3\n\n4 qui3t 3v3ning.\n", text);
        assertEquals(text.length() + 3, out.octets(), "CRLF form: one more octet per line");
        assertArrayEquals("Subject: Hello there\n\nA quiet evening.\n".getBytes(StandardCharsets.US_ASCII),
                Files.readAllBytes(message), "the stored message is untouched");
    }

    @Test
    void failingMissingHangingAndNoisyFiltersAreErrorsAndLeaveNoSpool() throws Exception {
        assertTrue(assertThrows(FilterException.class, () -> filter.run("false", message)).getMessage().contains("exited with 1"));
        assertTrue(assertThrows(FilterException.class, () -> filter.run("no-such-program-xyz", message)).getMessage()
                .contains("exited with 127"));
        long started = System.nanoTime();
        assertTrue(assertThrows(FilterException.class, () -> filter.run("sleep 30", message)).getMessage().contains("timed out"));
        assertTrue(System.nanoTime() - started < 20_000_000_000L, "killed, not waited for");
        assertTrue(assertThrows(FilterException.class, () -> filter.run("cat; echo oops >&2", message)).getMessage()
                .contains("stderr"));
        try (var spool = Files.list(dir.resolve("spool"))) {
            assertEquals(0, spool.count());
        }
    }
}

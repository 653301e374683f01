package dev.pop3d.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A test JVM that exits with the server still running leaves no child behind (the shutdown hook). */
class ShutdownHookTest {
    @Test
    void theChildDiesWithTheTestJvm() throws Exception {
        Process jvm = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StartAndExit.class.getName(), System.getProperty("pop3d.jar")))
                .redirectErrorStream(true).start();
        assertTrue(jvm.waitFor(120, TimeUnit.SECONDS), "the test JVM ended");
        String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, jvm.exitValue(), out);
        String line = out.lines().filter(l -> l.startsWith("pid ")).findFirst().orElseThrow(() -> new AssertionError(out));
        long pid = Long.parseLong(line.substring(4).strip());
        assertTrue(Pop3dExtensionLifecycleTest.gone(pid), "pid " + pid + " outlived the test JVM");
    }
}

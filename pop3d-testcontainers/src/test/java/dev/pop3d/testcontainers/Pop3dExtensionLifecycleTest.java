package dev.pop3d.testcontainers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start and stop by hand, no child left behind, and the errors a user sees when the jar is missing
 * or the server refuses to start.
 */
class Pop3dExtensionLifecycleTest {
    static final Path JAR = Path.of(System.getProperty("pop3d.jar"));
    @TempDir
    Path dir;

    static boolean gone(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        return handle.isEmpty() || !handle.get().isAlive();
    }

    @Test
    void startedByHandItStopsByPidAndLeavesNothingBehind() {
        Pop3dExtension pop3d = Pop3dExtension.builder().jar(JAR).stopTimeout(Duration.ofSeconds(5)).build();
        long pid;
        Path data;
        try (pop3d) {
            pop3d.start();
            pid = pop3d.pid();
            data = pop3d.dataDir();
            assertTrue(pop3d.isRunning());
            assertTrue(Files.isDirectory(data));
            assertTrue(Files.isRegularFile(pop3d.logFile()));
        }
        assertFalse(pop3d.isRunning());
        assertTrue(gone(pid), "no child left behind: pid " + pid);
        assertFalse(Files.exists(data.getParent()), "its temporary directory is deleted");
        IllegalStateException stopped = assertThrows(IllegalStateException.class, pop3d::pop3Port);
        assertTrue(stopped.getMessage().contains("not running"), stopped.getMessage());
        pop3d.stop(); // idempotent
    }

    @Test
    void aMissingJarFailsTheStartWithThePathAndHowToBuildIt() {
        Path missing = dir.resolve("target/quarkus-app/quarkus-run.jar");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Pop3dExtension.fromJar(missing).start());
        assertTrue(e.getMessage().contains("no pop3d server jar at " + missing), e.getMessage());
        assertTrue(e.getMessage().contains("mvn -B package -DskipTests"), e.getMessage());
    }

    @Test
    void aRefusedConfigurationFailsTheStartWithTheServersOwnWords() {
        Pop3dExtension pop3d = Pop3dExtension.builder().jar(JAR).dataDir(dir)
                .property("pop3.limits.max-bad-commands", "0").build();
        IllegalStateException e = assertThrows(IllegalStateException.class, pop3d::start);
        assertTrue(e.getMessage().contains("exited with 78"), e.getMessage());
        assertTrue(e.getMessage().contains("pop3.limits.max-bad-commands"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("pop3d.log")), "a data directory of the caller's is kept");
    }
}

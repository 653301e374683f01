package dev.pop3d.testcontainers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The child-process launcher on its own, with keys every server build knows (no test-server profile
 * needed): start, readiness, POP3 on the chosen port, stop by PID, and the errors a user sees.
 */
class ChildServerTest {
    static final Path JAR = Path.of(System.getProperty("pop3d.jar", "../target/quarkus-app/quarkus-run.jar"));
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path dir;

    private Map<String, String> plainServer(FreePorts.Set ports) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("pop3.host", "127.0.0.1");
        keys.put("pop3.port", String.valueOf(ports.pop3()));
        keys.put("quarkus.http.host", "127.0.0.1");
        keys.put("quarkus.http.port", String.valueOf(ports.http()));
        keys.put("conf1.port", String.valueOf(ports.conf1Udp()));
        keys.put("hdrp.port", String.valueOf(ports.hdrp()));
        keys.put("hdrp.udp-port", String.valueOf(ports.hdrpUdp()));
        keys.put("pop3.data-dir", dir.resolve("data").toString());
        keys.put("pop3.users", "alice:alice-pw");
        keys.put("pop3.auth.failure-delay", "0s");
        return keys;
    }

    private ChildServer start(FreePorts.Set ports, Map<String, String> keys) {
        return ChildServer.start(JAVA, JAR, ChildDefaults.JVM_OPTIONS, keys, dir.resolve("pop3d.log"),
                URI.create("http://127.0.0.1:" + ports.http() + "/q/health/ready"), Duration.ofSeconds(60),
                Duration.ofSeconds(10));
    }

    @Test
    void startsReadyServesAMessagePlacedInTheMaildirAndStopsByPid() throws Exception {
        FreePorts.Set ports = FreePorts.Set.pick();
        long begin = System.nanoTime();
        ChildServer child = start(ports, plainServer(ports));
        System.out.printf("child server ready in %d ms (pid %d)%n", (System.nanoTime() - begin) / 1_000_000, child.pid());
        long pid = child.pid();
        try {
            Path fresh = Files.createDirectories(dir.resolve("data/mail/alice/Maildir/new"));
            Files.createDirectories(fresh.resolveSibling("cur"));
            Files.createDirectories(fresh.resolveSibling("tmp"));
            byte[] stored = "Subject: placed\n\n.a dot line\nend\n".getBytes(StandardCharsets.US_ASCII);
            Files.write(fresh.resolve("1700000000.M1P1.test"), stored);
            try (Pop3Wire pop3 = new Pop3Wire("127.0.0.1", ports.pop3()).login("alice", "alice-pw")) {
                assertEquals(1, pop3.count());
                assertArrayEquals("Subject: placed\r\n\r\n.a dot line\r\nend\r\n".getBytes(StandardCharsets.US_ASCII),
                        pop3.retr(1));
            }
        } finally {
            child.stop();
        }
        assertFalse(child.isAlive());
        Optional<ProcessHandle> left = ProcessHandle.of(pid);
        assertTrue(left.isEmpty() || !left.get().isAlive(), "no child left behind: pid " + pid);
        child.stop(); // idempotent
    }

    @Test
    void aMissingJarNamesThePathAndHowToBuildIt() {
        Path missing = dir.resolve("nowhere/quarkus-run.jar");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ChildServer.start(JAVA, missing,
                List.of(), Map.of(), dir.resolve("log"), URI.create("http://127.0.0.1:1/"), Duration.ofSeconds(1),
                Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("-Dpop3d.jar=PATH"), e.getMessage());
    }

    @Test
    void aServerThatRefusesItsConfigurationFailsWithItsExitCodeAndLogTail() {
        FreePorts.Set ports = FreePorts.Set.pick();
        Map<String, String> keys = plainServer(ports);
        keys.put("pop3.port", "70000"); // out of range: the server exits 78 and names the key
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> start(ports, keys));
        assertTrue(e.getMessage().contains("pop3d exited with 78 before it was ready"), e.getMessage());
        assertTrue(e.getMessage().contains("pop3.port"), "the log's tail names the key:\n" + e.getMessage());
    }
}

package dev.pop3d.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One run of the server jar for {@link Pop3dExtension}: its ports, data directory, admin client and
 * child process, from a ready start to {@link #stop()}.
 */
final class TestServer {
    /** How long a cleanup waits for POP3 sessions of the previous test to release their maildrops. */
    private static final Duration CLEANUP_WAIT = Duration.ofSeconds(10);

    final FreePorts.Set ports;
    final Path dir;
    final Pop3dAdmin admin;
    final Duration startTime;
    private final ChildServer child;
    private final boolean ownDir;

    private TestServer(FreePorts.Set ports, Path dir, boolean ownDir, Pop3dAdmin admin, ChildServer child,
            Duration startTime) {
        this.ports = ports;
        this.dir = dir;
        this.ownDir = ownDir;
        this.admin = admin;
        this.child = child;
        this.startTime = startTime;
    }

    /** Starts the jar with {@code settings} on fresh free ports and waits until it is ready. */
    static TestServer start(Path jar, Path java, Path dataDir, Map<String, String> users, Map<String, String> properties,
            List<String> jvmOptions, boolean classDataArchive, Duration startTimeout, Duration stopTimeout) {
        FreePorts.Set ports = FreePorts.Set.pick();
        String token = Pop3dAdmin.generateToken();
        Path dir;
        try {
            dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("pop3d-test-");
            Files.createDirectories(dir.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("no data directory for pop3d", e);
        }
        List<String> options = new ArrayList<>(ChildDefaults.JVM_OPTIONS);
        options.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
        options.addAll(jvmOptions);
        ClassDataArchive archive = classDataArchive && ClassDataArchive.enabledByProperty()
                ? ClassDataArchive.forJar(java, jar, options) : ClassDataArchive.none();
        Map<String, String> keys = ChildDefaults.properties(ports, dir.resolve("data"), token, users);
        keys.putAll(properties);
        URI http = URI.create("http://" + Pop3dExtension.HOST + ":" + ports.http());
        long started = System.nanoTime();
        ChildServer child = ChildServer.start(java, jar, options, archive, keys, dir.resolve("pop3d.log"),
                http.resolve("/q/health/ready"), startTimeout, stopTimeout);
        return new TestServer(ports, dir, dataDir == null, new Pop3dAdmin(http, token), child,
                Duration.ofNanos(System.nanoTime() - started));
    }

    long pid() {
        return child.pid();
    }

    boolean isAlive() {
        return child.isAlive();
    }

    /** Runs {@code cleanup}, again while the server answers 409: a closing POP3 session of the last test holds a maildrop. */
    void clean(Pop3dExtension.Cleanup cleanup) {
        Runnable step = switch (cleanup) {
            case RESET -> admin::reset;
            case PURGE -> admin::purge;
            case NONE -> () -> { };
        };
        long deadline = System.nanoTime() + CLEANUP_WAIT.toNanos();
        while (true) {
            try {
                step.run();
                return;
            } catch (Pop3dAdminException e) {
                if (e.status() != 409 || System.nanoTime() > deadline) {
                    throw new IllegalStateException("pop3d could not be cleaned before the test (" + cleanup
                            + "): a POP3 session of an earlier test still holds a maildrop? " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while cleaning pop3d", e);
            }
        }
    }

    /** Stops the child by its PID and deletes the data directory it was given unless the caller chose it. */
    void stop() {
        child.stop();
        if (ownDir) {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a test for
        }
    }
}

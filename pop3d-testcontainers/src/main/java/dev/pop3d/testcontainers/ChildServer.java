package dev.pop3d.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The runnable server jar as a child process: {@code java [jvm options] -Dkey=value... -jar JAR},
 * output to a log file, ready when {@code GET /q/health/ready} answers 200. Stopped by its PID:
 * SIGTERM, then SIGKILL after the grace period; a JVM shutdown hook does the same if the test JVM
 * ends first. Its own descendants (transformation filters) are killed with it. With a
 * {@link ClassDataArchive}, its options go first, and once the child has exited the archive it made
 * is kept (exited after SIGTERM once ready) or its temporary file deleted.
 */
final class ChildServer {
    private static final int LOG_TAIL_LINES = 40;
    private static final Duration POLL = Duration.ofMillis(20);

    private final Process process;
    private final Path log;
    private final Thread hook;
    private final Duration grace;
    private final ClassDataArchive archive;
    private volatile boolean wasReady;

    private ChildServer(Process process, Path log, Duration grace, ClassDataArchive archive) {
        this.process = process;
        this.log = log;
        this.grace = grace;
        this.archive = archive;
        this.hook = new Thread(this::stopQuietly, "pop3d-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts {@code jar} and waits until {@code ready} answers 200, the child exits, or
     * {@code timeout} passes; the last two throw an {@link IllegalStateException} with the log's tail.
     */
    static ChildServer start(Path java, Path jar, List<String> jvmOptions, Map<String, String> properties, Path log,
            URI ready, Duration timeout, Duration grace) {
        return start(java, jar, jvmOptions, ClassDataArchive.none(), properties, log, ready, timeout, grace);
    }

    /** As above, with the options of {@code archive} before {@code jvmOptions}. */
    static ChildServer start(Path java, Path jar, List<String> jvmOptions, ClassDataArchive archive,
            Map<String, String> properties, Path log, URI ready, Duration timeout, Duration grace) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no pop3d server jar at " + jar.toAbsolutePath() + ": build the server "
                    + "(mvn -B package -DskipTests gives target/quarkus-app/quarkus-run.jar) and pass its path with "
                    + "-Dpop3d.jar=PATH or Pop3dExtension.fromJar(PATH)");
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(archive.options());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            archive.afterExit(false);
            throw new UncheckedIOException("could not run " + java, e);
        }
        ChildServer child = new ChildServer(process, log, grace, archive);
        child.awaitReady(ready, timeout);
        return child;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, up to the grace period, then SIGKILL; the same for descendants left behind. Idempotent. */
    void stop() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        boolean clean = false;
        try {
            clean = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            if (!clean) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (!process.isAlive()) {
            archive.afterExit(clean && wasReady);
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }

    private void stopQuietly() {
        process.destroy();
        boolean clean = false;
        try {
            clean = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            if (!clean) {
                process.destroyForcibly().waitFor(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
        if (!process.isAlive()) {
            archive.afterExit(clean && wasReady);
        }
    }

    private void awaitReady(URI ready, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                stop();
                throw failure("pop3d exited with " + process.exitValue() + " before it was ready");
            }
            try {
                HttpResponse<String> answer = http.send(probe, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    wasReady = true;
                    return;
                }
                last = answer.statusCode() + " " + answer.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw failure("interrupted while waiting for pop3d");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw failure("interrupted while waiting for pop3d");
            }
        }
        stop();
        throw failure("pop3d was not ready within " + timeout + " (" + ready + ": " + last + ")");
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException(what + "; the last lines of " + log + ":\n" + logTail());
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

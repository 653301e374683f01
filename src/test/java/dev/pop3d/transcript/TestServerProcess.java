package dev.pop3d.transcript;

import dev.pop3d.testing.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server started the way {@code Pop3dExtension} of pop3d-testcontainers starts it
 * (that project is built after the server, so its tests cannot use it here): {@code java} of this
 * JVM with {@link #JVM_OPTIONS} and {@code -Djava.io.tmpdir}, the {@code test-server} profile,
 * every listener on its own free port of 127.0.0.1, a fresh admin token, no configured user,
 * ready when {@code GET /q/health/ready} answers 200. {@link TestServerLaunchTest} checks these
 * facts against the extension's sources, so the two cannot drift apart.
 */
final class TestServerProcess implements AutoCloseable {
    /** {@code ChildDefaults.JVM_OPTIONS} of pop3d-testcontainers. */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmn32m", "-Xmx256m", "-XX:TieredStopAtLevel=1");
    static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(20);

    private final Path dir;
    private final Map<String, String> properties;
    private final Process process;
    private final String token;

    private TestServerProcess(Path dir, Map<String, String> properties, Process process, String token) {
        this.dir = dir;
        this.properties = properties;
        this.process = process;
        this.token = token;
    }

    /** Starts {@code jar} with its files under {@code dir} and waits until it is ready. */
    static TestServerProcess start(Path jar, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("tmp"));
        String token = token();
        Map<String, String> keys = properties(dir.resolve("data"), token);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
        keys.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("pop3d.log").toFile()).start();
        TestServerProcess server = new TestServerProcess(dir, keys, process, token);
        try {
            server.awaitReady();
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    /** The extension's keys: profile, data directory, every listener on a free loopback port, the token. */
    static Map<String, String> properties(Path data, String token) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("quarkus.profile", "test-server");
        keys.put("pop3.data-dir", data.toString());
        keys.put("pop3.host", HOST);
        keys.put("pop3.port", String.valueOf(freeTcp()));
        keys.put("pop3.lmtp.enabled", "true");
        keys.put("pop3.lmtp.host", HOST);
        keys.put("pop3.lmtp.port", String.valueOf(freeTcp()));
        keys.put("pop3.smtp.enabled", "true");
        keys.put("pop3.smtp.host", HOST);
        keys.put("pop3.smtp.port", String.valueOf(freeTcp()));
        keys.put("quarkus.http.host", HOST);
        keys.put("quarkus.http.port", String.valueOf(freeTcp()));
        keys.put("conf1.host", HOST);
        keys.put("conf1.port", String.valueOf(ServerProcess.freeUdpPort()));
        keys.put("hdrp.host", HOST);
        keys.put("hdrp.port", String.valueOf(freeTcp()));
        keys.put("hdrp.udp-port", String.valueOf(ServerProcess.freeUdpPort()));
        keys.put("pop3.admin.token", token);
        return keys;
    }

    int pop3Port() {
        return Integer.parseInt(properties.get("pop3.port"));
    }

    int smtpPort() {
        return Integer.parseInt(properties.get("pop3.smtp.port"));
    }

    /** The admin API of this server, with its token. */
    AdminApi admin() {
        return new AdminApi(http(), token);
    }

    /** The server's output so far. */
    String log() throws IOException {
        return Files.readString(dir.resolve("pop3d.log"), StandardCharsets.UTF_8);
    }

    /** Stops the server (SIGTERM, SIGKILL after the grace period); fails if an event loop was ever blocked. */
    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        String log = log();
        if (log.contains("has been blocked for")) {
            throw new AssertionError("an event loop of the test server was blocked:\n" + log);
        }
    }

    private void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private URI http() {
        return URI.create("http://" + HOST + ":" + properties.get("quarkus.http.port"));
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(http().resolve("/q/health/ready")).timeout(Duration.ofSeconds(2))
                .GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the test server exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> answer = client.send(probe, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return;
                }
                last = answer.statusCode() + " " + answer.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IOException("the test server was not ready within " + START_TIMEOUT + " (" + last + "):\n" + log());
    }

    private static int freeTcp() {
        try {
            return ServerProcess.freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** 32 random letters, as the extension generates them. */
    private static String token() {
        String letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        SecureRandom random = new SecureRandom();
        StringBuilder token = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            token.append(letters.charAt(random.nextInt(letters.length())));
        }
        return token.toString();
    }
}

package dev.pop3d.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The packaged server ({@code target/quarkus-app/quarkus-run.jar}) as a separate OS process on
 * free loopback ports, with its own data directory, users file and Maildirs — as an operator
 * runs it. {@link #kill()} is SIGKILL, {@link #stop()} SIGTERM.
 */
public final class ServerProcess implements AutoCloseable {
    private static final AtomicLong DELIVERIES = new AtomicLong();

    private final Path dir;
    private final Map<String, String> users = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private int port;
    private Process process;
    private Path log;
    private int starts;
    private Map<String, String> locale;
    /** Runs the server as this uid and gid (setpriv), or -1: as this process. */
    private int runAs = -1;

    public ServerProcess(Path dir) {
        this.dir = dir;
        property("pop3.auth.failure-delay", "0s");
        // as a test server is run: loopback is trusted (no penalties or per-address limit); the
        // attack tests set it back to empty
        property("pop3.auth.trusted-networks", "127.0.0.0/8,::1/128");
        property("conf1.port", String.valueOf(freeUdpPort())); // never the shared default 9090
        property("hdrp.port", String.valueOf(freePortUnchecked())); // nor HDRP's 50366/50367
        property("hdrp.udp-port", String.valueOf(freeUdpPort()));
    }

    /** A user with a plain password, or any users-file secret when it starts with '{'. */
    public ServerProcess user(String name, String secret) {
        users.put(name, secret.startsWith("{") ? secret : "{PLAIN}" + secret);
        return this;
    }

    public ServerProcess property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Starts without {@code key} (for an old build that refuses keys it does not know). */
    public ServerProcess withoutProperty(String key) {
        properties.remove(key);
        return this;
    }

    /** A property as it will be passed (free ports chosen at construction included). */
    public String propertyValue(String key) {
        return properties.get(key);
    }

    /** Starts the server with these locale variables only (LANG, LC_*): none means "unset". */
    public ServerProcess locale(Map<String, String> variables) {
        locale = Map.copyOf(variables);
        return this;
    }

    /**
     * Runs the server as {@code uid} (group {@code uid} too, no supplementary groups) through
     * {@code setpriv}, as an unprivileged operator does: file modes then apply (root ignores them).
     * Needs root. The server's directory tree is given to {@code uid} at start and at each
     * delivery; its ancestors and the jar must be reachable by others (checked at start).
     */
    public ServerProcess runAs(int uid) {
        runAs = uid;
        return this;
    }

    /** Gives {@code path} and everything under it to the {@link #runAs} user (no-op without one). */
    public void chown(Path path) throws IOException {
        if (runAs < 0) {
            return;
        }
        try (var tree = Files.walk(path)) {
            for (Path p : (Iterable<Path>) tree::iterator) {
                Files.setAttribute(p, "unix:uid", runAs, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", runAs, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /** Every ancestor of {@code path} must let others through, or the unprivileged server cannot reach it. */
    private static void requireReachableByOthers(Path path) throws IOException {
        if (!reachableByOthers(path)) {
            throw new IllegalStateException("an ancestor of " + path + " is not searchable by others: the server run as "
                    + "another user cannot reach it");
        }
    }

    private static boolean reachableByOthers(Path path) throws IOException {
        for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The jar the {@link #runAs} user can read: the packaged one where others can reach and read
     * it, else a copy of its quarkus-app folder in the server's directory (a checkout under a
     * private home, say).
     */
    private Path jarFor(int uid) throws IOException {
        Path jar = jar().toAbsolutePath();
        if (uid < 0 || reachableByOthers(jar) && Files.getPosixFilePermissions(jar)
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
            return jar;
        }
        Path app = jar.getParent();
        Path copy = dir.resolve("quarkus-app");
        if (!Files.exists(copy)) {
            try (var tree = Files.walk(app)) {
                for (Path from : (Iterable<Path>) tree::iterator) {
                    Path to = copy.resolve(app.relativize(from).toString());
                    if (Files.isDirectory(from)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(from, to);
                    }
                }
            }
        }
        return copy.resolve(jar.getFileName().toString());
    }

    public ServerProcess jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /** The users file the server was started with (edit it to test reloading). */
    public Path usersFile() {
        return dir.resolve("users");
    }

    public Path data() {
        return dir.resolve("data");
    }

    public Path maildir(String user) {
        return data().resolve("mail").resolve(user).resolve("Maildir");
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Starts (or restarts, on the same port and data) and waits for the greeting. */
    public ServerProcess start() throws IOException, InterruptedException {
        if (port == 0) {
            port = freePort();
        }
        Files.createDirectories(data());
        StringBuilder file = new StringBuilder();
        users.forEach((user, secret) -> file.append(user).append(':').append(secret).append('\n'));
        Path usersFile = dir.resolve("users");
        Files.writeString(usersFile, file, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        Path jar = jarFor(runAs);
        if (runAs >= 0) {
            requireReachableByOthers(dir);
            chown(dir);
            command.addAll(List.of("setpriv", "--reuid=" + runAs, "--regid=" + runAs, "--clear-groups"));
        }
        command.addAll(javaCommand());
        command.addAll(jvmArgs);
        command.add("-Dpop3.host=127.0.0.1");
        command.add("-Dpop3.port=" + port);
        command.add("-Dpop3.data-dir=" + data());
        if (!users.isEmpty()) { // none: demo mode (an empty users file is refused)
            command.add("-Dpop3.users-file=" + usersFile);
        }
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + freePort());
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        log = dir.resolve("server-" + port + "-" + (++starts) + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (locale != null) {
            builder.environment().keySet().removeIf(name -> name.equals("LANG") || name.startsWith("LC_"));
            builder.environment().putAll(locale);
        }
        process = builder.start();
        awaitGreeting(Duration.ofSeconds(60));
        return this;
    }

    private void awaitGreeting(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("server exited with " + process.exitValue() + ":\n" + logTail());
            }
            try (RawClient probe = new RawClient("127.0.0.1", port)) {
                if (probe.line().startsWith("+OK")) {
                    probe.command("QUIT");
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("server did not greet within " + timeout + ":\n" + logTail());
    }

    /** SIGTERM and wait: the graceful shutdown path. Returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    /** SIGKILL: a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Puts a message into new/ the way an outside delivery agent does (tmp/, then rename). */
    public Path deliver(String user, byte[] message) throws IOException {
        Path maildir = maildir(user);
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(maildir.resolve(sub));
        }
        String name = String.format("%d.M%06dP%dQ%d.it-host", System.currentTimeMillis() / 1000,
                DELIVERIES.incrementAndGet(), ProcessHandle.current().pid(), DELIVERIES.get());
        Path temp = maildir.resolve("tmp").resolve(name);
        Files.write(temp, message);
        Path delivered = Files.move(temp, maildir.resolve("new").resolve(name));
        chown(data());
        return delivered;
    }

    public RawClient client() throws IOException {
        return new RawClient("127.0.0.1", port);
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Stops the server; fails if Vert.x ever reported a blocked event loop in its log. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
        if (log != null) {
            String text;
            try {
                text = log();
            } catch (IOException e) {
                return;
            }
            if (text.contains("has been blocked for")) {
                throw new AssertionError("an event loop was blocked:\n" + logTail());
            }
        }
    }

    public static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return List.of(java);
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("pop3d.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no packaged server at " + jar + ": run mvn package first");
        }
        return jar;
    }

    public static int freeUdpPort() {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int freePortUnchecked() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The RFC 1939 wire form of a stored message: LF becomes CRLF, a final CRLF is added. */
    public static byte[] crlf(byte[] stored) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(stored.length + 64);
        for (int i = 0; i < stored.length; i++) {
            if (stored[i] == '\n' && (i == 0 || stored[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(stored[i]);
        }
        if (stored.length > 0 && stored[stored.length - 1] != '\n') {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }
}

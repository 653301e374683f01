package dev.pop3d.load.faults;

import dev.pop3d.load.client.Pop3Client;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One packaged server process ({@code java -jar quarkus-run.jar}) on free loopback ports, as the
 * server's own tests run it: own data directory, a users file, a Maildir root (shared by the two
 * replicas), failure delay 0, loopback trusted. Started, SIGKILLed and restarted by this harness
 * only, always by its own {@link Process} handle (never by name).
 */
final class ServerNode {
    static final String CRASH_PREFIX = "pop3d test crash point fired: ";
    /** Every process this harness started and has not seen die: killed by PID if the harness is stopped. */
    private static final java.util.Set<Process> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly),
                "stop-started-servers"));
    }

    private final String name;
    private final Path jar;
    private final Path dir;
    private final Path maildirRoot;
    private final Path usersFile;
    private final List<String> jvmFlags;
    private final List<String> extraProperties;
    private Process process;
    private Path log;
    private int port;
    private int starts;
    private long killedAtNanos;

    ServerNode(String name, Path jar, Path dir, Path maildirRoot, Path usersFile, List<String> jvmFlags,
               List<String> extraProperties) {
        this.name = name;
        this.jar = jar;
        this.dir = dir;
        this.maildirRoot = maildirRoot;
        this.usersFile = usersFile;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.extraProperties = List.copyOf(extraProperties);
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    int starts() {
        return starts;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Starts on fresh free ports (the POP3 port stays once chosen) and waits for the greeting. */
    void start() throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                startOnce();
                return;
            } catch (IOException e) {
                last = e; // a port taken meanwhile by someone else: new ports
                port = 0;
            }
        }
        throw last;
    }

    private void startOnce() throws IOException, InterruptedException {
        if (port == 0) {
            port = freeTcpPort();
        }
        Files.createDirectories(dir.resolve("data"));
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmFlags);
        command.add("-Dpop3.host=127.0.0.1");
        command.add("-Dpop3.port=" + port);
        command.add("-Dpop3.data-dir=" + dir.resolve("data"));
        command.add("-Dpop3.maildir.root=" + maildirRoot);
        command.add("-Dpop3.users-file=" + usersFile);
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + freeTcpPort());
        command.add("-Dconf1.port=" + freeUdpPort());
        command.add("-Dhdrp.port=" + freeTcpPort());
        command.add("-Dhdrp.udp-port=" + freeUdpPort());
        command.add("-Dpop3.auth.failure-delay=0s");
        command.add("-Dpop3.auth.trusted-networks=127.0.0.0/8,::1/128");
        // CONF1 and HDRP never write the Maildir: off, each start costs ~5 % less CPU (kills per second)
        command.add("-Dconf1.enabled=false");
        command.add("-Dhdrp.enabled=false");
        for (String property : extraProperties) {
            command.add("-D" + property);
        }
        command.add("-jar");
        command.add(jar.toString());
        log = dir.resolve(name + "-" + (++starts) + ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        STARTED.add(process);
        Process started = process;
        started.onExit().thenRun(() -> STARTED.remove(started));
        killedAtNanos = 0;
        awaitGreeting(60_000);
        Files.deleteIfExists(dir.resolve(name + "-" + (starts - 3) + ".log")); // keep the last few logs
    }

    private void awaitGreeting(long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + ": " + logTail());
            }
            try (Pop3Client probe = Pop3Client.connect("127.0.0.1", port, 2000)) {
                if (probe.greeting().ok()) {
                    probe.send("QUIT");
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(15);
            }
        }
        process.destroyForcibly().waitFor();
        throw new IOException(name + " did not greet within " + timeoutMillis + " ms: " + logTail());
    }

    /** SIGKILL (Process.destroyForcibly on Unix) and wait until the process is gone. */
    void kill() throws InterruptedException {
        killedAtNanos = System.nanoTime();
        process.destroyForcibly();
        process.waitFor();
    }

    /** When the last {@link #kill()} was sent, 0 if this process was not killed by us. */
    long killedAtNanos() {
        return killedAtNanos;
    }

    /** Waits for the process to die by itself (a crash point); true if it did in time. */
    boolean awaitDeath(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    /** SIGTERM, as an operator stops it (the JVM then writes a CDS archive if asked to). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** The crash point named in this start's log, if one fired. */
    Optional<String> firedCrashPoint() throws IOException {
        for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
            int at = line.indexOf(CRASH_PREFIX);
            if (at >= 0) {
                return Optional.of(line.substring(at + CRASH_PREFIX.length()).strip());
            }
        }
        return Optional.empty();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Whether any log of this node reported a blocked event loop. */
    String log() throws IOException {
        return Files.readString(log, StandardCharsets.ISO_8859_1);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

package dev.pop3d.load.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One server under test, started and stopped by the driver only (by its own PID). {@link #start()}
 * returns the milliseconds from process start to the first {@code +OK} greeting.
 */
abstract class Peer {
    /** PIDs of servers this driver started and has not stopped: killed by the shutdown hook. */
    static final Set<Long> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(pid ->
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly)), "stop-bench-servers"));
    }

    final String name;
    final Path dir;
    final int port;
    int generation;

    Peer(String name, Path dir, int port) {
        this.name = name;
        this.dir = dir;
        this.port = port;
    }

    /** Wrong answers fail the run (pop3d, Dovecot), or are only counted (GreenMail). */
    boolean strict() {
        return true;
    }

    /** GreenMail: its known deviations are normalised before comparing. */
    boolean lenient() {
        return !strict();
    }

    /** Copies the corpus, writes configuration; once, before the first start. */
    abstract void prepare(Corpus corpus) throws Exception;

    abstract double start() throws Exception;

    abstract void stop() throws Exception;

    /** The root of the server's process tree. */
    abstract long pid();

    /** Every non-default setting, as markdown. */
    abstract String settings();

    abstract String version() throws Exception;

    /** A restart with the same data (page cache kept); GreenMail must be re-delivered to. */
    double restart() throws Exception {
        stop();
        return start();
    }

    /** Waits for {@code +OK} on the POP3 port, returns ms since {@code startNanos}. */
    double awaitGreeting(long startNanos, long timeoutMillis, ProcessHandle process) throws Exception {
        long deadline = startNanos + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IOException(name + " exited before greeting; see " + dir);
            }
            try (BenchClient probe = BenchClient.connect(null, port, 2000, 512)) {
                String greeting = probe.status();
                double millis = (System.nanoTime() - startNanos) / 1e6;
                if (greeting.startsWith("+OK")) {
                    probe.send("QUIT");
                    return millis;
                }
                throw new IOException(name + " greeted with " + greeting);
            } catch (java.net.ConnectException notYet) {
                Thread.sleep(2);
            }
        }
        throw new IOException(name + " did not greet within " + timeoutMillis + " ms");
    }

    /**
     * Runs a short command, returns its output; a non-zero exit throws. The output goes through a
     * file, not a pipe: a daemon (dovecot) keeps its inherited stdout open after the command exits.
     */
    static String run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("bench-run", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 300 s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** A hard-linked copy of the corpus (servers rename, never rewrite, message files). */
    static void linkCopy(Path master, Path target) throws IOException, InterruptedException {
        if (Files.exists(target)) {
            run(List.of("rm", "-rf", target.toString()));
        }
        Files.createDirectories(target.getParent());
        run(List.of("cp", "-al", master.toString(), target.toString()));
    }

    static void stopPid(long pid, long timeoutMillis) throws InterruptedException {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        LIVE.remove(pid);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static List<String> lines(String... lines) {
        return new ArrayList<>(List.of(lines));
    }
}

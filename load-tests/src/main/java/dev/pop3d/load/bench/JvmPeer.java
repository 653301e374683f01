package dev.pop3d.load.bench;

import java.nio.file.Path;
import java.util.List;

/** A server that is one JVM process started by the driver (pop3d, GreenMail): started, stopped by its PID. */
abstract class JvmPeer extends Peer {
    private Process process;

    JvmPeer(String name, Path dir, int port) {
        super(name, dir, port);
    }

    /** Starts {@code command} with its output in {@code log}; returns ms to the first {@code +OK}. */
    final double launch(List<String> command, Path log, long timeoutMillis) throws Exception {
        long startNanos = System.nanoTime();
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LIVE.add(process.pid());
        return awaitGreeting(startNanos, timeoutMillis, process.toHandle());
    }

    @Override
    void stop() throws Exception {
        if (process != null) {
            stopPid(process.pid(), 30_000);
            process.waitFor();
        }
    }

    @Override
    long pid() {
        return process.pid();
    }
}

package dev.pop3d.transform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Filter processes in a session of their own: {@code setsid sh -c COMMAND} makes {@code sh} the
 * leader of a new process group whose id is its pid (the JVM's child is no group leader, so
 * setsid execs without forking). Killing {@code -PGID} then reaches every process the filter
 * started, also a background job reparented to init, which no descendant walk finds.
 */
final class ProcessGroup {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path KILL = Path.of("/bin/kill");

    private ProcessGroup() {}

    static Process start(String command) throws IOException {
        ProcessBuilder builder = Files.isExecutable(SETSID)
                ? new ProcessBuilder(SETSID.toString(), "sh", "-c", command)
                : new ProcessBuilder("sh", "-c", command);
        return builder.start();
    }

    /** SIGKILL to the whole group (if setsid made one), then to what is still visible as a descendant. */
    static void kill(Process process) {
        if (Files.isExecutable(SETSID) && Files.isExecutable(KILL)) {
            try {
                Process kill = new ProcessBuilder(KILL.toString(), "-KILL", "--", "-" + process.pid())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                    kill.destroyForcibly();
                }
            } catch (IOException e) {
                // fall back to the descendants below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}

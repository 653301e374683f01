package dev.pop3d.load.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The packaged pop3d ({@code java ... -jar quarkus-run.jar}) with the Dockerfile's JVM options plus a stated heap. */
final class Pop3dPeer extends Peer {
    static final String TOKEN = "benchtoken";

    private final Path jar;
    private final String heap;
    private final int idleSessions;
    private final int conf1Port;
    private final int httpPort;
    private Process process;
    private int starts;

    Pop3dPeer(Path dir, int port, int conf1Port, int httpPort, Path jar, String heap, int idleSessions) {
        super("pop3d", dir, port);
        this.jar = jar;
        this.heap = heap;
        this.idleSessions = idleSessions;
        this.conf1Port = conf1Port;
        this.httpPort = httpPort;
    }

    int conf1Port() {
        return conf1Port;
    }

    @Override
    void prepare(Corpus corpus) throws Exception {
        linkCopy(corpus.master(), dir.resolve("mail"));
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.write(dir.resolve("users"), corpus.pop3dUsers());
        Files.writeString(dir.resolve("conf1.token"), TOKEN + "\n");
    }

    List<String> jvmOptions() {
        return List.of("-XX:MaxRAMPercentage=75", "-Djava.io.tmpdir=" + dir.resolve("tmp"), "-Xmx" + heap);
    }

    List<String> properties() {
        return List.of(
                "pop3.host=127.0.0.1",
                "pop3.port=" + port,
                "pop3.data-dir=" + dir.resolve("data"),
                "pop3.maildir.root=" + dir.resolve("mail"),
                "pop3.users-file=" + dir.resolve("users"),
                "pop3.demo.enabled=false",
                "pop3.auth.failure-delay=0s",
                "pop3.auth.penalty.enabled=false",
                "pop3.auth.trusted-networks=127.0.0.0/8",
                "pop3.limits.max-connections=" + (idleSessions + 2000),
                "pop3.limits.max-connections-per-address=" + (idleSessions + 2000),
                "conf1.host=127.0.0.1",
                "conf1.port=" + conf1Port,
                "conf1.token-file=" + dir.resolve("conf1.token"),
                "hdrp.enabled=false",
                "quarkus.http.host=127.0.0.1",
                "quarkus.http.port=" + httpPort);
    }

    List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions());
        properties().forEach(p -> command.add("-D" + p));
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    @Override
    double start() throws Exception {
        Path log = dir.resolve("pop3d-" + (++starts) + ".log");
        long startNanos = System.nanoTime();
        process = new ProcessBuilder(command()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LIVE.add(process.pid());
        return awaitGreeting(startNanos, 60_000, process.toHandle());
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

    @Override
    String settings() {
        return "JVM options (the Dockerfile's plus the heap): `" + String.join(" ", jvmOptions()) + "`\n\n"
                + "System properties (`-D`): \n\n```\n" + String.join("\n", properties()) + "\n```\n\n"
                + "Users file: one `user:{SHA256}base64` line per user. CONF1 token from the token file above.\n";
    }

    @Override
    String version() throws Exception {
        Path repo = jar.toAbsolutePath().getParent().getParent().getParent();
        try {
            return "pop3d commit " + run(List.of("git", "-C", repo.toString(), "log", "-1", "--format=%h %cd %s", "--date=iso"))
                    + " (" + jar + ")";
        } catch (Exception noGit) {
            return "pop3d " + jar;
        }
    }
}

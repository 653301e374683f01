package dev.pop3d.load.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged pop3d ({@code java ... -jar quarkus-run.jar}) with the Dockerfile's JVM options
 * (read from its ENTRYPOINT, so the two cannot drift apart) plus a stated heap. Like the image, it
 * maps an AppCDS archive made by this JVM ({@link #prepare}: a training start, one session,
 * SIGTERM); the start-up scenario also starts it without one.
 */
final class Pop3dPeer extends JvmPeer {
    static final String TOKEN = "benchtoken";

    private final Path jar;
    private final String heap;
    private final int idleSessions;
    private final int conf1Port;
    private final int httpPort;
    private int starts;
    private Path archive;
    private boolean useArchive = true;

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
        makeArchive();
    }

    /** Starts from now on map the AppCDS archive (the default, as the image does) or not. */
    void useArchive(boolean use) {
        useArchive = use;
    }

    List<String> jvmOptions() {
        List<String> options = new ArrayList<>();
        for (String option : dockerfileOptions()) {
            if (option.startsWith("-Djava.io.tmpdir=")) {
                options.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
            } else if (option.startsWith("-XX:SharedArchiveFile=")) {
                if (useArchive && archive != null) {
                    options.add("-XX:SharedArchiveFile=" + archive);
                }
            } else {
                options.add(option);
            }
        }
        options.add("-Xmx" + heap);
        return options;
    }

    /** The options between "java" and "-jar" in the Dockerfile's ENTRYPOINT next to the jar's project. */
    List<String> dockerfileOptions() {
        Path dockerfile = jar.toAbsolutePath().getParent().getParent().getParent().resolve("Dockerfile");
        try {
            for (String line : Files.readAllLines(dockerfile)) {
                if (line.startsWith("ENTRYPOINT [")) {
                    List<String> words = new ArrayList<>();
                    java.util.regex.Matcher quoted = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(line);
                    while (quoted.find()) {
                        words.add(quoted.group(1));
                    }
                    int jarAt = words.indexOf("-jar");
                    if (!words.isEmpty() && words.get(0).equals("java") && jarAt > 0) {
                        return words.subList(1, jarAt);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the JVM options from " + dockerfile + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("no ENTRYPOINT [\"java\", ..., \"-jar\", ...] in " + dockerfile);
    }

    /**
     * The AppCDS archive, as {@code docker/cds-archive.sh} makes it in the image: a start with
     * {@code -XX:ArchiveClassesAtExit} on an empty data dir (the demo maildrop), one session, SIGTERM.
     */
    private void makeArchive() throws Exception {
        Path cds = Files.createDirectories(dir.resolve("cds"));
        Path file = cds.resolve("pop3d.jsa");
        Files.deleteIfExists(file);
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        for (String option : jvmOptions()) {
            if (!option.startsWith("-XX:SharedArchiveFile=")) {
                command.add(option);
            }
        }
        command.add("-XX:ArchiveClassesAtExit=" + file);
        for (String p : List.of("pop3.host=127.0.0.1", "pop3.port=" + port, "pop3.data-dir=" + Files.createDirectories(cds.resolve("data")),
                "conf1.port=0", "conf1.host=127.0.0.1", "hdrp.enabled=false", "quarkus.http.host=127.0.0.1", "quarkus.http.port=0")) {
            command.add("-D" + p);
        }
        command.add("-jar");
        command.add(jar.toString());
        long startNanos = System.nanoTime();
        Process training = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(cds.resolve("training.log").toFile()).start();
        LIVE.add(training.pid());
        try {
            awaitGreeting(startNanos, 60_000, training.toHandle());
            try (BenchClient c = BenchClient.connect(null, port, 20_000, 64 * 1024)) {
                BenchClient.expectOk("greeting", c.status());
                c.ok("USER demo");
                c.ok("PASS demo");
                for (String command1 : List.of("STAT", "NOOP", "DELE 1", "RSET")) {
                    c.ok(command1);
                }
                for (String multi : List.of("LIST", "UIDL", "RETR 1", "TOP 1 0")) {
                    c.ok(multi);
                    c.body(false);
                }
                c.ok("QUIT");
            }
        } finally {
            stopPid(training.pid(), 30_000);
            training.waitFor();
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the training start wrote no AppCDS archive: see " + cds.resolve("training.log"));
        }
        archive = file;
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
        return launch(command(), dir.resolve("pop3d-" + (++starts) + ".log"), 60_000);
    }

    @Override
    String settings() {
        return "JVM options (the Dockerfile's ENTRYPOINT plus the heap; the AppCDS archive made by this JVM at the start of "
                + "the run, as the image makes its own): `" + String.join(" ", jvmOptions()) + "`\n\n"
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

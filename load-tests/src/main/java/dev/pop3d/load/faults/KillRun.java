package dev.pop3d.load.faults;

import dev.pop3d.load.client.Pop3Client;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The fault-injection run: lanes of real sessions against the packaged server, SIGKILLed in six
 * phases (login, RETR, DELE, QUIT/UPDATE, index rewrite, lock take-over), every kill followed by an
 * immediate login and a check of the Maildir against the model; then the two-process replica case.
 * Prints one line per phase and a summary; exits 1 on any violation, on a phase with fewer kills
 * than asked, or on a crash point that never fired; 2 on a usage error.
 *
 * <pre>
 * java -jar load-tests/target/pop3d-load-tests.jar --jar target/quarkus-app/quarkus-run.jar \
 *     --kills-per-phase 34 --max-seconds 270 --replica-seconds 45
 * </pre>
 */
public final class KillRun {
    private KillRun() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        if (options == null) {
            System.exit(2);
            return;
        }
        Path jar = Path.of(options.getOrDefault("jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        int killsPerPhase = Integer.parseInt(options.getOrDefault("kills-per-phase", "34"));
        int maxSeconds = Integer.parseInt(options.getOrDefault("max-seconds", "300"));
        long seed = Long.parseLong(options.getOrDefault("seed", String.valueOf(System.currentTimeMillis())));
        int replicaSeconds = Integer.parseInt(options.getOrDefault("replica-seconds", "60"));
        int lanes = Integer.parseInt(options.getOrDefault("lanes", "2"));
        int usersPerLane = Integer.parseInt(options.getOrDefault("users-per-lane", "3"));
        int minKills = Integer.parseInt(options.getOrDefault("min-kills", "200"));
        java.util.EnumSet<Phase> phases = java.util.EnumSet.noneOf(Phase.class);
        for (String name : options.getOrDefault("phases", "login,RETR,DELE,QUIT/UPDATE,index,lock-takeover").split(",")) {
            phases.add(java.util.Arrays.stream(Phase.values()).filter(p -> p.label.equalsIgnoreCase(name.strip()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no phase " + name)));
        }
        boolean cds = !options.containsKey("no-cds");
        if (!Files.isRegularFile(jar)) {
            System.err.println("no packaged server at " + jar + " (mvn -B -q package -DskipTests first)");
            System.exit(2);
        }
        Path work = options.containsKey("work-dir") ? Files.createDirectories(Path.of(options.get("work-dir")))
                : Files.createTempDirectory("pop3d-kill-");
        System.out.printf("fault injection: jar %s, seed %d, %d kills per phase, %d lanes, max %d s, replica %d s, "
                + "work dir %s%n", jar, seed, killsPerPhase, lanes, maxSeconds, replicaSeconds, work);
        long started = System.nanoTime();
        List<String> jvm = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
                "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx192m", "-Xss512k"));
        if (cds) {
            jvm.add(0, "-XX:SharedArchiveFile=" + archive(jar, work, jvm));
        }

        Map<Phase, PhaseStats> stats = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            stats.put(phase, new PhaseStats(phase));
        }
        long deadline = started + maxSeconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        List<Future<?>> running = new ArrayList<>();
        for (int l = 0; l < lanes; l++) {
            Map<Phase, Integer> share = new EnumMap<>(Phase.class);
            for (Phase phase : phases) {
                share.put(phase, killsPerPhase / lanes + (l < killsPerPhase % lanes ? 1 : 0));
            }
            Lane lane = lane(l, jar, work, jvm, usersPerLane, seed, stats, deadline);
            running.add(pool.submit(() -> {
                lane.run(share);
                return null;
            }));
        }
        Thread progress = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(30_000);
                    int kills = stats.values().stream().mapToInt(s -> s.kills() + s.setupKills()).sum();
                    System.out.printf("progress: %d kills after %.0f s%n", kills, (System.nanoTime() - started) / 1e9);
                }
            } catch (InterruptedException stop) {
                // the lanes are done
            }
        }, "progress");
        progress.setDaemon(true);
        progress.start();
        boolean failed = false;
        for (Future<?> lane : running) {
            try {
                lane.get();
            } catch (java.util.concurrent.ExecutionException e) {
                System.out.println("lane aborted: " + e.getCause());
                e.getCause().printStackTrace(System.out);
                failed = true;
            }
        }
        pool.shutdown();
        progress.interrupt();
        double killSeconds = (System.nanoTime() - started) / 1e9;

        Violations all = new Violations();
        int totalKills = 0;
        Set<String> fired = new TreeSet<>();
        for (PhaseStats s : stats.values()) {
            if (!phases.contains(s.phase)) {
                continue;
            }
            System.out.println(s.line());
            all.addAll(s.violations);
            totalKills += s.kills() + s.setupKills();
            fired.addAll(s.crashPoints().keySet());
            if (s.kills() < killsPerPhase) {
                System.out.println("FAIL: phase " + s.phase.label + " made " + s.kills() + " kills, asked "
                        + killsPerPhase + " (at least 20)");
                failed = true;
            }
        }
        if (killsPerPhase < 20) {
            System.out.println("FAIL: --kills-per-phase " + killsPerPhase + " is below 20");
            failed = true;
        }
        for (Phase phase : phases) {
            for (String point : phase.crashPoints) {
                if (!fired.contains(point)) {
                    System.out.println("FAIL: crash point " + point + " never fired");
                    failed = true;
                }
            }
        }
        System.out.printf("kills: %d in %.1f s (%.2f kills/s, %d lanes)%n", totalKills, killSeconds,
                totalKills / killSeconds, lanes);
        if (totalKills < minKills) {
            System.out.println("FAIL: " + totalKills + " kills, fewer than --min-kills " + minKills);
            failed = true;
        }

        if (replicaSeconds > 0) {
            Replica replica = replica(jar, work, jvm, seed);
            System.out.println(replica.run(replicaSeconds, 4));
            all.addAll(replica.violations());
        }
        for (String line : all.first()) {
            System.out.println("violation: " + line);
        }
        double total = (System.nanoTime() - started) / 1e9;
        failed |= all.total() > 0;
        System.out.printf("summary: %s, kills %d, violations %d, wall %.1f s, seed %d%n", failed ? "FAILED" : "passed",
                totalKills, all.total(), total, seed);
        System.exit(failed ? 1 : 0);
    }

    private static Lane lane(int l, Path jar, Path work, List<String> jvm, int usersPerLane, long seed,
                             Map<Phase, PhaseStats> stats, long deadline) throws IOException {
        Path dir = Files.createDirectories(work.resolve("lane" + l));
        Path root = Files.createDirectories(dir.resolve("mail"));
        List<String> users = new ArrayList<>();
        for (int u = 0; u < usersPerLane; u++) {
            users.add("l" + l + "u" + u);
        }
        Path usersFile = usersFile(dir, users);
        Path arm = dir.resolve("crash.arm");
        List<String> points = List.of("pop3d.test.crash-points=" + Phase.crashPointSpec(), "pop3d.test.crash-arm=" + arm);
        ServerNode a = new ServerNode("lane" + l + "a", jar, Files.createDirectories(dir.resolve("a")), root, usersFile,
                jvm, points);
        ServerNode b = new ServerNode("lane" + l + "b", jar, Files.createDirectories(dir.resolve("b")), root, usersFile,
                jvm, points);
        return new Lane(l, a, b, new Model(root, "L" + l), users, arm, seed + l, stats, deadline);
    }

    private static Replica replica(Path jar, Path work, List<String> jvm, long seed) throws IOException {
        Path dir = Files.createDirectories(work.resolve("replica"));
        Path root = Files.createDirectories(dir.resolve("mail"));
        List<String> users = List.of("r0", "r1", "r2");
        Path usersFile = usersFile(dir, users);
        List<String> properties = List.of("pop3.lock.wait=0s");
        ServerNode a = new ServerNode("replica-a", jar, Files.createDirectories(dir.resolve("a")), root, usersFile,
                jvm, properties);
        ServerNode b = new ServerNode("replica-b", jar, Files.createDirectories(dir.resolve("b")), root, usersFile,
                jvm, properties);
        return new Replica(a, b, new Model(root, "R"), users, seed);
    }

    /** Plain passwords: the cheapest scheme, as the server's own tests use. */
    private static Path usersFile(Path dir, List<String> users) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String user : users) {
            text.append(user).append(":{PLAIN}pw-").append(user).append('\n');
        }
        Path file = dir.resolve("users");
        Files.writeString(file, text);
        return file;
    }

    /**
     * An AppCDS archive of the server's classes (JDK 17 dynamic archive): one start with
     * {@code -XX:ArchiveClassesAtExit}, a session, a SIGTERM. Later starts map it.
     */
    private static Path archive(Path jar, Path work, List<String> jvm) throws IOException, InterruptedException {
        Path archive = work.resolve("pop3d-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
        if (Files.isRegularFile(archive)) {
            return archive;
        }
        long start = System.nanoTime();
        Path dir = Files.createDirectories(work.resolve("cds"));
        Path usersFile = usersFile(dir, List.of("cds"));
        List<String> flags = new ArrayList<>(jvm);
        flags.add(0, "-XX:ArchiveClassesAtExit=" + archive);
        ServerNode node = new ServerNode("cds", jar, dir, Files.createDirectories(dir.resolve("mail")), usersFile, flags,
                List.of("pop3d.test.crash-points=" + Phase.crashPointSpec(), "pop3d.test.crash-arm=" + dir.resolve("arm")));
        Model model = new Model(dir.resolve("mail"), "C");
        model.deliver("cds", 3000, new java.util.Random(1));
        node.start();
        try (Pop3Client client = Pop3Client.connect("127.0.0.1", node.port(), 20_000)) {
            client.greeting();
            client.command("USER cds");
            client.command("PASS pw-cds");
            client.multiLine("UIDL");
            client.multiLine("RETR 1");
            client.command("DELE 1");
            client.command("QUIT");
        }
        node.stop();
        if (!Files.isRegularFile(archive)) {
            throw new IOException("no CDS archive written: " + node.logTail());
        }
        System.out.printf("CDS archive: %s, %d KiB, made in %.1f s%n", archive.getFileName(), Files.size(archive) / 1024,
                (System.nanoTime() - start) / 1e9);
        return archive;
    }

    private static Map<String, String> options(String[] args) {
        Set<String> known = Set.of("jar", "kills-per-phase", "max-seconds", "seed", "replica-seconds", "work-dir",
                "lanes", "users-per-lane", "no-cds", "min-kills", "phases");
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || !known.contains(arg.substring(2))) {
                System.err.println("unknown option " + arg + "; known: --" + String.join(" --", new TreeSet<>(known)));
                return null;
            }
            String name = arg.substring(2);
            if (name.equals("no-cds")) {
                options.put(name, "");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                System.err.println(arg + " needs a value");
                return null;
            }
        }
        return options;
    }
}

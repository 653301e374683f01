package dev.pop3d.load.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark driver: builds the seeded corpus, starts pop3d, Dovecot (reused processes and
 * stock) and GreenMail one at a time, runs every scenario against each, interleaved per round,
 * checks every answer, and writes JSON lines and RESULTS.md. Exit status: 0 when pop3d and Dovecot
 * gave no wrong answer and every scenario ran, 1 otherwise, 2 on a usage error. See bench/README.md.
 */
public final class Bench {
    static final String GREENMAIL_VERSION = "com.icegreen:greenmail-standalone:2.1.8";

    private final Options options;
    private final List<String> errors = new ArrayList<>();
    private String loadAtStart = "";

    private Bench(Options options) {
        this.options = options;
    }

    public static void main(String[] argv) throws Exception {
        Options options;
        try {
            options = Options.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("usage: Bench --jar quarkus-run.jar [--servers pop3d,dovecot-reused,dovecot-stock,greenmail] "
                    + "[--rounds 2] [--seconds 8] [--smoke] [--work-dir DIR] [--out-json FILE] [--results-md FILE] "
                    + "[--profile-md FILE] [--idle-sessions 10000] [--scenarios sessions,retr64,bigbox,commands,idle,conf1flood,startup] "
                    + "[--users 2000] [--seed 11] [--heap 512m] [--greenmail-heap 3g] [--greenmail-jar FILE] [--port-base 22100]\n"
                    + e.getMessage());
            System.exit(2);
            return;
        }
        int status = new Bench(options).run();
        System.exit(status);
    }

    private int run() throws Exception {
        long began = System.nanoTime();
        loadAtStart = loadAverage();
        Path work = options.workDir() != null ? options.workDir() : Files.createTempDirectory("pop3d-bench");
        Files.createDirectories(work);
        // Dovecot's auth and mail processes run as other users: they must traverse the work dir to
        // reach its passwd-file and Maildirs (a 0700 mktemp -d gave "Temporary authentication failure")
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        System.out.println("bench: work dir " + work + ", seed " + options.seed() + (options.smoke() ? ", smoke" : ""));
        Corpus corpus = Corpus.generate(work.resolve("corpus").resolve("master"), options.seed(), options.sizes());
        System.out.printf(Locale.ROOT, "bench: corpus %d users, %d messages, %.1f MiB in %.1f s%n", corpus.allUsers().size(),
                corpus.messageCount(), corpus.totalOctets() / 1048576.0, (System.nanoTime() - began) / 1e9);
        Results results = new Results(options.outJson() != null ? options.outJson() : work.resolve("results.jsonl"));
        Checker checker = new Checker(corpus);
        Scenarios scenarios = new Scenarios(checker, results, options);
        List<Peer> peers = peers(work);
        for (Peer peer : peers) {
            peer.prepare(corpus);
        }
        try {
            for (int round = 1; round <= options.rounds(); round++) {
                for (Peer peer : peers) {
                    runAll(scenarios, peer, round);
                }
            }
        } finally {
            for (Peer peer : peers) {
                try {
                    peer.stop();
                } catch (Exception e) {
                    System.err.println("bench: stopping " + peer.name + ": " + e);
                }
            }
        }
        double minutes = (System.nanoTime() - began) / 60e9;
        boolean failed = !errors.isEmpty();
        for (Peer peer : peers) {
            long wrong = checker.wrong(peer.name);
            System.out.printf("bench: %s: %d checks, %d wrong answers%s%n", peer.name, checker.checks(peer.name), wrong,
                    wrong > 0 && !peer.strict() ? " (not fatal: GreenMail)" : "");
            failed |= peer.strict() && (wrong > 0 || checker.checks(peer.name) == 0);
        }
        errors.forEach(e -> System.out.println("bench: ERROR " + e));
        if (options.resultsMd() != null) {
            Files.writeString(options.resultsMd(), markdown(results, checker, peers, corpus, minutes), StandardCharsets.UTF_8);
            System.out.println("bench: wrote " + options.resultsMd());
        }
        System.out.printf(Locale.ROOT, "bench: %s in %.1f min; JSON lines in %s%n", failed ? "FAILED" : "passed", minutes,
                results.jsonLines());
        return failed ? 1 : 0;
    }

    private void runAll(Scenarios scenarios, Peer peer, int round) throws Exception {
        System.out.println("bench: round " + round + ", " + peer.name);
        try {
            peer.start();
        } catch (Exception e) {
            errors.add(peer.name + " round " + round + ": start failed: " + e.getMessage());
            return;
        }
        try {
            for (String scenario : options.scenarios()) {
                boolean pop3dOnly = scenario.equals("conf1flood") || scenario.equals("startup");
                if (pop3dOnly && !(peer instanceof Pop3dPeer)) {
                    continue;
                }
                long t0 = System.nanoTime();
                try {
                    switch (scenario) {
                        case "sessions" -> scenarios.sessions(peer, round);
                        case "retr64" -> scenarios.retr64(peer, round);
                        case "bigbox" -> scenarios.bigbox(peer, round);
                        case "commands" -> scenarios.commands(peer, round);
                        case "idle" -> scenarios.idle(peer, round);
                        case "conf1flood" -> scenarios.conf1Flood((Pop3dPeer) peer, round);
                        case "startup" -> scenarios.startup((Pop3dPeer) peer, round);
                        default -> throw new IllegalStateException(scenario);
                    }
                } catch (Exception e) {
                    String text = peer.name + " round " + round + " " + scenario + ": " + e;
                    if (peer.strict()) {
                        errors.add(text);
                    }
                    System.err.println("bench: " + text);
                    restartAfterFailure(peer);
                }
                System.out.printf(Locale.ROOT, "bench: %s %s done in %.1f s%n", peer.name, scenario, (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            peer.stop();
        }
    }

    private static void restartAfterFailure(Peer peer) {
        try {
            peer.restart();
        } catch (Exception e) {
            System.err.println("bench: restarting " + peer.name + ": " + e);
        }
    }

    private List<Peer> peers(Path work) {
        int base = options.portBase();
        List<Peer> peers = new ArrayList<>();
        for (String server : options.servers()) {
            switch (server) {
                case "pop3d" -> peers.add(new Pop3dPeer(work.resolve("pop3d"), base + 10, base + 90, base + 80, options.jar().toAbsolutePath(),
                        options.heap(), options.idleSessions()));
                case "dovecot-reused" -> peers.add(new DovecotPeer(server, work.resolve(server), base + 11, true, options.idleSessions()));
                case "dovecot-stock" -> peers.add(new DovecotPeer(server, work.resolve(server), base + 12, false, options.idleSessions()));
                case "greenmail" -> peers.add(new GreenMailPeer(work.resolve(server), base + 13, base + 25, base + 81, greenmailJar(),
                        options.greenmailHeap()));
                default -> throw new IllegalStateException(server);
            }
        }
        return peers;
    }

    private Path greenmailJar() {
        if (options.greenmailJar() != null) {
            return options.greenmailJar().toAbsolutePath();
        }
        try {
            Path self = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return self.getParent().resolve("peers").resolve("greenmail-standalone.jar");
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private String markdown(Results results, Checker checker, List<Peer> peers, Corpus corpus, double minutes) throws Exception {
        Report report = new Report(results.all(), peers);
        StringBuilder md = new StringBuilder();
        md.append("# pop3d side by side with Dovecot and GreenMail\n\n");
        md.append("Generated by `dev.pop3d.load.bench.Bench` (load-tests/bench/README.md) on ").append(Instant.now())
                .append(String.format(Locale.ROOT, " in %.1f minutes; every figure below comes from this run ", minutes))
                .append("(raw JSON lines: `").append(results.jsonLines().getFileName()).append("`). Cells: median over ")
                .append(options.rounds()).append(" interleaved rounds (min–max).\n\n");
        String command = System.getenv("BENCH_COMMAND");
        md.append("## Command\n\n```\n").append(command != null ? command : "java -cp pop3d-load-tests.jar dev.pop3d.load.bench.Bench "
                + String.join(" ", options.args())).append("\n```\n\n");
        md.append("## Machine\n\n").append(machine()).append("- /proc/loadavg at the start: `").append(loadAtStart)
                .append("`, at the end: `").append(loadAverage()).append("` (other work on the machine competes with the run)\n\n");
        md.append("## Versions\n\n");
        md.append("- Java: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append(" (driver and pop3d, GreenMail)\n");
        for (Peer peer : peers) {
            md.append("- ").append(peer.name).append(": ").append(peer.version().replace("|", "/")).append('\n');
        }
        md.append("\n## Corpus (the same for every server)\n\n")
                .append(String.format(Locale.ROOT, "Seed %d: %d users, %d messages, %.1f MiB in CRLF form. %d regular users with 1–4 "
                        + "messages each (70 %% 1–8 KiB, 25 %% 8–64 KiB, 5 %% 64 KiB–1 MiB); user `big` with one %d MiB message; "
                        + "`bigbox` with %d messages of 1–3 KiB; `cmd` with 3; %d one-message idle users. Files alternate LF and "
                        + "CRLF; bodies hold 8-bit bytes, lines starting with \".\" and lone \".\" lines; a fifth end in an empty "
                        + "line. Passwords `{SHA256}` (GreenMail: plain). Clients connect from 127.0.0.2–127.0.0.20.%n%n",
                        corpus.seed(), corpus.allUsers().size(), corpus.messageCount(), corpus.totalOctets() / 1048576.0,
                        corpus.regularUsers().size(), corpus.sizes().bigOctets() >> 20, corpus.sizes().bigboxMessages(),
                        corpus.idleUsers().size()));
        md.append("## Settings (everything not listed is the server's default)\n\n");
        for (Peer peer : peers) {
            md.append("### ").append(peer.name).append("\n\n").append(peer.settings()).append('\n');
        }
        md.append("## Targets (issue 11; ratios of this run's medians)\n\n").append(report.targets()).append('\n');
        md.append("## Results\n\n").append(report.tables());
        md.append("## Correctness under load\n\n| server | checked answers | wrong answers |\n|---|---|---|\n");
        for (Peer peer : peers) {
            md.append("| ").append(peer.name).append(" | ").append(checker.checks(peer.name)).append(" | ").append(checker.wrong(peer.name))
                    .append(peer.strict() ? "" : " (after normalising its known deviations; not fatal)").append(" |\n");
        }
        if (!checker.examples().isEmpty()) {
            md.append("\nFirst wrong answers:\n\n```\n").append(String.join("\n", checker.examples())).append("\n```\n");
        }
        if (!errors.isEmpty()) {
            md.append("\nErrors:\n\n```\n").append(String.join("\n", errors)).append("\n```\n");
        }
        md.append("\n## Profile\n\n");
        if (options.profileMd() != null) {
            md.append(Report.verbatim(options.profileMd())).append('\n');
        }
        Path recording = options.profileDir() == null ? null : options.profileDir().resolve("pop3d-sessions-32.jfr");
        if (recording != null && Files.isRegularFile(recording)) {
            md.append(dev.pop3d.load.profile.ProfileReport.report(recording,
                    "pop3d of this run: JFR during the 32-client sessions step of round 1 (" + recording.getFileName() + ")", 15));
        } else if (options.profileMd() == null) {
            md.append("(not filled in this run: pass `--profile DIR` to record pop3d with JFR during the 32-client sessions "
                    + "step, or `--profile-md FILE` to include a profile verbatim)\n");
        }
        return md.toString();
    }

    private static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> l.replaceAll("\\s+", " ")).orElse("?");
        String files = Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith("Max open files"))
                .findFirst().map(l -> l.replaceAll("\\s+", " ")).orElse("?");
        return "- nproc: " + Runtime.getRuntime().availableProcessors() + "\n- CPU: " + cpu + "\n- memory: " + mem
                + "\n- kernel: " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip()
                + "\n- open files limit of the driver (inherited by the servers): " + files
                + "\n- client and servers on the same machine, loopback only; one server runs at a time\n";
    }

    /** /proc/loadavg: the machine is shared, so its load is part of the result. */
    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }
}

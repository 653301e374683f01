package dev.pop3d.load.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The driver's command-line options (see bench/README.md). */
record Options(Path jar, List<String> servers, int rounds, double seconds, boolean smoke, Path workDir, Path outJson,
               Path resultsMd, Path profileMd, Path profileDir, int idleSessions, List<String> scenarios, long seed, int users,
               String heap, String greenmailHeap, Path greenmailJar, int portBase, int floodRate, List<String> args) {
    static final List<String> ALL_SERVERS = List.of("pop3d", "dovecot-reused", "dovecot-stock", "greenmail");
    static final List<String> ALL_SCENARIOS = List.of("sessions", "retr64", "bigbox", "commands", "idle", "conf1flood", "startup");

    static Options parse(String[] argv) {
        List<String> args = List.of(argv);
        boolean smoke = args.contains("--smoke");
        Path jar = null;
        List<String> servers = ALL_SERVERS;
        int rounds = smoke ? 1 : 2;
        double seconds = smoke ? 0.5 : 8;
        Path workDir = null;
        Path outJson = null;
        Path resultsMd = null;
        Path profileMd = null;
        Path profileDir = null;
        Integer idle = null;
        List<String> scenarios = ALL_SCENARIOS;
        long seed = 11;
        Integer users = null;
        String heap = "512m";
        String greenmailHeap = "3g";
        Path greenmailJar = null;
        int portBase = 22100;
        Integer floodRate = null;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--smoke")) {
                continue;
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = argv[++i];
            switch (a) {
                case "--jar" -> jar = Path.of(v);
                case "--servers" -> servers = list(v, ALL_SERVERS, "server");
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--seconds" -> seconds = Double.parseDouble(v);
                case "--work-dir" -> workDir = Path.of(v);
                case "--out-json" -> outJson = Path.of(v);
                case "--results-md" -> resultsMd = Path.of(v);
                case "--profile-md" -> profileMd = Path.of(v);
                case "--profile" -> profileDir = Path.of(v);
                case "--idle-sessions" -> idle = Integer.parseInt(v);
                case "--scenarios" -> scenarios = list(v, ALL_SCENARIOS, "scenario");
                case "--seed" -> seed = Long.parseLong(v);
                case "--users" -> users = Integer.parseInt(v);
                case "--heap" -> heap = v;
                case "--greenmail-heap" -> greenmailHeap = v;
                case "--greenmail-jar" -> greenmailJar = Path.of(v);
                case "--port-base" -> portBase = Integer.parseInt(v);
                case "--flood-rate" -> floodRate = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (servers.contains("pop3d") && jar == null) {
            throw new IllegalArgumentException("--jar PATH (pop3d's quarkus-run.jar) is required with pop3d");
        }
        if (rounds < 1 || seconds <= 0) {
            throw new IllegalArgumentException("--rounds must be >= 1 and --seconds > 0");
        }
        return new Options(jar, servers, rounds, seconds, smoke, workDir, outJson, resultsMd, profileMd, profileDir,
                idle != null ? idle : smoke ? 50 : 10_000, scenarios, seed, users != null ? users : smoke ? 256 : 2000,
                heap, greenmailHeap, greenmailJar, portBase, floodRate != null ? floodRate : smoke ? 2000 : 20_000, args);
    }

    Corpus.Sizes sizes() {
        return smoke ? new Corpus.Sizes(users, 200, 2 << 20, idleSessions)
                : new Corpus.Sizes(users, 10_000, 64 << 20, idleSessions);
    }

    private static List<String> list(String value, List<String> allowed, String what) {
        List<String> out = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!allowed.contains(item.strip())) {
                throw new IllegalArgumentException("unknown " + what + " " + item + " (one of " + allowed + ")");
            }
            out.add(item.strip());
        }
        // interleaving order is fixed: the allowed order, not the order given
        return allowed.stream().filter(out::contains).toList();
    }
}

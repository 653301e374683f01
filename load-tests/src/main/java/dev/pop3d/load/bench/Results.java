package dev.pop3d.load.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Every measurement, as it is made: kept for the report and appended to the JSON-lines file. */
final class Results {
    /** One figure of one server in one round. */
    record Measurement(String server, int round, String scenario, String metric, double value, String unit) {
        String json() {
            return String.format(Locale.ROOT, "{\"server\":\"%s\",\"round\":%d,\"scenario\":\"%s\",\"metric\":\"%s\",\"value\":%s,\"unit\":\"%s\"}",
                    server, round, scenario, metric.replace("\"", "'"), Double.isFinite(value) ? Double.toString(value) : "null", unit);
        }
    }

    private final List<Measurement> all = new ArrayList<>();
    private final Path jsonLines;

    Results(Path jsonLines) throws IOException {
        this.jsonLines = jsonLines;
        Files.createDirectories(jsonLines.toAbsolutePath().getParent());
        Files.writeString(jsonLines, "");
    }

    synchronized void add(Peer peer, int round, String scenario, String metric, double value, String unit) {
        Measurement m = new Measurement(peer.name, round, scenario, metric, value, unit);
        all.add(m);
        System.out.printf(Locale.ROOT, "  %-15s r%d %-10s %-55s %12.3f %s%n", peer.name, round, scenario, metric, value, unit);
        try {
            Files.writeString(jsonLines, m.json() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized List<Measurement> all() {
        return List.copyOf(all);
    }

    Path jsonLines() {
        return jsonLines;
    }
}

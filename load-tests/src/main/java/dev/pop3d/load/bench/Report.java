package dev.pop3d.load.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** RESULTS.md, generated from the measurements only: nothing in it is typed by hand. */
final class Report {
    private final List<Results.Measurement> measurements;
    private final List<Peer> peers;

    Report(List<Results.Measurement> measurements, List<Peer> peers) {
        this.measurements = measurements;
        this.peers = peers;
    }

    /** Median, min and max over rounds of one figure of one server; null when not measured. */
    double[] stats(String scenario, String metric, String server) {
        List<Double> values = new ArrayList<>();
        for (Results.Measurement m : measurements) {
            if (m.scenario().equals(scenario) && m.metric().equals(metric) && m.server().equals(server) && Double.isFinite(m.value())) {
                values.add(m.value());
            }
        }
        if (values.isEmpty()) {
            return null;
        }
        Collections.sort(values);
        return new double[] {Scenarios.median(values), values.get(0), values.get(values.size() - 1), values.size()};
    }

    Double median(String scenario, String metric, String server) {
        double[] s = stats(scenario, metric, server);
        return s == null ? null : s[0];
    }

    String tables() {
        StringBuilder out = new StringBuilder();
        Map<String, Set<String>> metrics = new LinkedHashMap<>();
        for (Results.Measurement m : measurements) {
            metrics.computeIfAbsent(m.scenario(), k -> new LinkedHashSet<>()).add(m.metric() + "\u0000" + m.unit());
        }
        for (Map.Entry<String, Set<String>> scenario : metrics.entrySet()) {
            out.append("### ").append(scenario.getKey()).append("\n\n| figure |");
            peers.forEach(p -> out.append(' ').append(p.name).append(" |"));
            out.append("\n|---|");
            peers.forEach(p -> out.append("---|"));
            out.append('\n');
            for (String key : scenario.getValue()) {
                String[] parts = key.split("\u0000", -1);
                out.append("| ").append(parts[0]).append(parts[1].isEmpty() ? "" : " (" + parts[1] + ")").append(" |");
                for (Peer p : peers) {
                    double[] s = stats(scenario.getKey(), parts[0], p.name);
                    out.append(' ').append(s == null ? "—" : cell(s)).append(" |");
                }
                out.append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String cell(double[] s) {
        if (s[3] == 1) {
            return number(s[0]);
        }
        return number(s[0]) + " (" + number(s[1]) + "–" + number(s[2]) + ")";
    }

    static String number(double v) {
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : a >= 0.01 ? "%.3f" : a == 0 ? "%.0f" : "%.4f";
        return String.format(Locale.ROOT, pattern, v);
    }

    /** The targets, each ratio computed from this run's medians ("Dovecot" = the better one). */
    String targets() {
        StringBuilder out = new StringBuilder("| target | pop3d | Dovecot (better of reused, stock) | ratio | wanted | verdict |\n|---|---|---|---|---|---|\n");
        for (int c : new int[] {8, 32, 128}) {
            relative(out, "sessions/s at " + c + " clients", "sessions", "sessions/s at " + c, true, 1.5);
            relative(out, "server CPU-s per 1,000 sessions at " + c, "sessions", "CPU-s per 1,000 sessions at " + c, false, 0.67);
        }
        String mbs = measurements.stream().filter(m -> m.scenario().equals("retr64") && m.metric().startsWith("MB/s"))
                .map(Results.Measurement::metric).findFirst().orElse("MB/s");
        relative(out, "big RETR " + mbs, "retr64", mbs, true, 1.5);
        relative(out, "big RETR time to first body byte (ms)", "retr64", "time to first body byte (median of 10)", false, 1.0);
        absolute(out, "RSS growth over 10 RETRs (MiB)", "retr64", "server RSS growth over 10", 16);
        int box = measurements.stream().filter(m -> m.scenario().equals("bigbox")).map(Results.Measurement::metric)
                .filter(m -> m.startsWith("PASS of ")).map(m -> m.split(" ")[2]).findFirst().orElse("10000").transform(Integer::parseInt);
        for (String when : new String[] {"warm", "first after restart"}) {
            for (String verb : new String[] {"PASS", "LIST", "UIDL"}) {
                relative(out, verb + " of " + box + " messages, " + when, "bigbox", verb + " of " + box + " messages, " + when, false, 1.0);
            }
        }
        absolute(out, "PSS per idle logged-in session (KiB)", "idle", "PSS per idle logged-in session", 10);
        relative(out, "100 commands one at a time (cold)", "commands", "100 commands one at a time, first session after start", false, 1.0);
        relative(out, "100 commands pipelined (cold)", "commands", "100 commands pipelined, same session", false, 1.0);
        absolute(out, "CONF1 flood: requests unanswered", "conf1flood", "requests unanswered", 0);
        absolute(out, "CONF1 flood: POP3 session p99 with / without", "conf1flood", "p99 with / without", 1.10);
        String start = measurements.stream().filter(m -> m.scenario().equals("startup") && m.metric().contains("median"))
                .map(Results.Measurement::metric).findFirst().orElse("");
        absolute(out, "start-up to first +OK (ms)", "startup", start, 500);
        return out.toString();
    }

    private void relative(StringBuilder out, String label, String scenario, String metric, boolean higherIsBetter, double wanted) {
        Double ours = median(scenario, metric, "pop3d");
        Double reused = median(scenario, metric, "dovecot-reused");
        Double stock = median(scenario, metric, "dovecot-stock");
        Double dovecot; // no ternary here: mixing Double and double would unbox a missing figure
        if (reused == null) {
            dovecot = stock;
        } else if (stock == null) {
            dovecot = reused;
        } else {
            dovecot = higherIsBetter ? Math.max(reused, stock) : Math.min(reused, stock);
        }
        String which = dovecot == null ? "" : dovecot.equals(reused) ? " (reused)" : " (stock)";
        if (ours == null || dovecot == null || dovecot == 0) {
            out.append("| ").append(label).append(" | ").append(ours == null ? "—" : number(ours)).append(" | ")
                    .append(dovecot == null ? "—" : number(dovecot) + which).append(" | n/a | ").append(higherIsBetter ? "≥ " : "≤ ")
                    .append(number(wanted)).append("× | not measured |\n");
            return;
        }
        double ratio = ours / dovecot;
        boolean met = higherIsBetter ? ratio >= wanted : ratio <= wanted;
        out.append(String.format(Locale.ROOT, "| %s | %s | %s%s | %s× | %s %s× | %s |%n", label, number(ours), number(dovecot), which,
                number(ratio), higherIsBetter ? "≥" : "≤", number(wanted), met ? "met" : "missed"));
    }

    private void absolute(StringBuilder out, String label, String scenario, String metric, double limit) {
        Double ours = median(scenario, metric, "pop3d");
        if (ours == null) {
            out.append("| ").append(label).append(" | — | | | ≤ ").append(number(limit)).append(" | not measured |\n");
            return;
        }
        out.append(String.format(Locale.ROOT, "| %s | %s | | | ≤ %s | %s |%n", label, number(ours), number(limit),
                ours <= limit ? "met" : "missed"));
    }

    static String verbatim(Path file) throws java.io.IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}

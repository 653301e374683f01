package dev.pop3d.load.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Figures of one phase (summed over the lanes). Thread-safe. */
final class PhaseStats {
    final Phase phase;
    final Violations violations = new Violations();
    private int kills;
    private int setupKills;
    private int sessions;
    private int checks;
    private final List<Double> nextLoginMillis = new ArrayList<>();
    private final Map<String, Integer> crashPoints = new TreeMap<>();

    PhaseStats(Phase phase) {
        this.phase = phase;
    }

    synchronized void kill() {
        kills++;
    }

    synchronized void setupKill() {
        setupKills++;
    }

    synchronized void session() {
        sessions++;
    }

    synchronized void check() {
        checks++;
    }

    synchronized void crashPoint(String point) {
        crashPoints.merge(point, 1, Integer::sum);
    }

    synchronized void nextLogin(double millis) {
        nextLoginMillis.add(millis);
    }

    synchronized int kills() {
        return kills;
    }

    synchronized int setupKills() {
        return setupKills;
    }

    synchronized Map<String, Integer> crashPoints() {
        return new TreeMap<>(crashPoints);
    }

    synchronized String line() {
        List<Double> sorted = new ArrayList<>(nextLoginMillis);
        Collections.sort(sorted);
        String p50 = sorted.isEmpty() ? "-" : String.format("%.0f", sorted.get(sorted.size() / 2));
        String max = sorted.isEmpty() ? "-" : String.format("%.0f", sorted.get(sorted.size() - 1));
        return String.format("phase %-12s kills %3d%s, sessions %4d, checks %3d, violations %d (%s), "
                        + "next login after kill p50 %s ms max %s ms%s",
                phase.label, kills, setupKills > 0 ? " (+" + setupKills + " lock-holder kills)" : "", sessions, checks,
                violations.total(), violations.summary(List.of(Violations.Kind.LOST, Violations.Kind.DUPLICATED,
                        Violations.Kind.TRUNCATED, Violations.Kind.QUIT_NOT_APPLIED, Violations.Kind.NEXT_LOGIN,
                        Violations.Kind.UID_CHANGED, Violations.Kind.LISTING, Violations.Kind.LEFTOVER, Violations.Kind.SESSION)),
                p50, max, crashPoints.isEmpty() ? "" : ", crash points " + crashPoints);
    }
}

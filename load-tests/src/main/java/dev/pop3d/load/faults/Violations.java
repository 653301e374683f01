package dev.pop3d.load.faults;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Violations of the model, by kind, with the first few described. Thread-safe. */
final class Violations {
    enum Kind {
        LOST("lost"), DUPLICATED("duplicated"), TRUNCATED("truncated"), QUIT_NOT_APPLIED("QUIT not applied"),
        NEXT_LOGIN("next-login failures"), UID_CHANGED("UID changed"), LISTING("listing mismatch"),
        SESSION("session errors"), LOCK_OVERLAP("lock overlaps"), LEFTOVER("leftover files");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private static final int KEPT = 30;
    private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    private final List<String> first = new ArrayList<>();

    synchronized void add(Kind kind, String what) {
        counts.merge(kind, 1, Integer::sum);
        if (first.size() < KEPT) {
            first.add(kind.label + ": " + what);
        }
    }

    synchronized int count(Kind kind) {
        return counts.getOrDefault(kind, 0);
    }

    synchronized int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized List<String> first() {
        return List.copyOf(first);
    }

    synchronized void addAll(Violations other) {
        other.counts.forEach((k, v) -> counts.merge(k, v, Integer::sum));
        for (String line : other.first()) {
            if (first.size() < KEPT) {
                first.add(line);
            }
        }
    }

    /** "lost 0, duplicated 0, ..." for the kinds a phase checks. */
    synchronized String summary(List<Kind> kinds) {
        StringBuilder out = new StringBuilder();
        for (Kind kind : kinds) {
            out.append(out.length() == 0 ? "" : ", ").append(kind.label).append(' ').append(count(kind));
        }
        return out.toString();
    }
}

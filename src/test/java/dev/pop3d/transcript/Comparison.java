package dev.pop3d.transcript;

import java.util.List;
import java.util.Optional;

/** Where two normalized transcripts first differ. */
public final class Comparison {
    private Comparison() {}

    /** The script line number of the first difference, if any. */
    public static Optional<Integer> firstDifferentLine(List<String> ours, List<String> theirs) {
        return firstDifference(ours, theirs).map(d -> Integer.parseInt(d.substring("line ".length(), d.indexOf(':'))));
    }

    static Optional<String> firstDifference(List<String> ours, List<String> theirs) {
        for (int i = 0; i < Math.max(ours.size(), theirs.size()); i++) {
            String a = i < ours.size() ? ours.get(i) : "<nothing>";
            String b = i < theirs.size() ? theirs.get(i) : "<nothing>";
            if (!a.equals(b)) {
                return Optional.of("line " + a.split(":", 2)[0] + ": pop3d said " + a + ", the reference said " + b);
            }
        }
        return Optional.empty();
    }
}

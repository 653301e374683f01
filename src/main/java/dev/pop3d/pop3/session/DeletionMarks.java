package dev.pop3d.pop3.session;

import java.util.BitSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The DELE marks of one session (RFC 1939 §6). Mutable, but confined to the one connection that
 * owns the {@link State.Transaction}: a bit set keeps DELE O(1) on large maildrops.
 */
public final class DeletionMarks {
    private final BitSet marked = new BitSet();

    boolean isMarked(int number) {
        return marked.get(number);
    }

    void mark(int number) {
        marked.set(number);
    }

    void clear() {
        marked.clear();
    }

    int count() {
        return marked.cardinality();
    }

    /** The marked message numbers, for the commit at QUIT. */
    public Set<Integer> numbers() {
        Set<Integer> numbers = new TreeSet<>();
        marked.stream().forEach(numbers::add);
        return numbers;
    }
}

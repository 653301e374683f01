package dev.pop3d.endpoint;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * Connections held per source: an IPv4 address, or an IPv6 /64 (one host usually has a whole /64).
 * Bounded by construction: a key exists only while it holds a slot. Sources in trusted networks are
 * not limited. Thread-safe: every event loop of an endpoint shares one instance.
 */
public final class AddressSlots {
    private final IntSupplier limit;
    private final Predicate<InetAddress> trusted;
    private final ConcurrentMap<String, Integer> held = new ConcurrentHashMap<>();

    public AddressSlots(IntSupplier limit, Predicate<InetAddress> trusted) {
        this.limit = limit;
        this.trusted = trusted;
    }

    /** A slot for {@code source}, or empty when it holds its limit already. */
    public java.util.Optional<Slot> acquire(InetAddress source) {
        if (trusted.test(source)) {
            return java.util.Optional.of(() -> { });
        }
        String key = key(source);
        int max = limit.getAsInt();
        boolean[] granted = new boolean[1];
        held.compute(key, (k, count) -> {
            int now = count == null ? 0 : count;
            granted[0] = now < max;
            return granted[0] ? now + 1 : (now == 0 ? null : now);
        });
        if (!granted[0]) {
            return java.util.Optional.empty();
        }
        boolean[] released = new boolean[1];
        return java.util.Optional.of(() -> {
            if (!released[0]) {
                released[0] = true;
                held.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
            }
        });
    }

    /** Sources holding at least one slot (for tests and metrics). */
    public int sources() {
        return held.size();
    }

    /** The IPv4 address, or the /64 of an IPv6 address (IPv4-mapped IPv6 counts as IPv4). */
    static String key(InetAddress source) {
        byte[] bytes = source.getAddress();
        if (source instanceof Inet6Address && !isIpv4Mapped(bytes)) {
            StringBuilder prefix = new StringBuilder("v6:");
            for (int i = 0; i < 8; i++) {
                prefix.append(String.format("%02x", bytes[i] & 0xff));
            }
            return prefix.append("/64").toString();
        }
        int offset = bytes.length == 16 ? 12 : 0;
        return (bytes[offset] & 0xff) + "." + (bytes[offset + 1] & 0xff) + "." + (bytes[offset + 2] & 0xff) + "."
                + (bytes[offset + 3] & 0xff);
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        if (bytes.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** A held slot; {@link #release()} is idempotent. Not thread-safe: released by its owner's loop. */
    @FunctionalInterface
    public interface Slot {
        void release();
    }
}

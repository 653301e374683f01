package dev.pop3d.conf1;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Checks CONF1 tokens in constant time, case-insensitively, and throttles sources that send
 * wrong ones: more than {@code maxFailures} in a window and every request from that address gets
 * {@code -ERR Too many failed authorizations} until the window ends. Thread-safe.
 */
public final class TokenGuard {
    private static final int MAX_TRACKED_SOURCES = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final InstantSource clock;
    private final Map<InetAddress, Failures> failures = new LinkedHashMap<>();

    private record Failures(Instant windowStart, int count) {}

    public TokenGuard(int maxFailures, Duration window, InstantSource clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** True while {@code source} is locked out. */
    public synchronized boolean throttled(InetAddress source) {
        Failures f = failures.get(source);
        if (f == null) {
            return false;
        }
        if (!clock.instant().isBefore(f.windowStart().plus(window))) {
            failures.remove(source);
            return false;
        }
        return f.count() > maxFailures;
    }

    /** Compares in constant time (for equal lengths); a mismatch counts against the source. */
    public boolean accepts(InetAddress source, String presented, String expected) {
        byte[] a = presented.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        byte[] b = expected.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        boolean ok = MessageDigest.isEqual(a, b);
        if (!ok) {
            fail(source);
        }
        return ok;
    }

    private synchronized void fail(InetAddress source) {
        Instant now = clock.instant();
        Failures f = failures.get(source);
        if (f == null || !now.isBefore(f.windowStart().plus(window))) {
            f = new Failures(now, 0);
        }
        failures.remove(source);
        failures.put(source, new Failures(f.windowStart(), f.count() + 1));
        if (failures.size() > MAX_TRACKED_SOURCES) {
            failures.remove(failures.keySet().iterator().next());
        }
    }
}

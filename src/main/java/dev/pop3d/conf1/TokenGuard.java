package dev.pop3d.conf1;

import java.net.Inet6Address;
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
 * Checks CONF1 tokens in constant time, case-insensitively, and throttles sources that send wrong
 * ones. A source is a network, not an exact address: all of 127.0.0.0/8 and ::1 count as one (a
 * local attacker cannot rotate through 16 million loopback addresses), an IPv6 address by its /64.
 * Throttling never locks out the token's holder: a request with the right token is always run, so
 * forged failures from the admin's own address cannot lock the admin out. Beyond a global rate,
 * wrong-token and malformed datagrams get no reply at all (no amplification). Thread-safe.
 */
public final class TokenGuard {
    private static final int MAX_TRACKED_SOURCES = 10_000;
    /** Error replies per second, for all sources together, beyond which datagrams are dropped. */
    static final int MAX_ERROR_REPLIES_PER_SECOND = 50;

    private final int maxFailures;
    private final Duration window;
    private final InstantSource clock;
    private final Map<String, Failures> failures = new LinkedHashMap<>();
    private long errorSecond = Long.MIN_VALUE;
    private int errorsThisSecond;

    private record Failures(Instant windowStart, int count) {}

    public TokenGuard(int maxFailures, Duration window, InstantSource clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** The network a source counts in: {@code loopback}, an IPv4 address, or an IPv6 /64. */
    static String network(InetAddress source) {
        if (source.isLoopbackAddress()) {
            return "loopback";
        }
        byte[] a = source.getAddress();
        if (source instanceof Inet6Address) {
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(String.format("%x", ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return source.getHostAddress();
    }

    /** True while {@code source}'s network sent more than the allowed wrong tokens in its window. */
    public synchronized boolean throttled(InetAddress source) {
        Failures f = failures.get(network(source));
        if (f == null) {
            return false;
        }
        if (!clock.instant().isBefore(f.windowStart().plus(window))) {
            failures.remove(network(source));
            return false;
        }
        return f.count() > maxFailures;
    }

    /** Compares in constant time (for equal lengths); a mismatch counts against the source's network. */
    public boolean accepts(InetAddress source, String presented, String expected) {
        byte[] a = presented.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        byte[] b = expected.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        boolean ok = MessageDigest.isEqual(a, b) && b.length > 0;
        if (!ok) {
            fail(source);
        }
        return ok;
    }

    /** Whether an error reply may still go out this second (all sources together). */
    public synchronized boolean mayReplyWithError() {
        long second = clock.instant().getEpochSecond();
        if (second != errorSecond) {
            errorSecond = second;
            errorsThisSecond = 0;
        }
        return ++errorsThisSecond <= MAX_ERROR_REPLIES_PER_SECOND;
    }

    private synchronized void fail(InetAddress source) {
        String key = network(source);
        Instant now = clock.instant();
        Failures f = failures.get(key);
        if (f == null || !now.isBefore(f.windowStart().plus(window))) {
            f = new Failures(now, 0);
        }
        failures.remove(key);
        failures.put(key, new Failures(f.windowStart(), f.count() + 1));
        if (failures.size() > MAX_TRACKED_SOURCES) {
            failures.remove(failures.keySet().iterator().next());
        }
    }
}

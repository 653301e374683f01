package dev.pop3d.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Brute-force defence: failed logins are tallied per source (an IPv6 source by its /64, RFC 4291
 * §2.5.4) and per user name (unknown names too, so a penalised unknown user looks like a
 * penalised real one), in two bounded, expiring caches. Before it answers an attempt the shell
 * waits {@link #penaltyFor} — the larger of the two tallies' delays, Dovecot's 2, 4, 8, 15 s by
 * default, capped at the last — and, with a lockout configured, treats a {@link #lockedOut}
 * attempt as a wrong password even when the password is right.
 *
 * <p>A success clears the user's tally, not the source's (one valid account must not reset the
 * penalty of a source spraying others); any tally is forgotten after {@code forgetAfter} without
 * a failure. Sources in the trusted networks are never tallied nor delayed. Thread-safe;
 * plain Java, time from the injected clock.
 */
public final class LoginPenalties {
    /** The longest user name tallied; longer names (never real ones) share their prefix's tally. */
    static final int MAX_TALLIED_NAME_CHARS = 64;
    /** RFC 4291 §2.5.4: one IPv6 subnet, usually one customer, is one source. */
    static final int IPV6_SOURCE_PREFIX = 64;

    /** Off by default: after {@code maxFailures} within {@code window}, refuse for {@code duration}. */
    public record Lockout(int maxFailures, Duration window, Duration duration) {
        public Lockout {
            if (maxFailures < 1 || window.isNegative() || window.isZero() || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("lockout needs max-failures >= 1 and positive durations");
            }
        }
    }

    /** The policy; {@link #defaults()} is what the configuration defaults say. */
    public record Policy(boolean penalties, List<Duration> delays, Duration forgetAfter, int maxTracked,
            Optional<Lockout> lockout, List<Cidr> trustedNetworks) {
        public Policy {
            delays = List.copyOf(delays);
            trustedNetworks = List.copyOf(trustedNetworks);
            Objects.requireNonNull(lockout);
            if (delays.isEmpty() || forgetAfter.isNegative() || forgetAfter.isZero() || maxTracked < 1) {
                throw new IllegalArgumentException("penalties need delays, a positive forget-after and max-tracked >= 1");
            }
        }

        public static Policy defaults() {
            return new Policy(true, List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                    Duration.ofSeconds(15)), Duration.ofMinutes(15), 20_000, Optional.empty(), List.of());
        }
    }

    /** One key's failures: since the last reset, and in the current lockout window. */
    private record Tally(int failures, Instant lastFailure, Instant windowStart, int windowFailures, Instant lockedUntil) {}

    private final Policy policy;
    private final InstantSource clock;
    private final Cache<InetAddress, Tally> sources;
    private final Cache<String, Tally> users;

    public LoginPenalties(Policy policy, InstantSource clock) {
        this.policy = policy;
        this.clock = clock;
        this.sources = cache(policy, clock);
        this.users = cache(policy, clock);
    }

    /** The extra delay before answering an attempt from {@code source} as {@code user}; zero if none. */
    public Duration penaltyFor(InetAddress source, String user) {
        if (!policy.penalties() || trusted(source)) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        int failures = Math.max(failures(sources.getIfPresent(sourceKey(source)), now),
                failures(users.getIfPresent(userKey(user)), now));
        return failures == 0 ? Duration.ZERO : policy.delays().get(Math.min(failures, policy.delays().size()) - 1);
    }

    /** With a lockout configured: true while the source or the user is locked out. */
    public boolean lockedOut(InetAddress source, String user) {
        if (policy.lockout().isEmpty() || trusted(source)) {
            return false;
        }
        Instant now = clock.instant();
        return locked(sources.getIfPresent(sourceKey(source)), now) || locked(users.getIfPresent(userKey(user)), now);
    }

    /** A failed attempt (wrong password, unknown user, locked out); {@code user} may be empty. */
    public void failed(InetAddress source, String user) {
        if (trusted(source)) {
            return;
        }
        Instant now = clock.instant();
        sources.asMap().compute(sourceKey(source), (key, tally) -> count(tally, now));
        if (!user.isEmpty()) {
            users.asMap().compute(userKey(user), (key, tally) -> count(tally, now));
        }
    }

    /** A successful login: the user's tally is cleared; the source's waits for its quiet period. */
    public void succeeded(InetAddress source, String user) {
        if (!trusted(source)) {
            users.invalidate(userKey(user));
        }
    }

    public boolean trusted(InetAddress source) {
        InetAddress address = unmapped(source);
        return policy.trustedNetworks().stream().anyMatch(network -> network.contains(address));
    }

    /** Tallies held now, sources and users (for tests and a gauge). */
    public long tracked() {
        sources.cleanUp();
        users.cleanUp();
        return sources.estimatedSize() + users.estimatedSize();
    }

    private Tally count(Tally old, Instant now) {
        int failures = failures(old, now) + 1;
        Instant windowStart = now;
        int windowFailures = 1;
        Instant lockedUntil = old == null ? Instant.MIN : old.lockedUntil();
        if (policy.lockout().isPresent()) {
            Lockout lockout = policy.lockout().get();
            if (old != null && old.windowStart().plus(lockout.window()).isAfter(now)) {
                windowStart = old.windowStart();
                windowFailures = old.windowFailures() + 1;
            }
            if (windowFailures >= lockout.maxFailures()) {
                lockedUntil = now.plus(lockout.duration());
            }
        }
        return new Tally(failures, now, windowStart, windowFailures, lockedUntil);
    }

    private int failures(Tally tally, Instant now) {
        return tally == null || !tally.lastFailure().plus(policy.forgetAfter()).isAfter(now) ? 0 : tally.failures();
    }

    private static boolean locked(Tally tally, Instant now) {
        return tally != null && tally.lockedUntil().isAfter(now);
    }

    static InetAddress sourceKey(InetAddress source) {
        InetAddress address = unmapped(source);
        return address instanceof Inet6Address ? Cidr.masked(address, IPV6_SOURCE_PREFIX) : address;
    }

    private static String userKey(String user) {
        return user.length() > MAX_TALLIED_NAME_CHARS ? user.substring(0, MAX_TALLIED_NAME_CHARS) : user;
    }

    /** {@code ::ffff:192.0.2.1} (RFC 4291 §2.5.5.2) counts as the IPv4 address it carries. */
    static InetAddress unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != 16) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return address;
            }
        }
        if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return address;
        }
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("4 octets are always an address", e);
        }
    }

    /** Entries expire once nothing in them can matter any more: no delay, no window, no lock. */
    private static <K> Cache<K, Tally> cache(Policy policy, InstantSource clock) {
        Duration keep = policy.forgetAfter();
        if (policy.lockout().isPresent()) {
            keep = max(keep, max(policy.lockout().get().window(), policy.lockout().get().duration()));
        }
        return Caffeine.newBuilder()
                .maximumSize(policy.maxTracked())
                .expireAfterWrite(keep)
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .executor(Runnable::run) // maintenance on the caller: no background thread, deterministic tests
                .build();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}

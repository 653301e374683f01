package dev.pop3d.hdrp;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Single-use tickets that tie a UDP datagram to the TCP query that asked for it: a ticket is
 * redeemed once, before it expires, and only from the address of the TCP peer that got it (else
 * a ticket holder could aim a 65,000-octet answer at any host). Bounded: at most
 * {@code maxOutstanding} tickets; expired ones are swept on issue. Thread-safe.
 */
public final class Tickets {
    /** What a redeemed ticket delivers. */
    public record Pending(InetAddress peer, byte[] header) {}

    private record Entry(Pending pending, Instant expires) {}

    private final Map<String, Entry> outstanding = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final InstantSource clock;
    private final SecureRandom random;
    private final int maxOutstanding;

    public Tickets(Duration ttl, InstantSource clock, SecureRandom random, int maxOutstanding) {
        this.ttl = ttl;
        this.clock = clock;
        this.random = random;
        this.maxOutstanding = maxOutstanding;
    }

    /** A new ticket for {@code peer}, or empty when too many are outstanding. */
    public Optional<String> issue(InetAddress peer, byte[] header) {
        Instant now = clock.instant();
        if (outstanding.size() >= maxOutstanding) {
            outstanding.values().removeIf(e -> !now.isBefore(e.expires()));
            if (outstanding.size() >= maxOutstanding) {
                return Optional.empty();
            }
        }
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        String ticket = HexFormat.of().formatHex(bytes);
        outstanding.put(ticket, new Entry(new Pending(peer, header), now.plus(ttl)));
        return Optional.of(ticket);
    }

    /** The answer for {@code ticket} sent from {@code source}; a ticket is gone after one try. */
    public Optional<Pending> redeem(String ticket, InetAddress source) {
        Entry entry = outstanding.remove(ticket);
        if (entry == null || !clock.instant().isBefore(entry.expires()) || !entry.pending().peer().equals(source)) {
            return Optional.empty();
        }
        return Optional.of(entry.pending());
    }

    public int outstanding() {
        return outstanding.size();
    }
}

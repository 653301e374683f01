package dev.pop3d.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** HDRP, the header probe of the second seed (docs/HDRP.md). Documented in README.md. */
@ConfigMapping(prefix = "hdrp")
public interface HdrpConfig {
    /** Whether the HDRP endpoint runs. */
    @WithDefault("true")
    boolean enabled();

    /** Addresses to listen on; loopback by default: every query makes the server fetch from the internet. */
    @WithDefault("127.0.0.1,::1")
    List<String> host();

    /** Control port (TCP). */
    @WithDefault("50366")
    @Bounds(min = 0, max = 65535, message = "must be a port number from 0 to 65535")
    int port();

    /** Data port (UDP): the header answers the client's ticket datagram here. */
    @WithDefault("50367")
    @Bounds(min = 0, max = 65535, message = "must be a port number from 0 to 65535")
    int udpPort();

    /** How long a single-use ticket may be redeemed. */
    @WithDefault("10s")
    Duration ticketTtl();

    Cache cache();

    Fetch fetch();

    /** Targets that resolve to loopback, private, link-local or metadata addresses are allowed (tests). */
    @WithDefault("false")
    boolean allowPrivateTargets();

    Tls tls();

    /** Concurrent control connections. */
    @WithDefault("256")
    @Bounds(min = 1, message = "must be at least 1")
    int maxClients();

    /** Queries one client may have in flight at once. */
    @WithDefault("4")
    @Bounds(min = 1, message = "must be at least 1")
    int maxQueriesInFlight();

    interface Cache {
        @WithDefault("1000")
        @Bounds(min = 1, message = "must be at least 1")
        int maxEntries();

        @WithDefault("10m")
        Duration ttl();

        /** The cache file; default {@code hdrp/cache-<host>.json} under the data directory (per pod). */
        Optional<Path> file();
    }

    interface Fetch {
        @WithDefault("3s")
        Duration connectTimeout();

        @WithDefault("5s")
        Duration readTimeout();

        /** Header octets kept at most (the UDP answer must fit one datagram). */
        @WithDefault("65000")
        @Bounds(min = 512, max = 65000, message = "must be at least 512",
                aboveMessage = "must be at most 65000 (one UDP datagram)")
        int maxHeaderBytes();
    }

    interface Tls {
        /** Accept self-signed https targets. */
        @WithDefault("false")
        boolean trustAll();
    }
}

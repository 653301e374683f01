package dev.pop3d.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Start-up configuration of the POP3 service. Every key and default here is part of the
 * interface and documented in README.md (a test keeps the two in step).
 */
@ConfigMapping(prefix = "pop3")
public interface Pop3Config {
    // Constraint messages (Bounds, DurationBounds: MappingConstraints) are literal: the server and
    // check-config print the very same line.
    String PORT_RANGE = "must be between 0 and 65535";
    String NOT_NEGATIVE = "must not be negative";

    /** Listen address; {@code ::} is every IPv6 and IPv4 address (IPv4 only, with a warning, where IPv6 is missing). */
    @WithDefault("::")
    String host();

    /** POP3 port. */
    @WithDefault("1110")
    @Bounds(min = 0, max = 65535, message = PORT_RANGE)
    int port();

    /** Data directory: mail (by default), persisted counters, access log. */
    @WithDefault("data")
    Path dataDir();

    Maildir maildir();

    /** Folder of the access log, relative to the data directory (CONF1 LGF); per pod in Kubernetes. */
    @WithDefault("logs")
    String logFolder();

    /** Inline users, {@code alice:secret,bob:pw}; passwords with ',' need the users file. */
    Optional<String> users();

    /** Users file: one {@code user:{SCHEME}secret} per line. */
    Optional<Path> usersFile();

    /** How often the users file is checked for changes (a Secret rotation, an edit); 0 turns reloading off. */
    @WithName("users.reload-interval")
    @WithDefault("2s")
    Duration usersReloadInterval();

    Demo demo();

    Auth auth();

    Limits limits();

    Lock lock();

    Shutdown shutdown();

    Stream stream();

    Transform transform();

    Tls tls();

    /** RFC 2595 STLS on the POP3 port and RFC 8314 implicit TLS on {@code pop3.tls.port}. */
    interface Tls {
        /** PEM certificate chain; with the key, turns TLS on. */
        Optional<Path> certFile();

        /** PEM private key of the certificate. */
        Optional<Path> keyFile();

        /** Implicit TLS port (RFC 8314); listens only when a certificate is configured. */
        @WithDefault("1995")
        int port();

        /** How often the certificate and key files are checked for a change (a renewal). */
        @WithDefault("1m")
        Duration reloadInterval();
    }

    interface Maildir {
        /** Root of the maildrops: user {@code u} reads {@code <root>/u/Maildir}. */
        @WithDefault("${pop3.data-dir:data}/mail")
        Path root();
    }

    interface Demo {
        /** With no users configured, serve a demo maildrop for demo/demo. */
        @WithDefault("true")
        boolean enabled();
    }

    /** When USER/PASS and SASL PLAIN/LOGIN may be used. */
    enum Plaintext {
        /** {@code never-without-tls} when a certificate is configured, else {@code allowed}. */
        AUTO,
        /** Refused before TLS (RFC 2595 §2.2). */
        NEVER_WITHOUT_TLS,
        /** Allowed in clear (warned about at start-up when listening beyond loopback). */
        ALLOWED
    }

    interface Auth {
        /** CIDRs exempt from penalties, lockout and the per-address connection limit (e.g. 127.0.0.0/8). */
        Optional<List<String>> trustedNetworks();

        Penalty penalty();

        Lockout lockout();

        /** Growing extra delays per source and per user after failures (Dovecot's 2, 4, 8, 15 s). */
        interface Penalty {
            @WithDefault("true")
            boolean enabled();

            /** The extra wait after 1, 2, 3 and more failures. */
            @WithDefault("2s,4s,8s,15s")
            List<Duration> delays();

            /** A source or user without failures for this long starts from zero again. */
            @WithDefault("15m")
            Duration forgetAfter();

            /** Sources and user names tracked at most (the oldest are forgotten first). */
            @WithDefault("20000")
            int maxTracked();
        }

        /** After too many failures, refuse even the right password for a while (answered like a wrong one). */
        interface Lockout {
            @WithDefault("false")
            boolean enabled();

            @WithDefault("10")
            int maxFailures();

            @WithDefault("15m")
            Duration window();

            @WithDefault("15m")
            Duration duration();
        }

        /** {@code auto}, {@code never-without-tls} or {@code allowed}. */
        @WithDefault("auto")
        Plaintext plaintext();

        /** Fixed delay before a failed authentication is answered (0 allowed). */
        @WithDefault("1s")
        @DurationBounds(minMillis = 0, message = NOT_NEGATIVE)
        Duration failureDelay();

        /** Threads for costly password checks only (bcrypt, PBKDF2); 0 = half the cores, at least 1. */
        @WithDefault("0")
        int poolSize();

        /** RFC 2449 LOGIN-DELAY: minimum time between two logins of one user (0: none). */
        @WithDefault("0s")
        @DurationBounds(minMillis = 0, message = NOT_NEGATIVE)
        Duration loginDelay();
    }

    interface Limits {
        /** RFC 1939 §3 autologout timer: at least 10 minutes. */
        @WithDefault("10m")
        @DurationBounds(minMillis = 1000, maxMillis = 86_400_000, message = "must be at least 1s",
                aboveMessage = "must be at most 1d (86400s, as CONF1 IDL)")
        Duration idleTimeout();

        /** Bad commands in a row before the server says -ERR and closes. */
        @WithDefault("10")
        @Bounds(min = 1, message = "must be at least 1 (0 would close every session at its first command)")
        int maxBadCommands();

        /** Concurrent connections; further ones get -ERR [SYS/TEMP] and are closed. */
        @WithDefault("1000")
        @Bounds(min = 1, max = 1_000_000, message = "must be between 1 and 1000000 (as CONF1 MXC)")
        int maxConnections();

        /** Concurrent connections from one IPv4 address or IPv6 /64 (trusted networks exempt). */
        @WithDefault("20")
        int maxConnectionsPerAddress();

        /** From connect to a successful login; distinct from the RFC 1939 autologout after login. */
        @WithDefault("60s")
        Duration loginTimeout();
    }

    interface Lock {
        /** A maildrop lock whose heartbeat is older than this is taken over. */
        @WithDefault("2m")
        @DurationBounds(minMillis = 1000, message = "must be at least 1s")
        Duration staleTimeout();

        /**
         * How long a login waits for a maildrop lock held elsewhere, or being released by a
         * dropped session of this server, before -ERR [IN-USE] (Dovecot waits too); 0s: no wait.
         */
        @WithName("wait")
        @WithDefault("5s")
        @DurationBounds(minMillis = 0, maxMillis = 300_000, message = NOT_NEGATIVE,
                aboveMessage = "must be at most 5m (a waiting login holds a store worker)")
        Duration lockWait();
    }

    interface Shutdown {
        /** How long commands in progress may run on shutdown before their sessions are cut. */
        @WithDefault("10s")
        @DurationBounds(minMillis = 0, message = NOT_NEGATIVE)
        Duration gracePeriod();
    }

    interface Stream {
        /** Chunk size in octets for streaming messages (CONF1 BUF). */
        @WithDefault("65536")
        @Bounds(min = 1, message = "must be at least 1")
        int bufferSize();
    }

    /** Message transformation (CONF1 TRF/TFN) at start-up. */
    interface Transform {
        /** Whether RETR and TOP run messages through the command. */
        @WithDefault("false")
        boolean enabled();

        /** The filter: a shell command reading the message on stdin, writing it on stdout. */
        Optional<String> command();

        /** The only commands SET TFN accepts (exact strings), on loopback too. */
        Optional<List<String>> allowedCommands();

        /** SET TFN accepts any command (for a trusted, single-operator host only). */
        @WithDefault("false")
        boolean unrestricted();

        /** A filter running longer is killed and the client gets -ERR [SYS/TEMP]. */
        @WithDefault("10s")
        @DurationBounds(minMillis = 1, message = "must be positive")
        Duration timeout();

        /** A filter writing more than this many times the message's size fails (-ERR [SYS/TEMP]). */
        @WithDefault("4")
        @Bounds(min = 1, message = "must be at least 1")
        long maxOutputFactor();

        /** ... but the cap is never below this many octets (1 MiB), for small messages. */
        @WithDefault("1048576")
        @Bounds(min = 0, message = "must not be negative")
        long maxOutputMin();
    }

    Lmtp lmtp();

    Smtp smtp();

    /**
     * LMTP intake (RFC 2033), for an MTA's final delivery. It has no authentication: loopback
     * unless configured (in k8s, MTA pods reach it through the NetworkPolicy). The limits here
     * apply to the SMTP intake too.
     */
    interface Lmtp {
        @WithDefault("false")
        boolean enabled();

        /** Addresses to listen on. */
        @WithDefault("127.0.0.1,::1")
        List<String> host();

        @WithDefault("2424")
        @Bounds(min = 0, max = 65535, message = PORT_RANGE)
        int port();

        /** SIZE (RFC 1870): the largest message accepted, in octets (64 MiB), CRLF line ends counted. */
        @WithDefault("67108864")
        @Bounds(min = 1024, max = 1L << 40, message = "must be between 1024 and 1099511627776 octets")
        long maxMessageSize();

        /** Recipients per transaction (RFC 5321 §4.5.3.1.8: at least 100 must be accepted). */
        @WithDefault("100")
        @Bounds(min = 100, max = 10_000, message = "must be between 100 (RFC 5321 4.5.3.1.8) and 10000")
        int maxRecipients();

        /** Concurrent connections of each intake endpoint; further ones get 421 and are closed. */
        @WithDefault("100")
        @Bounds(min = 1, max = 100_000, message = "must be between 1 and 100000")
        int maxConnections();

        /** RFC 5321 §4.5.3.2.7: the server waits at least 5 minutes for the next command or data. */
        @WithDefault("5m")
        @DurationBounds(minMillis = 1000, maxMillis = 3_600_000, message = "must be at least 1s",
                aboveMessage = "must be at most 1h")
        Duration idleTimeout();

        /** From connect to LHLO/EHLO/HELO. */
        @WithDefault("60s")
        @DurationBounds(minMillis = 1000, maxMillis = 3_600_000, message = "must be at least 1s",
                aboveMessage = "must be at most 1h")
        Duration helloTimeout();
    }

    /** SMTP intake (RFC 5321) for tests: mail sent to it is delivered as over LMTP (no relaying, no auth). */
    interface Smtp {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("127.0.0.1,::1")
        List<String> host();

        @WithDefault("2525")
        @Bounds(min = 0, max = 65535, message = PORT_RANGE)
        int port();
    }

    Admin admin();

    Test test();

    /** The admin HTTP API of the test-server mode (ADR 0019), on Quarkus's HTTP server under {@code /api}. */
    interface Admin {
        /** Off: every {@code /api} path answers 404. */
        @WithDefault("false")
        boolean enabled();

        /**
         * Bearer token (RFC 6750 token characters); unset: {@code <data-dir>/admin.token}, generated
         * once (0600). Required from clients beyond loopback; checked whenever a client sends one.
         */
        Optional<String> token();
    }

    /** Test-server conveniences (ADR 0019). */
    interface Test {
        /** Mail to an unknown local part creates the user, its password the local part. */
        @WithDefault("false")
        boolean autoCreateUsers();
    }
}

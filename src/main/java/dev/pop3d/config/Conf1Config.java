package dev.pop3d.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** CONF1 live administration over UDP (shared/specs/CONF1.md). Documented in README.md. */
@ConfigMapping(prefix = "conf1")
public interface Conf1Config {
    /** Whether the CONF1 endpoint listens at all. */
    @WithDefault("true")
    boolean enabled();

    /** UDP port. */
    @WithDefault("9090")
    @Bounds(min = 0, max = 65535, message = Pop3Config.PORT_RANGE)
    int port();

    /** Addresses to listen on; loopback only by default (the token travels in clear). */
    @WithDefault("127.0.0.1,::1")
    List<String> host();

    /** The authorization token: exactly 10 ASCII letters; unset: {@code <data-dir>/conf1.token}. */
    Optional<String> token();

    /** A file holding the token (for mounted secrets); wins over conf1.token. */
    Optional<Path> tokenFile();

    Throttle throttle();

    interface Throttle {
        /** Wrong tokens from one source address allowed per window. */
        @WithDefault("5")
        @Bounds(min = 0, message = Pop3Config.NOT_NEGATIVE)
        int maxFailures();

        /** The throttling window. */
        @WithDefault("10s")
        @DurationBounds(minMillis = 1, message = "must be positive")
        Duration window();
    }
}

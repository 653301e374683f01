package dev.pop3d.admin;

import dev.pop3d.config.Pop3Config;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Whether the admin API is on ({@code pop3.admin.enabled}) and its token, settled at start-up
 * (the token file is created then, never on an event loop).
 */
@ApplicationScoped
public class AdminApi {
    private static final Logger LOG = Logger.getLogger(AdminApi.class);

    private final Pop3Config config;
    private volatile AdminToken token;

    public AdminApi(Pop3Config config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.admin().enabled()) {
            return;
        }
        token = AdminToken.resolve(config.admin().token(), config.dataDir(), new SecureRandom());
        LOG.infof("admin API on under /api of the HTTP server (token from %s; required beyond loopback)",
                token.origin());
    }

    boolean enabled() {
        return config.admin().enabled();
    }

    /** The token; empty until start-up settled it (or with the API off). */
    Optional<AdminToken> token() {
        return Optional.ofNullable(token);
    }
}

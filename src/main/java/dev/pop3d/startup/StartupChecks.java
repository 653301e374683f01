package dev.pop3d.startup;

import dev.pop3d.config.InvalidConfigException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * Runs {@link ConfigChecks} before any endpoint starts (CONF1 observes at 100, POP3 at the
 * default): a refused configuration binds nothing and the process exits 78 with its lines.
 */
@ApplicationScoped
public class StartupChecks {
    /** Before every other start-up observer. */
    static final int PRIORITY = 1;

    void onStart(@Observes @Priority(PRIORITY) StartupEvent event, Config config) {
        List<String> problems = ConfigChecks.problems(config.unwrap(SmallRyeConfig.class));
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }
}

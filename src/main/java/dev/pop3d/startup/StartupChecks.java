package dev.pop3d.startup;

import dev.pop3d.config.InvalidConfigException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Runs {@link ConfigChecks} before any endpoint starts (CONF1 observes at 100, POP3 at the
 * default): a refused configuration binds nothing and the process exits 78 with its lines. Also
 * warns, once, when the server runs as PID 1 (a container without an init).
 */
@ApplicationScoped
public class StartupChecks {
    /** Before every other start-up observer. */
    static final int PRIORITY = 1;

    private static final Logger LOG = Logger.getLogger(StartupChecks.class);

    void onStart(@Observes @Priority(PRIORITY) StartupEvent event, Config config) {
        List<String> problems = ConfigChecks.problems(config.unwrap(SmallRyeConfig.class));
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        pidOneWarning(ProcessHandle.current().pid()).ifPresent(LOG::warn);
    }

    /**
     * PID 1 inherits every orphan of its namespace, and the JVM never wait(2)s for processes it did
     * not start: a filter child that escapes its process group ({@code setsid cmd &}) stays a
     * zombie until the container stops. The image has no init of its own; the runtime's is meant.
     */
    static Optional<String> pidOneWarning(long pid) {
        return pid != 1 ? Optional.empty() : Optional.of("Running as PID 1: orphans of transformation filters "
                + "will not be reaped (zombies). Run the container with an init: docker run --init, compose init: true, "
                + "Kubernetes shareProcessNamespace: true");
    }
}

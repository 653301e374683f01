package dev.pop3d.config;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a failure into the configuration problems it carries, if it is one: our
 * {@link InvalidConfigException}, SmallRye's {@code ConfigValidationException} (conversions,
 * missing keys, Bean Validation constraints), Quarkus' {@code ConfigurationException}, or anything
 * caused by one of them. The server and {@code check-config} print them with {@link #line} and
 * exit {@link #EX_CONFIG}.
 */
public final class ConfigFailure {
    /** sysexits.h EX_CONFIG: configuration error. */
    public static final int EX_CONFIG = 78;

    private ConfigFailure() {}

    /** The one line shown for a problem, on standard error. */
    public static String line(String problem) {
        return "pop3d: configuration error: " + problem;
    }

    /** Empty when the failure is not a configuration problem. */
    public static List<String> problems(Throwable failure) {
        ConfigurationException quarkus = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidConfigException invalid) {
                return invalid.problems();
            }
            if (t instanceof ConfigValidationException validation) {
                List<String> problems = new ArrayList<>();
                for (int i = 0; i < validation.getProblemCount(); i++) {
                    problems.add(validation.getProblem(i).getMessage());
                }
                return problems;
            }
            if (t instanceof ConfigurationException found && quarkus == null) {
                quarkus = found;
            }
        }
        if (quarkus == null) {
            return List.of();
        }
        return quarkus.getMessage() == null ? List.of("invalid configuration " + quarkus.getConfigKeys())
                : quarkus.getMessage().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}

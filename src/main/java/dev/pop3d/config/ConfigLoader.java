package dev.pop3d.config;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.PropertiesConfigSourceLoader;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration the server would run with, built without starting Quarkus (for
 * {@code check-config}, {@code deliver} and {@code conf1}): the sources and ordinals Quarkus
 * uses at run time — system properties (400), environment (300), {@code .env} (295),
 * {@code config/application.properties} in the working directory (260), {@code application.properties}
 * on the class path (250) — the profile from {@code quarkus.profile} / {@code QUARKUS_PROFILE}
 * ({@code prod} by default), the mappings {@link Pop3Config} and {@link Conf1Config} and their
 * {@link MappingConstraints}. A mapping that does not hold throws SmallRye's
 * {@code ConfigValidationException}, whose problems read as the server's.
 */
public final class ConfigLoader {
    static final String DEFAULT_PROFILE = "prod";
    // Quarkus' ordinals: a higher one wins
    private static final int SYSTEM_PROPERTIES = 400;
    private static final int ENVIRONMENT = 300;
    private static final int DOT_ENV = 295;
    private static final int WORKING_DIR_PROPERTIES = 260;
    private static final int CLASS_PATH_PROPERTIES = 250;

    /** Where configuration comes from; tests pass their own. */
    public record Sources(Map<String, String> systemProperties, Map<String, String> environment, Path workingDir) {
        public static Sources ofThisProcess() {
            Map<String, String> system = new java.util.HashMap<>();
            System.getProperties().forEach((k, v) -> system.put(String.valueOf(k), String.valueOf(v)));
            return new Sources(system, System.getenv(), Path.of(System.getProperty("user.dir")));
        }

        /** As Quarkus reads it: the system property first, then the environment variable. */
        List<String> profiles() {
            String profile = Optional.ofNullable(systemProperties.get("quarkus.profile"))
                    .or(() -> Optional.ofNullable(environment.get("QUARKUS_PROFILE")))
                    .filter(p -> !p.isBlank()).orElse(DEFAULT_PROFILE);
            return Arrays.stream(profile.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList();
        }
    }

    private ConfigLoader() {}

    /** Where a value came from, as an operator names it. */
    public static String origin(ConfigValue value) {
        return switch (value.getConfigSourceOrdinal()) {
            case SYSTEM_PROPERTIES -> "system property";
            case ENVIRONMENT -> "environment";
            case DOT_ENV -> ".env";
            case WORKING_DIR_PROPERTIES -> "config/application.properties";
            case CLASS_PATH_PROPERTIES -> "application.properties in the application";
            default -> value.getConfigSourceName();
        };
    }

    public static SmallRyeConfig load(Sources sources) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        String inWorkingDir = sources.workingDir().resolve("config").resolve("application.properties").toUri().toString();
        return new SmallRyeConfigBuilder()
                .forClassLoader(loader)
                .addDefaultInterceptors()
                .addDiscoveredConverters() // Quarkus' Duration ("10s") and Path converters
                .withProfiles(sources.profiles())
                .withSources(new PropertiesConfigSource(sources.systemProperties(), "SysPropConfigSource", SYSTEM_PROPERTIES))
                .withSources(new EnvConfigSource(sources.environment(), ENVIRONMENT))
                .withSources(DotEnvConfigSourceProvider.dotEnvSources(
                        sources.workingDir().resolve(".env").toUri().toString(), loader))
                .withSources(PropertiesConfigSourceLoader.inFileSystem(inWorkingDir, WORKING_DIR_PROPERTIES, loader))
                .withSources(PropertiesConfigSourceLoader.inClassPath("application.properties", CLASS_PATH_PROPERTIES, loader))
                .withMapping(Pop3Config.class)
                .withMapping(Conf1Config.class)
                .withMapping(HdrpConfig.class)
                // quarkus.* and other keys are not ours; the server ignores them here too
                .withValidateUnknown(false)
                .withValidator(new MappingConstraints())
                .build();
    }
}

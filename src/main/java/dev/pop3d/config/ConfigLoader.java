package dev.pop3d.config;

import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.PropertiesConfigSourceLoader;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * The configuration the server would run with, built without starting Quarkus (for
 * {@code check-config}, {@code deliver} and {@code conf1}): the sources and ordinals Quarkus
 * uses at run time — system properties (400), environment (300), {@code .env} (295),
 * {@code config/application.properties} in the working directory (260), {@code application.properties}
 * on the class path (250) — the profile from {@code quarkus.profile} / {@code QUARKUS_PROFILE}
 * ({@code prod} by default), the mappings {@link Pop3Config} and {@link Conf1Config} and their
 * Bean Validation constraints. A mapping that does not hold throws SmallRye's
 * {@code ConfigValidationException}, whose problems read as the server's.
 */
public final class ConfigLoader {
    static final String DEFAULT_PROFILE = "prod";

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

    public static SmallRyeConfig load(Sources sources) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        String inWorkingDir = sources.workingDir().resolve("config").resolve("application.properties").toUri().toString();
        try (ValidatorFactory factory = Validation.byProvider(HibernateValidator.class).configure()
                // no Expression Language here, and messages are literal anyway (see Pop3Config)
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory()) {
            Validator validator = factory.getValidator();
            return new SmallRyeConfigBuilder()
                    .forClassLoader(loader)
                    .addDefaultInterceptors()
                    .addDiscoveredConverters() // Quarkus' Duration ("10s") and Path converters
                    .withProfiles(sources.profiles())
                    .withSources(new PropertiesConfigSource(sources.systemProperties(), "SysPropConfigSource", 400))
                    .withSources(new EnvConfigSource(sources.environment(), 300))
                    .withSources(DotEnvConfigSourceProvider.dotEnvSources(
                            sources.workingDir().resolve(".env").toUri().toString(), loader))
                    .withSources(PropertiesConfigSourceLoader.inFileSystem(inWorkingDir, 260, loader))
                    .withSources(PropertiesConfigSourceLoader.inClassPath("application.properties", 250, loader))
                    .withMapping(Pop3Config.class)
                    .withMapping(Conf1Config.class)
                    // quarkus.* and other keys are not ours; the server ignores them here too
                    .withValidateUnknown(false)
                    .withValidator((BeanValidationConfigValidator) () -> validator)
                    .build();
        }
    }
}

package dev.pop3d.config;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidator;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;
import io.smallrye.config.WithName;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Checks the {@link Bounds} and {@link DurationBounds} of our {@code @ConfigMapping}s when the
 * configuration is built, in the server (registered with Quarkus through {@link Customizer}, a
 * SmallRye service) and in {@code check-config} ({@link ConfigLoader}) alike: every problem is one
 * line {@code <key> <message>}, and all of them are reported at once in SmallRye's
 * {@code ConfigValidationException}. A handful of ranges on number and duration keys is all our
 * mappings constrain; Bean Validation bootstrapped for them cost 40 % of the main thread's
 * start-up (JFR; ADR 0014).
 */
public final class MappingConstraints implements ConfigValidator {
    @Override
    public void validateMapping(Class<?> mappingClass, String prefix, Object mapping) throws ConfigValidationException {
        if (!mappingClass.getPackageName().equals(MappingConstraints.class.getPackageName())) {
            return; // Quarkus' own mappings: not ours to judge
        }
        List<String> problems = new ArrayList<>();
        check(mappingClass, prefix, mapping, problems);
        if (!problems.isEmpty()) {
            throw new ConfigValidationException(problems.stream().map(ConfigValidationException.Problem::new)
                    .toArray(ConfigValidationException.Problem[]::new));
        }
    }

    private static void check(Class<?> type, String prefix, Object mapping, List<String> problems) {
        Method[] methods = type.getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName)); // a stable order of problems
        for (Method method : methods) {
            if (method.getParameterCount() != 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            Bounds bounds = method.getAnnotation(Bounds.class);
            DurationBounds durations = method.getAnnotation(DurationBounds.class);
            boolean group = method.getReturnType().isInterface()
                    && method.getReturnType().getPackageName().equals(type.getPackageName());
            if (bounds == null && durations == null && !group) {
                continue;
            }
            String key = prefix + "." + name(method);
            Object value = value(method, mapping);
            if (group) {
                check(method.getReturnType(), key, value, problems);
            } else if (bounds != null && value instanceof Number number) {
                if (number.longValue() < bounds.min()) {
                    problems.add(key + " " + bounds.message());
                } else if (number.longValue() > bounds.max()) {
                    problems.add(key + " " + (bounds.aboveMessage().isEmpty() ? bounds.message() : bounds.aboveMessage()));
                }
            } else if (durations != null && value instanceof Duration duration) {
                if (duration.compareTo(Duration.ofMillis(durations.minMillis())) < 0) {
                    problems.add(key + " " + durations.message());
                } else if (duration.compareTo(Duration.ofMillis(durations.maxMillis())) > 0) {
                    problems.add(key + " " + (durations.aboveMessage().isEmpty() ? durations.message()
                            : durations.aboveMessage()));
                }
            }
        }
    }

    /** SmallRye's default naming: {@code @WithName}, else the method name in kebab case. */
    static String name(Method method) {
        WithName named = method.getAnnotation(WithName.class);
        if (named != null) {
            return named.value();
        }
        StringBuilder kebab = new StringBuilder();
        for (char c : method.getName().toCharArray()) {
            if (Character.isUpperCase(c)) {
                kebab.append('-').append(Character.toLowerCase(c));
            } else {
                kebab.append(c);
            }
        }
        return kebab.toString();
    }

    private static Object value(Method method, Object mapping) {
        try {
            method.setAccessible(true);
            return method.invoke(mapping);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Registers the checks with every SmallRye config Quarkus builds (META-INF/services). */
    public static final class Customizer implements SmallRyeConfigBuilderCustomizer {
        @Override
        public void configBuilder(SmallRyeConfigBuilder builder) {
            builder.withValidator(new MappingConstraints());
        }
    }
}

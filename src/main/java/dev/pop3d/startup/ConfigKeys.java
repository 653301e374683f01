package dev.pop3d.startup;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The keys of the mappings with their defaults, as check-config lists them; and how secrets show. */
final class ConfigKeys {
    /** Keys whose whole value is a secret. */
    private static final Set<String> SECRETS = Set.of("conf1.token", "pop3.admin.token");
    /** Inline users: {@code alice:secret,bob:pw}, names shown, passwords not. */
    private static final String INLINE_USERS = "pop3.users";
    private static final String MASK = "**********";

    private ConfigKeys() {}

    record Key(String name, Optional<String> defaultValue) {
        boolean isDefault(String value) {
            return defaultValue.filter(value::equals).isPresent();
        }
    }

    static List<Key> of(Class<?> first, String firstPrefix, Class<?> second, String secondPrefix) {
        List<Key> keys = new ArrayList<>();
        walk(first, firstPrefix, keys);
        walk(second, secondPrefix, keys);
        return keys;
    }

    /** Every mapping's keys: POP3, CONF1 and HDRP. */
    static List<Key> all() {
        List<Key> keys = of(dev.pop3d.config.Pop3Config.class, "pop3", dev.pop3d.config.Conf1Config.class, "conf1");
        walk(dev.pop3d.config.HdrpConfig.class, "hdrp", keys);
        return keys;
    }

    static String masked(String key, String value) {
        if (SECRETS.contains(key)) {
            return MASK;
        }
        if (key.equals(INLINE_USERS)) {
            return Arrays.stream(value.split(","))
                    .map(entry -> entry.contains(":") ? entry.substring(0, entry.indexOf(':')).strip() + ":" + MASK : MASK)
                    .collect(Collectors.joining(","));
        }
        return value;
    }

    /** Group interfaces nest inside the mapping; every other method is a key (kebab-case). */
    private static void walk(Class<?> type, String prefix, List<Key> keys) {
        Method[] methods = type.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method method : methods) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            WithName named = method.getAnnotation(WithName.class);
            String name = prefix + "." + (named != null ? named.value()
                    : method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
            Class<?> returned = method.getReturnType();
            // a group is an interface of the same mapping, at any depth (pop3.auth.penalty.*)
            if (returned.isInterface() && returned.getNestHost() == type.getNestHost()) {
                walk(returned, name, keys);
            } else {
                WithDefault value = method.getAnnotation(WithDefault.class);
                keys.add(new Key(name, Optional.ofNullable(value).map(WithDefault::value)));
            }
        }
    }
}

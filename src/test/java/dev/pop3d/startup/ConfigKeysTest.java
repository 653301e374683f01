package dev.pop3d.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The keys check-config lists are the keys an operator writes: nested groups walked, renamed keys as named. */
class ConfigKeysTest {
    private final Map<String, Optional<String>> keys = ConfigKeys.all().stream()
            .collect(Collectors.toMap(ConfigKeys.Key::name, ConfigKeys.Key::defaultValue));

    @Test
    void groupsTwoLevelsDeepAreWalked() {
        assertEquals(Optional.of("true"), keys.get("pop3.auth.penalty.enabled"));
        assertEquals(Optional.of("false"), keys.get("pop3.auth.lockout.enabled"));
        assertFalse(keys.containsKey("pop3.auth.penalty"), "a group is not a key");
        assertFalse(keys.containsKey("pop3.auth.lockout"), "a group is not a key");
    }

    @Test
    void renamedKeysKeepTheirConfiguredName() {
        assertEquals(Optional.of("5s"), keys.get("pop3.lock.wait"));
        assertFalse(keys.containsKey("pop3.lock.lock-wait"));
        assertFalse(keys.containsKey("pop3.users-reload-interval"));
        assertEquals(true, keys.containsKey("pop3.users.reload-interval"));
    }
}

package dev.pop3d.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.config.ConfigValidationException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounds of our mappings, as check-config and the server report them (one line per key). */
class MappingConstraintsTest {
    @TempDir
    Path dir;

    private List<String> problems(Map<String, String> system) {
        ConfigValidationException e = assertThrows(ConfigValidationException.class,
                () -> ConfigLoader.load(new ConfigLoader.Sources(system, Map.of(), dir)));
        return ConfigFailure.problems(e).stream().sorted().toList();
    }

    @Test
    void everyBoundIsCheckedWithItsKeyBelowAndAbove() {
        assertEquals(List.of(
                "hdrp.fetch.max-header-bytes must be at most 65000 (one UDP datagram)",
                "hdrp.port must be a port number from 0 to 65535",
                "pop3.auth.failure-delay must not be negative",
                "pop3.limits.idle-timeout must be at most 1d (86400s, as CONF1 IDL)",
                "pop3.limits.max-connections must be between 1 and 1000000 (as CONF1 MXC)",
                "pop3.lock.wait must be at most 5m (a waiting login holds a store worker)",
                "pop3.port must be between 0 and 65535",
                "pop3.transform.timeout must be positive"),
                problems(Map.of("pop3.port", "-1", "hdrp.port", "65536", "pop3.auth.failure-delay", "-1s",
                        "pop3.limits.idle-timeout", "2d", "pop3.limits.max-connections", "1000001",
                        "pop3.lock.wait", "6m", "pop3.transform.timeout", "0s",
                        "hdrp.fetch.max-header-bytes", "65001")));
    }

    @Test
    void theEdgesOfEachRangeAreAccepted() {
        assertDoesNotThrow(() -> ConfigLoader.load(new ConfigLoader.Sources(Map.of("pop3.port", "65535",
                "pop3.limits.idle-timeout", "1d", "pop3.lock.wait", "5m", "pop3.limits.max-connections", "1",
                "pop3.auth.failure-delay", "0s"), Map.of(), dir)));
    }
}

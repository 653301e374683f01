package dev.pop3d.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration as the server builds it: sources in Quarkus' order, profiles, constraints. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private SmallRyeConfig load(Map<String, String> system, Map<String, String> env) {
        return ConfigLoader.load(new ConfigLoader.Sources(system, env, dir));
    }

    @Test
    void systemPropertiesBeatEnvironmentBeatsDotEnvBeatsConfigApplicationPropertiesBeatsDefaults() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/application.properties"),
                "pop3.port=2001\npop3.host=127.0.0.2\npop3.log-folder=from-file\npop3.stream.buffer-size=1024\n");
        Files.writeString(dir.resolve(".env"), "POP3_PORT=2002\nPOP3_HOST=127.0.0.3\nPOP3_LOG_FOLDER=from-dotenv\n");
        SmallRyeConfig config = load(Map.of("pop3.port", "2004"), Map.of("POP3_PORT", "2003", "POP3_HOST", "127.0.0.4"));
        Pop3Config pop3 = config.getConfigMapping(Pop3Config.class);
        assertEquals(2004, pop3.port());
        assertEquals("127.0.0.4", pop3.host());
        assertEquals("from-dotenv", pop3.logFolder());
        assertEquals(1024, pop3.stream().bufferSize());
        assertEquals(Duration.ofMinutes(10), pop3.limits().idleTimeout(), "the mapping's default, Quarkus' duration form");
        assertEquals(Path.of("data/mail"), pop3.maildir().root());
    }

    @Test
    void theProfileIsProdUnlessQuarkusProfileSaysOtherwise() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/application.properties"), "%prod.pop3.port=2101\n%staging.pop3.port=2102\n");
        assertEquals(2101, load(Map.of(), Map.of()).getConfigMapping(Pop3Config.class).port());
        assertEquals(2102, load(Map.of(), Map.of("QUARKUS_PROFILE", "staging")).getConfigMapping(Pop3Config.class).port());
        assertEquals(2102, load(Map.of("quarkus.profile", "staging"), Map.of("QUARKUS_PROFILE", "prod"))
                .getConfigMapping(Pop3Config.class).port());
        // the class path's application.properties holds %test values: never applied outside tests
        assertEquals(false, load(Map.of(), Map.of()).getConfigMapping(Pop3Config.class).users().isPresent());
    }

    @Test
    void constraintsAndConversionsAreProblemsWithTheKey() {
        ConfigValidationException e = assertThrows(ConfigValidationException.class,
                () -> load(Map.of("pop3.limits.max-bad-commands", "0", "conf1.port", "70000"), Map.of()));
        assertEquals(List.of("conf1.port must be between 0 and 65535",
                        "pop3.limits.max-bad-commands must be at least 1 (0 would close every session at its first command)"),
                ConfigFailure.problems(e).stream().sorted().toList());
        assertEquals(List.of("pop3.limits.idle-timeout must be at least 1s"),
                ConfigFailure.problems(assertThrows(ConfigValidationException.class,
                        () -> load(Map.of(), Map.of("POP3_LIMITS_IDLE_TIMEOUT", "0s")))));
        String conversion = ConfigFailure.problems(assertThrows(ConfigValidationException.class,
                () -> load(Map.of("pop3.port", "abc"), Map.of()))).get(0);
        assertEquals(true, conversion.contains("pop3.port") && conversion.contains("abc"), conversion);
    }
}

package dev.pop3d.testcontainers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a user's test classpath gets from this artifact: never Quarkus or Vert.x. */
class ClasspathTest {
    @Test
    void theResolvedRuntimeDependenciesHoldNoQuarkusAndNoVertx() throws Exception {
        Path list = Path.of(System.getProperty("runtime.dependencies", "target/runtime-dependencies.txt"));
        List<String> lines = Files.readAllLines(list);
        assertTrue(lines.stream().anyMatch(l -> l.contains("org.testcontainers:testcontainers:jar")),
                "the list is the real one (Testcontainers in it):\n" + String.join("\n", lines));
        for (String line : lines) {
            assertFalse(line.contains("io.quarkus") || line.contains("io.vertx") || line.contains("io.smallrye"), line);
        }
    }

    @Test
    void noQuarkusOrVertxClassIsLoadable() {
        for (String name : List.of("io.vertx.core.Vertx", "io.quarkus.runtime.Quarkus", "io.quarkus.arc.Arc")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name), name);
        }
    }
}

package dev.pop3d.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An instance field: each test gets a server of its own, stopped after it. */
class Pop3dExtensionPerTestTest {
    static final List<Long> PIDS = new ArrayList<>();

    @RegisterExtension
    Pop3dExtension pop3d = Pop3dExtension.fromJar(Path.of(System.getProperty("pop3d.jar")));

    @Test
    void one() {
        PIDS.add(pop3d.pid());
    }

    @Test
    void two() {
        PIDS.add(pop3d.pid());
    }

    @AfterAll
    static void eachServerWasStoppedAfterItsTest() {
        assertEquals(2, PIDS.size());
        assertNotEquals(PIDS.get(0), PIDS.get(1));
        PIDS.forEach(pid -> assertTrue(Pop3dExtensionLifecycleTest.gone(pid), "pid " + pid + " still runs"));
    }
}

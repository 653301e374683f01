package dev.pop3d.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The PID-1 warning: only as PID 1, one line, naming the inits that reap orphans. */
class StartupChecksTest {
    @Test
    void asPidOneOneLineNamesTheInits() {
        String warning = StartupChecks.pidOneWarning(1).orElseThrow();
        assertTrue(warning.contains("orphans") && warning.contains("--init") && warning.contains("init: true")
                && warning.contains("shareProcessNamespace: true"), warning);
        assertEquals(-1, warning.indexOf('\n'), "one line");
    }

    @Test
    void otherwiseNothing() {
        assertEquals(Optional.empty(), StartupChecks.pidOneWarning(2));
        assertEquals(Optional.empty(), StartupChecks.pidOneWarning(4_194_304));
    }
}

package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The crash points are test-only: off unless the property names them, and then parsed exactly. */
class CrashPointsTest {

    @Test
    void anEmptySpecListsNothing() {
        assertTrue(CrashPoints.parse("").isEmpty());
        assertTrue(CrashPoints.parse(" , ").isEmpty());
    }

    @Test
    void pointsWithAndWithoutChance() {
        assertEquals(Map.of("index-written", 1.0, "unlinked-one", 0.3),
                CrashPoints.parse("index-written, unlinked-one:0.3"));
    }

    @Test
    void inertInThisJvmWhereThePropertyIsNotSet() {
        // Would SIGKILL the test JVM if the points were armed: reaching them must be a no-op here.
        CrashPoints.reach(CrashPoints.JOURNAL_WRITTEN);
        CrashPoints.reachForIndex(CrashPoints.INDEX_WRITTEN, java.nio.file.Path.of(MaildirIndex.FILE));
    }
}

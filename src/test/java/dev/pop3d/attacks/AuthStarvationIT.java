package dev.pop3d.attacks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.ServerProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, row 4: 200 attackers (127.0.0.2-127.0.0.201) abandoning wrong-password logins against
 * bcrypt users must not starve a good {SHA256} user from 127.0.0.1: its login p99 stays under
 * 1 s, a failed attempt counting as its 5 s timeout; at most 15 s of attack plus one timeout. The
 * old build ran every abandoned bcrypt check on the shared worker pool (13.5 s logins).
 */
class AuthStarvationIT {
    @TempDir
    Path dir;

    @Test
    void abandonedBcryptLoginsDoNotStarveAGoodUser() throws Exception {
        String bcrypt = AttackTool.hash("BCRYPT", "bcrypt-secret");
        ServerProcess server = AttackTool.server(dir.resolve("server")).user("good", AttackTool.hash("SHA256", "good-pw"));
        for (int i = 1; i <= 5; i++) {
            server.user("b" + i, bcrypt);
        }
        try (server) {
            server.start();
            AttackTool run = AttackTool.run(90, "AuthStarvation", "--host", "127.0.0.1",
                    "--port", String.valueOf(server.port()), "--targets", "b1,b2,b3,b4,b5",
                    "--good-user", "good", "--good-password", "good-pw", "--attackers", "200",
                    "--first-attacker", "127.0.0.2", "--seconds", "20", "--good-timeout", "5", "--good-pause-ms", "20");
            // the tool counts a failed good login (refused, timed out) as 5 s in the percentiles
            assertTrue(run.number("attackerAttempts") > 0, run.toString());
            assertTrue(run.number("goodLogins") + run.number("goodFailures") > 0, "no good login tried: " + run);
            assertTrue(run.number("goodP99Ms") < 1000, "good login p99 >= 1 s: " + run);
        }
    }
}

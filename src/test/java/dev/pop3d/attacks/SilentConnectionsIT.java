package dev.pop3d.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.ServerProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, row 2: silent sockets from one address. At most 20 of them are accepted (the
 * per-address limit) and a real user from another address is served while they are held; a
 * silent connection is closed at the login timeout. The old build let one address take all 1,000
 * slots for the renewable 10-minute idle timeout.
 */
class SilentConnectionsIT {
    @TempDir
    Path dir;

    private static final int PER_ADDRESS_LIMIT = 20; // pop3.limits.max-connections-per-address default

    @Test
    void thousandSilentSocketsFromOneAddressDoNotLockOutAnother() throws Exception {
        try (ServerProcess server = AttackTool.server(dir.resolve("server")).user("alice", "alice-pw").start()) {
            AttackTool silent = AttackTool.run(90, "SilentConnections", "--host", "127.0.0.1",
                    "--port", String.valueOf(server.port()), "--from", "127.0.0.2", "--count", "1000",
                    "--hold", "2", "--user", "alice", "--password", "alice-pw", "--user-from", "127.0.0.1");
            assertEquals(0, silent.number("connectFailed"), silent.toString());
            assertTrue(silent.number("accepted") <= PER_ADDRESS_LIMIT, "accepted beyond the limit: " + silent);
            assertTrue(silent.number("accepted") > 0, silent.toString());
            assertTrue(silent.bool("realUserOk"), "real user not served: " + silent);
        }
    }

    @Test
    void silentConnectionsAreClosedAtTheLoginTimeout() throws Exception {
        ServerProcess server = AttackTool.server(dir.resolve("server")).user("alice", "alice-pw");
        if (!AttackTool.oldBuild()) { // the old build has no login timeout (and refuses the key)
            server.property("pop3.limits.login-timeout", "2s");
        }
        try (server) {
            server.start();
            AttackTool silent = AttackTool.run(60, "SilentConnections", "--host", "127.0.0.1",
                    "--port", String.valueOf(server.port()), "--from", "127.0.0.3", "--count", "5",
                    "--hold", "4", "--user", "alice", "--password", "alice-pw", "--user-from", "127.0.0.1");
            assertEquals(5, silent.number("accepted"), silent.toString());
            assertEquals(5, silent.number("acceptedClosedByServer"), "not closed at the login timeout: " + silent);
            assertTrue(silent.raw("closeLines").contains("Login timeout"), silent.toString());
        }
    }
}

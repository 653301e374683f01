package dev.pop3d.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.ServerProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, row 1: clients that pipeline commands and never read. At {@code -Xmx96m}, 4 clients
 * each trying 30 MB (before login, and TOP 1 700 after it) must not take the server down: the
 * probe's RETR is served throughout (p50 under 1 s) and {@code /q/health/live} stays 200. The old build buffered
 * every reply (OutOfMemoryError on the event loops, health dead).
 */
class ReplyFloodIT {
    @TempDir
    Path dir;

    private ServerProcess server() throws Exception {
        ServerProcess server = AttackTool.server(dir.resolve("server")).jvmArg("-Xmx96m").user("probe", "probe-pw");
        server.deliver("probe", AttackTool.message(1000));
        for (int i = 1; i <= 4; i++) {
            server.user("flood" + i, "flood-pw");
            server.deliver("flood" + i, AttackTool.message(1000));
        }
        return server.start();
    }

    private static void assertServed(AttackTool flood) {
        assertTrue(flood.bool("serverAlive"), "server died: " + flood);
        assertTrue(flood.number("probeOk") >= 3, "probe not served: " + flood);
        assertEquals(0, flood.number("probeFailed"), "probe failed: " + flood);
        assertTrue(flood.bool("finalProbeOk"), "probe after the flood: " + flood);
        // served, not merely eventually: the old build answered the probe in 1.8-3.6 s (p50)
        // during a TOP flood, with /q/health/live still 200; with back-pressure it takes ~55 ms
        assertTrue(flood.number("probeP50Ms") < 1000, "probe p50 >= 1 s: " + flood);
        assertEquals("{\"200\":" + flood.number("probeOk") + "}", flood.raw("healthStatusCounts"),
                "/q/health/live was not always 200: " + flood);
        assertEquals(200, flood.number("finalHealthStatus"), flood.toString());
    }

    @Test
    void pipelinedCapaBeforeLoginNeverRead() throws Exception {
        try (ServerProcess server = server()) {
            AttackTool flood = AttackTool.run(90, "ReplyFlood", "--host", "127.0.0.1",
                    "--port", String.valueOf(server.port()), "--http", AttackTool.httpPort(server),
                    "--pid", String.valueOf(server.pid()), "--user", "probe", "--password", "probe-pw",
                    "--clients", "4", "--mb", "30", "--seconds", "6", "--hold", "2");
            assertServed(flood);
        }
    }

    @Test
    void pipelinedTopNeverRead() throws Exception {
        try (ServerProcess server = server()) {
            AttackTool flood = AttackTool.run(90, "ReplyFlood", "--host", "127.0.0.1",
                    "--port", String.valueOf(server.port()), "--http", AttackTool.httpPort(server),
                    "--pid", String.valueOf(server.pid()), "--user", "probe", "--password", "probe-pw",
                    // 10 s: the old build's TOP buffering thrashes its heap for seconds before health fails
                    "--clients", "4", "--mb", "30", "--seconds", "10", "--hold", "3",
                    "--top", "--flood-user", "flood%d", "--flood-password", "flood-pw");
            assertServed(flood);
        }
    }
}

package dev.pop3d.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.ServerProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, row 5: one junk datagram from each of 10,000 fresh source ports. /q/metrics keeps the
 * same set of series (but for the JVM's own, e.g. a first GC pause of a kind) and grows by at most
 * 1 KiB. The old build tagged Vert.x UDP meters with
 * every peer address (a series per source port, unbounded).
 */
class Conf1JunkIT {
    @TempDir
    Path dir;

    @Test
    void junkFromTenThousandSourcePortsAddsNoSeries() throws Exception {
        try (ServerProcess server = AttackTool.server(dir.resolve("server")).user("alice", "alice-pw").start()) {
            AttackTool junk = AttackTool.run(90, "Conf1Junk", "--host", "127.0.0.1",
                    "--port", server.propertyValue("conf1.port"), "--http", AttackTool.httpPort(server),
                    "--count", "10000", "--bytes", "1");
            assertEquals(10000, junk.number("datagrams"), junk.toString());
            // the JVM's meters may add a series of their own meanwhile (a first GC of a kind)
            assertEquals(0, junk.number("seriesAddedOutsideJvm"), "new series: " + junk);
            assertEquals(0, junk.number("seriesRemoved"), "series gone: " + junk);
            assertEquals(0, junk.number("remoteAddressSeriesAfter"), "peer-address series: " + junk);
            long growth = junk.number("metricsBytesAfter") - junk.number("metricsBytesBefore");
            assertTrue(growth <= 1024, "/q/metrics grew by " + growth + " octets: " + junk);
        }
    }
}

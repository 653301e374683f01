package dev.pop3d.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tagged counters, looked up once and cached, count under the tags the registry shows. */
class Pop3MetricsTest {
    @TempDir
    Path data;

    @Test
    void cachedCountersCountUnderTheirOwnTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Pop3Metrics metrics = new Pop3Metrics(registry, new PersistentCounters(data, "pop3d-test"));
        metrics.command("RETR", true);
        metrics.command("RETR", true);
        metrics.command("RETR", false);
        metrics.command("LIST", false);
        metrics.conf1Request("success");
        metrics.conf1Request("success");
        metrics.conf1Request("unauthorized");
        metrics.authentication("OK");
        metrics.authentication("IN_USE");
        metrics.hdrpQuery("hit");
        assertEquals(2.0, registry.get("pop3d.commands").tags("command", "RETR", "result", "ok").counter().count());
        assertEquals(1.0, registry.get("pop3d.commands").tags("command", "RETR", "result", "err").counter().count());
        assertEquals(1.0, registry.get("pop3d.commands").tags("command", "LIST", "result", "err").counter().count());
        assertEquals(0.0, registry.get("pop3d.commands").tags("command", "LIST", "result", "ok").counter().count());
        assertEquals(2.0, registry.get("pop3d.conf1.requests").tags("result", "success").counter().count());
        assertEquals(1.0, registry.get("pop3d.conf1.requests").tags("result", "unauthorized").counter().count());
        assertEquals(1.0, registry.get("pop3d.auth").tags("result", "ok").counter().count());
        assertEquals(1.0, registry.get("pop3d.auth").tags("result", "in_use").counter().count());
        assertEquals(1.0, registry.get("pop3d.lock.conflicts").counter().count());
        assertEquals(1.0, registry.get("pop3d.hdrp.queries").tags("result", "hit").counter().count());
    }
}

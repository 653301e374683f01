package dev.pop3d.conf1;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TokenGuardTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-24T12:00:00Z"));
    private final InstantSource clock = now::get;
    private final TokenGuard guard = new TokenGuard(5, Duration.ofSeconds(10), clock);

    @Test
    void tokensCompareCaseInsensitively() throws Exception {
        InetAddress a = InetAddress.getByName("127.0.0.1");
        assertTrue(guard.accepts(a, "AdminAdmin", "adminadmin"));
        assertFalse(guard.accepts(a, "adminadmix", "adminadmin"));
        assertFalse(guard.accepts(a, "admin", "adminadmin"));
    }

    @Test
    void moreThanFiveWrongTokensInTheWindowLockTheSourceOutUntilTheWindowEnds() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.2");
        InetAddress b = InetAddress.getByName("192.0.2.3"); // distinct networks (127/8 would be one)
        for (int i = 0; i < 5; i++) {
            guard.accepts(a, "wrongwrong", "adminadmin");
            assertFalse(guard.throttled(a), "after " + (i + 1));
        }
        guard.accepts(a, "wrongwrong", "adminadmin");
        assertTrue(guard.throttled(a));
        assertFalse(guard.throttled(b), "other sources are not affected");
        now.set(now.get().plusSeconds(9));
        assertTrue(guard.throttled(a));
        now.set(now.get().plusSeconds(1));
        assertFalse(guard.throttled(a), "the window ended");
        assertTrue(guard.accepts(a, "adminadmin", "adminadmin"));
    }
}

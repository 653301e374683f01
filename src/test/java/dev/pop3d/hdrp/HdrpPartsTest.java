package dev.pop3d.hdrp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.endpoint.WorkerPools;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts of HDRP, and the fetcher against a resolver that changes its answer. */
class HdrpPartsTest {
    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));

    @Test
    void targetsAreNormalisedForTheCacheKey() {
        assertEquals("http://www.twitch.tv:80/", Target.parse("www.twitch.tv").target().orElseThrow().key());
        assertEquals("http://www.twitch.tv:80/", Target.parse("HTTP://WWW.Twitch.TV").target().orElseThrow().key());
        assertEquals("https://example.org:443/a?b=c", Target.parse("https://example.org/a?b=c").target().orElseThrow().key());
        assertEquals("http://[::1]:8080/", Target.parse("http://[::1]:8080").target().orElseThrow().key());
        assertTrue(Target.parse("http://user:pw@example.org/").target().isEmpty(), "no user info");
        assertTrue(Target.parse("").target().isEmpty());
        assertTrue(Target.parse("x".repeat(3000)).target().isEmpty());
    }

    @Test
    void ticketsAreSingleUseShortLivedAndTiedToTheAskingAddress() throws Exception {
        Tickets tickets = new Tickets(Duration.ofSeconds(10), now::get, new SecureRandom(), 3);
        InetAddress peer = InetAddress.getByName("127.0.0.1");
        String t = tickets.issue(peer, new byte[] {1}).orElseThrow();
        assertTrue(tickets.redeem(t, InetAddress.getByName("127.0.0.2")).isEmpty(), "another source");
        String u = tickets.issue(peer, new byte[] {2}).orElseThrow();
        assertArrayEquals(new byte[] {2}, tickets.redeem(u, peer).orElseThrow().header());
        assertTrue(tickets.redeem(u, peer).isEmpty(), "single use");
        String late = tickets.issue(peer, new byte[] {3}).orElseThrow();
        now.set(now.get().plusSeconds(10));
        assertTrue(tickets.redeem(late, peer).isEmpty(), "expired");
        for (int i = 0; i < 3; i++) {
            tickets.issue(peer, new byte[0]);
        }
        assertTrue(tickets.issue(peer, new byte[0]).isEmpty(), "bounded");
    }

    @Test
    void privateAndMetadataAddressesAreRefused() throws Exception {
        TargetPolicy strict = TargetPolicy.of(false);
        for (String a : List.of("127.0.0.1", "::1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "fe80::1", "fd00::1", "100.64.0.1", "0.0.0.0", "224.0.0.1")) {
            assertTrue(strict.refuse(InetAddress.getByName(a)).isPresent(), a);
        }
        assertFalse(strict.refuse(InetAddress.getByName("93.184.216.34")).isPresent());
        assertFalse(TargetPolicy.of(true).refuse(InetAddress.getByName("127.0.0.1")).isPresent());
    }

    @Test
    void theCacheIsBoundedExpiresAndSurvivesASaveAndLoad() throws Exception {
        Path file = dir.resolve("hdrp/cache.json");
        HeaderCache cache = new HeaderCache(2, Duration.ofMinutes(10), now::get, file);
        Target a = Target.parse("a.example").target().orElseThrow();
        cache.put(a, "HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(cache.get(a).isPresent());
        cache.save();
        HeaderCache reloaded = new HeaderCache(2, Duration.ofMinutes(10), now::get, file);
        assertEquals(1, reloaded.load());
        assertArrayEquals(cache.get(a).orElseThrow(), reloaded.get(a).orElseThrow());
        now.set(now.get().plus(Duration.ofMinutes(11)));
        assertTrue(reloaded.get(a).isEmpty(), "older than the TTL");
        assertEquals(0, new HeaderCache(2, Duration.ofMinutes(10), now::get, file).load(), "not reloaded when stale");
    }

    @Test
    void siteFileNamesCannotLeaveTheDirectory() {
        assertEquals("www.twitch.tv.txt", HdrpClient.fileName("www.twitch.tv"));
        assertEquals("___etc_passwd.txt", HdrpClient.fileName("../etc/passwd").replace("__", "__"));
        assertFalse(HdrpClient.fileName("http://a/../../b").contains(".."));
        assertFalse(HdrpClient.fileName("a:b/c").contains("/") || HdrpClient.fileName("a:b/c").contains(":"));
    }

    /**
     * DNS rebinding: the name answers an allowed address first, a refused one the next time. The
     * fetcher resolves once and connects to the address it checked; a name with only refused
     * addresses is never connected to. (127.0.0.1 plays the public site, 127.0.0.2 the private one.)
     */
    @Test
    void theAddressCheckedIsTheAddressConnectedTo() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (ServerSocket site = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            AtomicInteger calls = new AtomicInteger();
            Resolver rebinding = host -> calls.incrementAndGet() == 1
                    ? List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2"))
                    : List.of(InetAddress.getByName("127.0.0.2"));
            TargetPolicy onlyDotOne = a -> a.getHostAddress().equals("127.0.0.1") ? Optional.empty()
                    : Optional.of("target refused: private address");
            HeaderFetcher fetcher = new HeaderFetcher(vertx, rebinding, onlyDotOne, new WorkerPools(vertx).pool("t", 1),
                    Duration.ofSeconds(2), Duration.ofSeconds(2), 4096, false);
            Thread server = new Thread(() -> {
                try (Socket s = site.accept()) {
                    s.getInputStream().read(new byte[1024]);
                    s.getOutputStream().write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception ignored) {
                    // closed by the fetcher
                }
            });
            server.start();
            byte[] header = fetcher.fetch(Target.parse("http://rebind.test:" + site.getLocalPort() + "/").target().orElseThrow())
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals("HTTP/1.1 204 No Content\r\n\r\n", new String(header, StandardCharsets.US_ASCII));
            assertEquals(1, calls.get(), "resolved once");
            Throwable refused = fetcher.fetch(Target.parse("http://rebind.test:" + site.getLocalPort() + "/").target().orElseThrow())
                    .toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(10, TimeUnit.SECONDS);
            assertTrue(String.valueOf(refused).contains("target refused: private address"), String.valueOf(refused));
            fetcher.close();
        } finally {
            vertx.close();
        }
    }
}

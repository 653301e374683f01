package dev.pop3d.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The IPv4 fallback every endpoint shares, against a fake binder that behaves like a JVM without IPv6. */
class BindingsTest {
    private static final Ipv6 NO_IPV6 = Ipv6.unavailable("this network namespace has no IPv6 address");

    /** Binds IPv4 addresses; throws as the JDK does for IPv6 (synchronously, before any future). */
    private final List<String> tried = new ArrayList<>();
    private final Bindings.Binder<String> jvmWithoutIpv6 = host -> {
        tried.add(host);
        if (host.contains(":")) {
            throw new UnsupportedOperationException("IPv6 not available");
        }
        return Future.succeededFuture("bound " + host);
    };

    @Test
    void allAddressesBecomesIpv4WhenIpv6IsKnownMissing() throws Exception {
        var bound = Bindings.bindAll("CONF1", List.of("::"), NO_IPV6, jvmWithoutIpv6);
        assertEquals(List.of("0.0.0.0"), bound.stream().map(Bindings.Bound::host).toList());
        assertEquals(List.of("0.0.0.0"), tried, "nothing IPv6 is even tried");
    }

    @Test
    void allAddressesFallsBackWhenTheBindItselfSaysIpv6IsMissing() throws Exception {
        // the probe found nothing wrong, but socket creation throws: the bug of the first landing
        var bound = Bindings.bindAll("CONF1", List.of("::"), Ipv6.available(), jvmWithoutIpv6);
        assertEquals(List.of("0.0.0.0"), bound.stream().map(Bindings.Bound::host).toList());
    }

    @Test
    void ipv6LoopbackIsLeftOutWhenIpv4LoopbackRemains() throws Exception {
        var bound = Bindings.bindAll("CONF1", List.of("127.0.0.1", "::1"), Ipv6.available(), jvmWithoutIpv6);
        assertEquals(List.of("127.0.0.1"), bound.stream().map(Bindings.Bound::host).toList());
        assertEquals(List.of("127.0.0.1"), Bindings.plan("CONF1", List.of("127.0.0.1", "::1"), NO_IPV6));
    }

    @Test
    void onlyIpv6AddressesWithoutIpv6IsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Bindings.bindAll("POP3", List.of("::1"), NO_IPV6, jvmWithoutIpv6));
        assertTrue(e.getMessage().contains("IPv6 is unavailable (this network namespace has no IPv6 address)"),
                e.getMessage());
    }

    @Test
    void otherBindFailuresAreNotHiddenByTheFallback() {
        Bindings.Binder<String> portInUse = host -> Future.failedFuture(new java.net.BindException("Address already in use"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Bindings.bindAll("POP3", List.of("::"), Ipv6.available(), portInUse));
        assertTrue(e.getMessage().contains("POP3 cannot listen on :: : BindException: Address already in use")
                || e.getMessage().contains("POP3 cannot listen on ::: BindException: Address already in use"), e.getMessage());
    }

    @Test
    void theCauseIsNamedNotNull() {
        assertEquals("UnsupportedOperationException: IPv6 not available",
                Ipv6.describe(new UnsupportedOperationException("IPv6 not available")));
        assertEquals("UnsupportedOperationException", Ipv6.describe(new UnsupportedOperationException()));
    }

    @Test
    void loopbackIsDecidedFromLiteralsWithoutResolvingNames() {
        assertTrue(Bindings.allLoopback(List.of("127.0.0.1", "::1", "127.0.0.2", "localhost")));
        assertTrue(!Bindings.allLoopback(List.of("127.0.0.1", "::")));
        assertTrue(!Bindings.isLoopback("mail.example.org"), "a name is not resolved, hence not loopback");
    }

    @Test
    void duplicatesAfterTheFallbackBindOnce() {
        assertEquals(List.of("0.0.0.0"), Bindings.plan("CONF1", List.of("::", "0.0.0.0"), NO_IPV6));
    }
}

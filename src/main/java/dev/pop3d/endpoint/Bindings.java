package dev.pop3d.endpoint;

import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Binds an endpoint on each configured address, with the one IPv4 fallback every endpoint shares:
 * where IPv6 is unavailable ({@link Ipv6}), {@code ::} becomes {@code 0.0.0.0} and an IPv6
 * loopback or literal is left out (with a warning naming the cause) as long as another address
 * remains. A bind that fails for another reason (port in use, no such address) fails the start.
 * Runs on a start-up thread, never on an event loop: it waits for each bind.
 */
public final class Bindings {
    private static final Logger LOG = Logger.getLogger(Bindings.class);
    static final String ALL_V6 = "::";
    static final String ALL_V4 = "0.0.0.0";
    private static final long BIND_TIMEOUT_SECONDS = 30;

    /** Binds one address; the future fails (or the call throws) when it cannot. */
    @FunctionalInterface
    public interface Binder<T> {
        Future<T> bind(String host) throws Exception;
    }

    /** A bound address and what the binder returned for it. */
    public record Bound<T>(String host, T value) {}

    private Bindings() {}

    /**
     * Binds every host of {@code hosts} (in order, duplicates after the fallback dropped) for the
     * endpoint named {@code endpoint}; at least one must bind.
     */
    public static <T> List<Bound<T>> bindAll(String endpoint, List<String> hosts, Ipv6 ipv6, Binder<T> binder)
            throws Exception {
        List<String> plan = plan(endpoint, hosts, ipv6);
        List<Bound<T>> bound = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            String host = plan.get(i);
            try {
                bound.add(new Bound<>(host, await(binder.bind(host))));
            } catch (Exception e) {
                boolean othersLeft = !bound.isEmpty() || i + 1 < plan.size();
                if (ALL_V6.equals(host) && looksLikeMissingIpv6(e)) {
                    LOG.warnf("%s: IPv6 is unavailable (%s): listening on %s (IPv4 only)", endpoint,
                            Ipv6.describe(e), ALL_V4);
                    if (!plan.contains(ALL_V4)) {
                        bound.add(new Bound<>(ALL_V4, await(binder.bind(ALL_V4))));
                    }
                } else if (isIpv6Literal(host) && looksLikeMissingIpv6(e) && othersLeft) {
                    LOG.warnf("%s: IPv6 is unavailable (%s): not listening on %s", endpoint, Ipv6.describe(e), host);
                } else {
                    throw new IllegalStateException(endpoint + " cannot listen on " + host + ": " + Ipv6.describe(e), e);
                }
            }
        }
        if (bound.isEmpty()) {
            throw new IllegalStateException(endpoint + " has no address to listen on (configured: " + hosts + ")");
        }
        return bound;
    }

    /** The addresses to try: without IPv6, {@code ::} becomes {@code 0.0.0.0} and IPv6 literals go. */
    static List<String> plan(String endpoint, List<String> hosts, Ipv6 ipv6) {
        if (ipv6.works()) {
            return List.copyOf(new LinkedHashSet<>(hosts));
        }
        String cause = ipv6.unavailable().orElseThrow();
        Set<String> plan = new LinkedHashSet<>();
        List<String> dropped = new ArrayList<>();
        for (String host : hosts) {
            if (ALL_V6.equals(host)) {
                LOG.warnf("%s: IPv6 is unavailable (%s): listening on %s (IPv4 only)", endpoint, cause, ALL_V4);
                plan.add(ALL_V4);
            } else if (isIpv6Literal(host)) {
                dropped.add(host);
            } else {
                plan.add(host);
            }
        }
        if (plan.isEmpty()) {
            throw new IllegalStateException(endpoint + " is configured for IPv6 addresses only " + hosts
                    + " but IPv6 is unavailable (" + cause + ")");
        }
        dropped.forEach(host -> LOG.warnf("%s: IPv6 is unavailable (%s): not listening on %s", endpoint, cause, host));
        return List.copyOf(plan);
    }

    /** Whether every address is a loopback address (literals only: nothing is resolved). */
    public static boolean allLoopback(List<String> hosts) {
        return hosts.stream().allMatch(Bindings::isLoopback);
    }

    public static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        if (!isIpLiteral(host)) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress(); // a literal: parsed, never resolved
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isIpv6Literal(String host) {
        return host.indexOf(':') >= 0;
    }

    private static boolean isIpLiteral(String host) {
        return isIpv6Literal(host) || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** The JDK's and the kernel's ways of saying "no IPv6 here". */
    static boolean looksLikeMissingIpv6(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage());
            if (t instanceof UnsupportedOperationException || text.contains("IPv6 not available")
                    || text.contains("Protocol family unavailable") || text.contains("Address family not supported")
                    || text.contains("Cannot assign requested address")) {
                return true;
            }
        }
        return false;
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}

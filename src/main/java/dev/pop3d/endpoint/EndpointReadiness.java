package dev.pop3d.endpoint;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The readiness registry every endpoint joins: an endpoint that runs joins under its name and
 * reports when it is bound and when it stops; a disabled endpoint never joins. {@code /q/health/ready}
 * is UP only while every joined endpoint is.
 */
@ApplicationScoped
public class EndpointReadiness {
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    /** One endpoint's state; starts not ready. */
    public static final class Endpoint {
        private final AtomicReference<String> listening = new AtomicReference<>();

        /** Bound: {@code where} is shown by the health check (addresses and ports). */
        public void ready(String where) {
            listening.set(where);
        }

        public void stopped() {
            listening.set(null);
        }

        public boolean isReady() {
            return listening.get() != null;
        }

        String where() {
            String where = listening.get();
            return where == null ? "down" : where;
        }
    }

    public Endpoint join(String name) {
        return endpoints.computeIfAbsent(name, n -> new Endpoint());
    }

    public boolean allReady() {
        return !endpoints.isEmpty() && endpoints.values().stream().allMatch(Endpoint::isReady);
    }

    /** name → "addresses" or "down", sorted by name. */
    public Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        endpoints.forEach((name, endpoint) -> states.put(name, endpoint.where()));
        return states;
    }

    public Map<String, Boolean> readiness() {
        Map<String, Boolean> states = new TreeMap<>();
        endpoints.forEach((name, endpoint) -> states.put(name, endpoint.isReady()));
        return states;
    }
}

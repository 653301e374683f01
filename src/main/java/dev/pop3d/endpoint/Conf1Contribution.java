package dev.pop3d.endpoint;

import java.util.List;

/**
 * A feature's CONF1 objects. A CDI bean of the owning feature implements it; the CONF1 endpoint
 * collects every contribution at start-up, so a new feature adds objects without touching CONF1.
 */
public interface Conf1Contribution {
    /** The objects, in the order {@code GET INF} should list them within their kind. */
    List<Conf1Object> conf1Objects();

    /** Contributions are listed by ascending rank (then by class name), for a stable {@code GET INF}. */
    default int rank() {
        return 100;
    }
}

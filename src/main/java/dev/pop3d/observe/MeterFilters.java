package dev.pop3d.observe;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Bounded metric tags, whatever produces the meter: the Vert.x binder tags its TCP and UDP meters
 * with the peer's address, so 10,000 junk datagrams from fresh source ports made 10,000 series
 * (an unbounded /q/metrics and heap). Those tags are dropped, and the series aggregate into one.
 */
@ApplicationScoped
public class MeterFilters {
    /** Tags whose values come from the network, never from a bounded set. */
    static final String[] PEER_TAGS = {"remote-address", "local-address", "remote_address", "local_address", "remote.address", "local.address"};

    @Produces
    @Singleton
    MeterFilter noPeerAddresses() {
        return MeterFilter.ignoreTags(PEER_TAGS);
    }
}

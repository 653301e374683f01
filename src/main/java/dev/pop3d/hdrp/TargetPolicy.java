package dev.pop3d.hdrp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses the server may connect to: never loopback, private (RFC 1918, fc00::/7),
 * shared (100.64/10), link-local, multicast, unspecified or cloud metadata addresses unless
 * {@code hdrp.allow-private-targets}. Checked on the address that is then connected to.
 */
public interface TargetPolicy {
    /** Empty when {@code address} may be connected to, else why not. */
    Optional<String> refuse(InetAddress address);

    static TargetPolicy of(boolean allowPrivate) {
        return address -> allowPrivate ? Optional.empty() : publicOnly(address);
    }

    static Optional<String> publicOnly(InetAddress a) {
        byte[] b = a.getAddress();
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return Optional.of("target refused: loopback or unspecified address");
        }
        if (a.isLinkLocalAddress()) {
            return Optional.of("target refused: link-local address (cloud metadata lives there)");
        }
        if (a.isMulticastAddress()) {
            return Optional.of("target refused: multicast address");
        }
        if (a.isSiteLocalAddress()) {
            return Optional.of("target refused: private address");
        }
        if (a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
            return Optional.of("target refused: shared address space (100.64.0.0/10)");
        }
        if (a instanceof Inet4Address && (b[0] & 0xff) == 0) {
            return Optional.of("target refused: this-network address");
        }
        if (a instanceof Inet6Address && ((b[0] & 0xfe) == 0xfc)) {
            return Optional.of("target refused: unique local address (fc00::/7)");
        }
        if (a instanceof Inet6Address && ((Inet6Address) a).isIPv4CompatibleAddress()) {
            return Optional.of("target refused: IPv4-compatible address");
        }
        return Optional.empty();
    }
}

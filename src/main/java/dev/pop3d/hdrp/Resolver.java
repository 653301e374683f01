package dev.pop3d.hdrp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Host name to addresses, asked once per fetch: the address that passes {@link TargetPolicy} is the
 * one connected to, so a name that answers differently the second time (DNS rebinding) gains
 * nothing. Injectable: tests use IP literals and {@code localhost} only.
 */
@FunctionalInterface
public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** IP literals parsed, {@code localhost} as loopback, other names through the system resolver. */
    static Resolver system() {
        return host -> {
            if (host.equals("localhost")) {
                return List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
            }
            return List.of(InetAddress.getAllByName(host));
        };
    }
}

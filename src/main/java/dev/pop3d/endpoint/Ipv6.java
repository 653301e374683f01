package dev.pop3d.endpoint;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this JVM in this network namespace can use IPv6, and if not, why. Found once at start-up:
 * {@code -Djava.net.preferIPv4Stack=true}, a namespace without IPv6 addresses (a Docker bridge
 * network has {@code disable_ipv6=1}: {@code /proc/net/if_inet6} is empty and the JDK then refuses
 * IPv6 sockets with "IPv6 not available"), or an IPv6 socket that cannot be opened.
 *
 * @param unavailable empty when IPv6 works, else the cause, for the operator's warning
 */
public record Ipv6(Optional<String> unavailable) {
    static final Path IF_INET6 = Path.of("/proc/net/if_inet6");

    public static Ipv6 available() {
        return new Ipv6(Optional.empty());
    }

    public static Ipv6 unavailable(String cause) {
        return new Ipv6(Optional.of(cause));
    }

    public boolean works() {
        return unavailable.isEmpty();
    }

    /** Looks at this process: system property, the kernel's IPv6 address list, one probe socket. */
    public static Ipv6 probe() {
        if (Boolean.getBoolean("java.net.preferIPv4Stack")) {
            return unavailable("java.net.preferIPv4Stack=true");
        }
        if (Files.exists(IF_INET6) && noAddresses(IF_INET6)) {
            return unavailable("this network namespace has no IPv6 address (" + IF_INET6 + " is empty)");
        }
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            channel.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return available();
        } catch (IOException | RuntimeException e) {
            return unavailable("an IPv6 socket cannot be opened: " + describe(e));
        }
    }

    private static boolean noAddresses(Path file) {
        try {
            return Files.readString(file).isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    /** "UnsupportedOperationException: IPv6 not available" rather than a bare null message. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}

package dev.pop3d.auth;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An IPv4 or IPv6 network, {@code 127.0.0.0/8} or {@code ::1/128} (RFC 4632 §3.1, RFC 4291
 * §2.3); a bare address is a /32 or /128. Parsing never resolves a name: only literals are
 * accepted, and the text of every error names the input and what is wrong with it.
 */
public record Cidr(InetAddress network, int prefixLength) {
    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not in 0.." + bits);
        }
        if (!Arrays.equals(mask(network.getAddress(), prefixLength), network.getAddress())) {
            throw new IllegalArgumentException(network.getHostAddress() + "/" + prefixLength
                    + " has host bits set; write " + masked(network, prefixLength).getHostAddress() + "/" + prefixLength);
        }
    }

    /** {@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.0.2.7}; throws with a clear message. */
    public static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress network = literal(address, text);
        int bits = network.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = trimmed.substring(slash + 1);
            if (!length.matches("[0-9]{1,3}") || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("'" + text + "': prefix length must be a number 0.." + bits);
            }
            prefix = Integer.parseInt(length);
        }
        try {
            return new Cidr(network, prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
        }
    }

    /** Every entry of a list (blank entries skipped); the first bad one throws. */
    public static List<Cidr> parseAll(Collection<String> texts) {
        List<Cidr> all = new ArrayList<>();
        for (String text : texts) {
            if (!text.isBlank()) {
                all.add(parse(text));
            }
        }
        return List.copyOf(all);
    }

    /** True if {@code address} is in this network; IPv4 and IPv6 never match each other. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.getAddress().length
                && Arrays.equals(mask(bytes, prefixLength), network.getAddress());
    }

    /** {@code address} with every bit after the first {@code prefixLength} cleared. */
    public static InetAddress masked(InetAddress address, int prefixLength) {
        try {
            return InetAddress.getByAddress(mask(address.getAddress(), prefixLength));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 octets are always an address", e);
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
            masked[i] &= (byte) (0xff << (8 - keep));
        }
        return masked;
    }

    /** A dotted quad or an IPv6 literal (no zone, no brackets); never a host name. */
    private static InetAddress literal(String address, String text) {
        if (address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            byte[] octets = new byte[4];
            String[] parts = address.split("\\.");
            for (int i = 0; i < 4; i++) {
                int value = Integer.parseInt(parts[i]);
                if (value > 255) {
                    throw new IllegalArgumentException("'" + text + "': " + parts[i] + " is not an octet (0..255)");
                }
                octets[i] = (byte) value;
            }
            return byAddress(octets);
        }
        if (address.contains(":") && address.matches("[0-9A-Fa-f:.]+")) {
            try {
                InetAddress parsed = InetAddress.getByName(address); // a literal: no resolution
                if (parsed instanceof Inet6Address) {
                    return parsed;
                }
                throw new IllegalArgumentException("'" + text + "': write IPv4-mapped addresses in IPv4 form");
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "': not an IPv6 address", e);
            }
        }
        throw new IllegalArgumentException("'" + text + "': expected an IPv4 or IPv6 address, optionally /prefix"
                + " (e.g. 127.0.0.0/8, ::1/128); host names are not accepted");
    }

    private static InetAddress byAddress(byte[] octets) {
        try {
            return octets.length == 4 ? Inet4Address.getByAddress(octets) : InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 octets are always an address", e);
        }
    }
}

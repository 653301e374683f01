package dev.pop3d.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no resolution
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.0/8, 127.0.0.1, true", "127.0.0.0/8, 127.255.255.255, true", "127.0.0.0/8, 128.0.0.1, false",
        "10.1.0.0/16, 10.1.200.3, true", "10.1.0.0/16, 10.2.0.0, false", "192.0.2.7, 192.0.2.7, true",
        "192.0.2.7, 192.0.2.8, false", "0.0.0.0/0, 203.0.113.9, true", "0.0.0.0/0, ::1, false",
        "::1/128, ::1, true", "::1, ::1, true", "::1/128, ::2, false", "::/0, 2001:db8::1, true",
        "2001:db8::/32, 2001:db8:ffff::1, true", "2001:db8::/32, 2001:db9::1, false",
        "fe80::/10, fe80::1, true", "fe80::/10, fec0::1, false", "::/0, 127.0.0.1, false",
        "10.0.0.0/7, 11.255.0.1, true", "10.0.0.0/7, 12.0.0.1, false",
    })
    void contains(String cidr, String address, boolean inside) throws Exception {
        assertEquals(inside, Cidr.parse(cidr).contains(ip(address)), cidr + " ∋ " + address);
    }

    @Test
    void parsesLoopbackDefaultsAndPrintsThemBack() {
        List<Cidr> loopback = Cidr.parseAll(List.of("127.0.0.0/8", " ::1/128 ", ""));
        assertEquals(2, loopback.size());
        assertEquals("127.0.0.0/8", loopback.get(0).toString());
        assertEquals(128, loopback.get(1).prefixLength());
        assertEquals(32, Cidr.parse("192.0.2.1").prefixLength());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "localhost | host names are not accepted",
        "example.org/24 | host names are not accepted",
        "256.0.0.0/8 | 256 is not an octet",
        "10.0.0/8 | expected an IPv4 or IPv6 address",
        "10.0.0.0/33 | prefix length must be a number 0..32",
        "10.0.0.0/-1 | prefix length must be a number 0..32",
        "10.0.0.0/ | prefix length must be a number 0..32",
        "10.0.0.0/8/8 | prefix length must be a number 0..32",
        "::1/129 | prefix length must be a number 0..128",
        "10.0.0.1/8 | has host bits set; write 10.0.0.0/8",
        "2001:db8::1/32 | has host bits set; write 2001:db8:0:0:0:0:0:0/32",
        "1:2:3:4:5:6:7:8:9 | not an IPv6 address",
        "fe80::1%eth0 | expected an IPv4 or IPv6 address",
        "[::1]/128 | expected an IPv4 or IPv6 address",
        "::ffff:10.0.0.0/104 | write IPv4-mapped addresses in IPv4 form",
        " | expected an IPv4 or IPv6 address",
    })
    void malformedInputIsRefusedWithAClearMessage(String text, String message) {
        String input = text == null ? "" : text;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(input));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains("'" + input + "'"), "names the input: " + e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32", "2001:db8::/48", "::/0"})
    void aParsedNetworkContainsItsOwnAddress(String text) {
        Cidr cidr = Cidr.parse(text);
        assertTrue(cidr.contains(cidr.network()));
        assertFalse(Cidr.parse(text).toString().isEmpty());
    }
}

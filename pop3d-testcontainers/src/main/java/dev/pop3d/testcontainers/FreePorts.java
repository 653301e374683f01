package dev.pop3d.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Loopback ports free right now, as the server's own tests pick them: bind port 0 on 127.0.0.1, read
 * it, close. Another process may take one before the server binds it; the server then fails to start
 * and says which port (the caller's error shows the log).
 */
final class FreePorts {
    private FreePorts() {}

    static int tcp() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback TCP port", e);
        }
    }

    static int udp() {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback UDP port", e);
        }
    }

    /** Every port a pop3d in the test-server profile listens on, each free on loopback. */
    record Set(int pop3, int lmtp, int smtp, int http, int conf1Udp, int hdrp, int hdrpUdp) {
        static Set pick() {
            return new Set(tcp(), tcp(), tcp(), tcp(), udp(), tcp(), udp());
        }
    }
}

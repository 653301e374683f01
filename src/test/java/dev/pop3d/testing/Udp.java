package dev.pop3d.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** One CONF1 request over real UDP, from a chosen local address, and its answer. */
public final class Udp {
    private Udp() {}

    public static String request(String request, String host, int port) throws IOException {
        return request(request, host, port, null);
    }

    /** {@code from}: a local source address (any of 127.0.0.0/8), or null for the default. */
    public static String request(String request, String host, int port, String from) throws IOException {
        return exchange((request + "\r\n").getBytes(StandardCharsets.US_ASCII), host, port, from);
    }

    public static String exchange(byte[] datagram, String host, int port, String from) throws IOException {
        try (DatagramSocket socket = from == null ? new DatagramSocket()
                : new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0))) {
            socket.setSoTimeout(5000);
            socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getByName(host), port));
            byte[] buffer = new byte[1024];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            socket.receive(answer);
            String text = new String(buffer, 0, answer.getLength(), StandardCharsets.US_ASCII);
            if (!text.endsWith("\r\n") || answer.getLength() > 255) {
                throw new IOException("malformed CONF1 answer: " + text);
            }
            return text.substring(0, text.length() - 2);
        }
    }
}

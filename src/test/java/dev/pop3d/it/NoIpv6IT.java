package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.TestFiles;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A JVM without IPv6 ({@code -Djava.net.preferIPv4Stack=true}, as in a network namespace without
 * IPv6) and both endpoints configured on {@code ::}, the image's default: POP3 and CONF1 start, serve
 * over IPv4, and the warning names the cause. Before the shared binding, CONF1 crashed the start.
 */
class NoIpv6IT {
    @Test
    void bothEndpointsFallBackToIpv4AndServe() throws Exception {
        Path dir = Files.createTempDirectory("pop3d-noipv6");
        int conf1Port = ServerProcess.freeUdpPort();
        try (ServerProcess server = new ServerProcess(dir).user("alice", "alice-pw")
                .jvmArg("-Djava.net.preferIPv4Stack=true")
                .property("pop3.host", "::").property("conf1.host", "::").property("conf1.port", "" + conf1Port)
                .property("conf1.token", "NoIpvSixIt")) {
            server.start();
            try (RawClient client = server.client()) {
                client.login("alice", "alice-pw");
                assertEquals("+OK 0 0", client.command("STAT"));
            }
            byte[] request = "NoIpvSixIt GET INF\r\n".getBytes(StandardCharsets.US_ASCII);
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.setSoTimeout(3000);
                socket.send(new DatagramPacket(request, request.length, InetAddress.getByName("127.0.0.1"), conf1Port));
                DatagramPacket answer = new DatagramPacket(new byte[300], 300);
                socket.receive(answer);
                String text = new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII);
                assertTrue(text.startsWith("+SUC Valid object codes: INF"), text);
            }
            String log = server.log();
            assertTrue(log.contains("CONF1: IPv6 is unavailable (java.net.preferIPv4Stack=true): listening on 0.0.0.0"), log);
            assertTrue(log.contains("POP3: IPv6 is unavailable (java.net.preferIPv4Stack=true): listening on 0.0.0.0"), log);
            assertTrue(!log.contains("(null)"), "the cause is named");
        } finally {
            TestFiles.deleteTree(dir);
        }
    }
}

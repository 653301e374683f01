package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 and RFC 1939 §8: a login right after the same mailbox's previous connection dropped
 * (no QUIT) never gets {@code [IN-USE]}: the store waits for a release in progress on this server
 * (woken at once by it), and up to {@code pop3.lock.wait} for any holder, before answering it.
 */
class ReconnectAfterDropIT {
    private static final int LOGINS = Integer.getInteger("it.reconnect.logins", 1000);

    @TempDir
    Path dir;

    @Test
    void dropThenReconnectNeverGetsInUse() throws Exception {
        try (ServerProcess server = new ServerProcess(dir.resolve("server")).user("alice", "alice-pw")
                .property("pop3.auth.failure-delay", "0s")
                .property("pop3.lock.wait", System.getProperty("it.reconnect.lock-wait", "5s"))) {
            server.deliver("alice", "Subject: 1\r\n\r\nbody\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            server.start();
            List<String> refused = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < LOGINS; i++) {
                RawClient client = server.client();
                client.line();
                client.command("USER alice");
                String answer = client.command("PASS alice-pw");
                if (!answer.startsWith("+OK")) {
                    refused.add(i + ": " + answer);
                } else {
                    client.command("STAT");
                }
                client.close(); // dropped: no QUIT
            }
            System.out.printf("%d drop-then-reconnect logins in %d ms, %d refused%n", LOGINS,
                    (System.nanoTime() - started) / 1_000_000, refused.size());
            assertEquals(List.of(), refused);
        }
    }
}

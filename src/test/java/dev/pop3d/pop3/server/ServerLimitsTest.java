package dev.pop3d.pop3.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.TestFiles;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Limits and streaming over real sockets against the running server (in-JVM Quarkus). */
@QuarkusTest
@TestProfile(ServerLimitsTest.Profile.class)
class ServerLimitsTest {
    /** A fixed path: the profile and the test instance live in different class loaders. */
    static final Path DATA = Path.of("target", "test-data-limits").toAbsolutePath();

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestFiles.deleteTree(DATA);
            return Map.of(
                    "pop3.data-dir", DATA.toString(),
                    "pop3.users", "alice:alice-pw,bob:bob-pw,carol:carol-pw",
                    "pop3.auth.failure-delay", "0s",
                    "pop3.auth.login-delay", "1h",
                    "pop3.limits.max-connections", "3",
                    "pop3.stream.buffer-size", "4096");
        }
    }

    @Inject
    Pop3Listener listener;

    @Test
    void connectionsBeyondTheLimitAreRefusedWithSysTemp() throws Exception {
        for (int i = 0; i < 100 && listener.openConnections() > 0; i++) {
            Thread.sleep(50); // earlier tests' sockets are still being closed by the server
        }
        // one at a time: the loops accept in parallel, so the order of simultaneous connects is free
        try (RawClient a = client()) {
            assertTrue(a.line().startsWith("+OK"));
            try (RawClient b = client()) {
                assertTrue(b.line().startsWith("+OK"));
                try (RawClient c = client()) {
                    assertTrue(c.line().startsWith("+OK"));
                    try (RawClient d = client()) {
                        assertEquals("-ERR [SYS/TEMP] Too many connections, try again later", d.line());
                        assertEquals("<closed>", d.line());
                    }
                }
            }
        }
    }

    @Test
    void loginDelayIsAdvertisedAndEnforced() throws IOException {
        try (RawClient c = client()) {
            c.line();
            c.send("CAPA");
            String capa = "";
            for (String line = c.line(); !line.equals("."); line = c.line()) {
                capa += line + "\n";
            }
            assertTrue(capa.contains("\nLOGIN-DELAY 3600\n"), capa);
            assertEquals("+OK", c.command("USER carol"));
            assertEquals("+OK Logged in.", c.command("PASS carol-pw"));
            assertEquals("+OK Logging out.", c.command("QUIT"));
        }
        try (RawClient c = client()) {
            c.line();
            c.command("USER carol");
            assertEquals("-ERR [LOGIN-DELAY] Logged in too recently, try again later", c.command("PASS carol-pw"));
        }
    }

    @Test
    void largeMessageStreamsThroughASlowReaderByteExact() throws Exception {
        Path maildir = DATA.resolve("mail/bob/Maildir");
        Files.createDirectories(maildir.resolve("new"));
        Files.createDirectories(maildir.resolve("cur"));
        Files.createDirectories(maildir.resolve("tmp"));
        Path message = maildir.resolve("new/1700000000.big.test");
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        long expectedOctets = 0;
        try (var out = Files.newOutputStream(message)) {
            byte[] header = "Subject: big\n\n".getBytes(StandardCharsets.US_ASCII);
            out.write(header);
            expected.update("Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            expectedOctets += 16;
            for (int i = 0; i < 200_000; i++) {
                String line = (i % 97 == 0 ? "." : "") + "line " + i + " of a message larger than every buffer";
                out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                expected.update((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
                expectedOctets += line.length() + 2;
            }
        }
        try (RawClient c = client()) {
            c.line();
            c.command("USER bob");
            assertEquals("+OK Logged in.", c.command("PASS bob-pw"));
            c.send("RETR 1");
            c.send("NOOP"); // pipelined: must wait for the whole body
            assertEquals("+OK " + expectedOctets + " octets", c.line());
            Thread.sleep(300); // let the server fill the socket buffers and pause on back-pressure
            byte[] body = c.body();
            assertEquals(expectedOctets, body.length);
            assertEquals(HexFormat.of().formatHex(expected.digest()),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
            assertEquals("+OK", c.line());
            assertEquals("+OK Logging out.", c.command("QUIT"));
        }
        assertFalse(Files.exists(message), "new/ was moved into cur/ at login");
    }

    @Test
    void accessLogHasOneLinePerEventAndNeverAPassword() throws Exception {
        try (RawClient c = client()) {
            c.line();
            c.command("USER alice");
            assertEquals("-ERR [AUTH] Authentication failed.", c.command("PASS wrong-secret-123"));
            c.command("USER alice");
            assertEquals("+OK Logged in.", c.command("PASS alice-pw"));
            assertEquals("+OK Logging out.", c.command("QUIT"));
        }
        Path log = DATA.resolve("logs").resolve("access.log");
        String text = "";
        for (int i = 0; i < 100 && !text.contains("event=disconnect") ; i++) {
            Thread.sleep(50); // the file is written by a background thread
            text = Files.exists(log) ? Files.readString(log) : "";
        }
        assertTrue(text.contains("event=auth-fail"), text);
        assertTrue(text.matches("(?s).*event=auth-ok session=\\w+ client=127\\.0\\.0\\.1:\\d+ user=alice.*"), text);
        assertTrue(text.contains("event=quit"), text);
        assertFalse(text.contains("wrong-secret-123") || text.contains("alice-pw"), text);
    }

    private RawClient client() throws IOException {
        return new RawClient("127.0.0.1", listener.port());
    }
}

package dev.pop3d.intake.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.intake.LmtpClient;
import dev.pop3d.intake.protocol.Dialect;
import dev.pop3d.pop3.server.Pop3Listener;
import dev.pop3d.testing.RawClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** LMTP and SMTP against the running server (in-JVM Quarkus, test profile: users alice and bob). */
@QuarkusTest
class IntakeServerTest {
    static final Path MAIL = Path.of("target", "test-data", "mail");

    @Inject
    IntakeListener intake;

    @Inject
    Pop3Listener pop3;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Inject
    dev.pop3d.endpoint.EndpointReadiness readiness;

    @Test
    void bothEndpointsJoinedReadinessWithTheirAddresses() {
        assertTrue(readiness.readiness().get("lmtp"), readiness.states().toString());
        assertTrue(readiness.readiness().get("smtp"), readiness.states().toString());
        assertTrue(readiness.states().get("lmtp").endsWith(" port " + intake.port(Dialect.LMTP)), readiness.states().toString());
    }

    private double counter(String name, String... tags) {
        var found = registry.find(name).tags(tags).counter();
        return found == null ? 0 : found.count();
    }

    @Test
    void deliveriesAndRejectsAreCountedWithBoundedTags() throws Exception {
        double stored = counter("pop3d.intake.deliveries", "endpoint", "lmtp", "result", "stored");
        double unknown = counter("pop3d.intake.rejects", "endpoint", "lmtp", "reason", "unknown_user");
        double bytes = counter("pop3d.intake.bytes", "endpoint", "lmtp");
        try (LmtpClient c = lmtp()) {
            c.command("LHLO client.test");
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<nobody@example.org>");
            c.command("RCPT TO:<alice@example.org>");
            c.command("DATA");
            assertEquals("250 2.0.0 <alice@example.org> Delivered\r\n", c.command("Subject: m\r\n\r\n12345\r\n."));
        }
        assertEquals(stored + 1, counter("pop3d.intake.deliveries", "endpoint", "lmtp", "result", "stored"));
        assertEquals(unknown + 1, counter("pop3d.intake.rejects", "endpoint", "lmtp", "reason", "unknown_user"));
        assertEquals(bytes + "Subject: m\r\n\r\n12345\r\n".length(), counter("pop3d.intake.bytes", "endpoint", "lmtp"));
        for (var meter : registry.getMeters()) {
            if (meter.getId().getName().startsWith("pop3d.intake")) {
                for (var tag : meter.getId().getTags()) {
                    assertTrue(!tag.getValue().contains("@") && !tag.getValue().contains("."), meter.getId().toString());
                }
            }
        }
    }

    private LmtpClient lmtp() throws Exception {
        LmtpClient client = new LmtpClient("127.0.0.1", intake.port(Dialect.LMTP));
        assertTrue(client.reply().matches("220 \\S+ pop3d LMTP ready\r\n"));
        return client;
    }

    private static List<Path> newMail(String user) throws Exception {
        Path dir = MAIL.resolve(user).resolve("Maildir").resolve("new");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /** The prepended lines with the variable parts (host, id, date) as patterns. */
    static Pattern trace(String sender, String recipient, String helo, String with) {
        return Pattern.compile(Pattern.quote("Return-Path: <" + sender + ">\r\nDelivered-To: " + recipient
                + "\r\nReceived: from " + helo + " ([127.0.0.1])\r\n\tby ") + "\\S+" + Pattern.quote(" with " + with
                + "\r\n\tid ") + "[0-9a-z:T]+" + Pattern.quote("\r\n\t(envelope-from <" + sender + ">)\r\n\tfor <"
                + recipient + ">; ") + "[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\r\n",
                Pattern.DOTALL);
    }

    @Test
    void lmtpDeliversOneFilePerRecipientWithItsOwnTraceLines() throws Exception {
        int alice = newMail("alice").size();
        int bob = newMail("bob").size();
        try (LmtpClient c = lmtp()) {
            assertTrue(c.command("LHLO client.test").endsWith("250-PIPELINING\r\n250-8BITMIME\r\n"
                    + "250-ENHANCEDSTATUSCODES\r\n250 SIZE 67108864\r\n"));
            assertEquals("250 2.1.0 Ok\r\n", c.command("MAIL FROM:<sender@example.net> BODY=8BITMIME SIZE=40"));
            assertEquals("250 2.1.5 Ok\r\n", c.command("RCPT TO:<alice@example.org>"));
            assertEquals("550 5.1.1 <nobody@example.org>: no such user\r\n", c.command("RCPT TO:<nobody@example.org>"));
            assertEquals("250 2.1.5 Ok\r\n", c.command("RCPT TO:<bob@other.example>"));
            assertEquals("354 Start mail input; end with <CRLF>.<CRLF>\r\n", c.command("DATA"));
            c.send("Subject: intake\r\n\r\n..dotted\nbare LF\r\n.\r\n");
            assertEquals("250 2.0.0 <alice@example.org> Delivered\r\n", c.reply());
            assertEquals("250 2.0.0 <bob@other.example> Delivered\r\n", c.reply());
            assertEquals(List.of("221"), List.of(c.command("QUIT").substring(0, 3)));
        }
        byte[] body = "Subject: intake\r\n\r\n.dotted\r\nbare LF\r\n".getBytes(StandardCharsets.US_ASCII);
        assertStored(newMail("alice"), alice, "sender@example.net", "alice@example.org", body);
        assertStored(newMail("bob"), bob, "sender@example.net", "bob@other.example", body);
    }

    private static void assertStored(List<Path> files, int before, String sender, String recipient, byte[] body)
            throws Exception {
        assertEquals(before + 1, files.size());
        String stored = Files.readString(files.get(files.size() - 1), StandardCharsets.ISO_8859_1);
        var matcher = trace(sender, recipient, "client.test", "LMTP").matcher(stored);
        assertTrue(matcher.lookingAt(), stored);
        assertEquals(new String(body, StandardCharsets.ISO_8859_1), stored.substring(matcher.end()));
    }

    @Test
    void smtpAnswersOnceAndPipelinedCommandsGetTheirRepliesInOrder() throws Exception {
        int before = newMail("alice").size();
        try (LmtpClient c = new LmtpClient("127.0.0.1", intake.port(Dialect.SMTP))) {
            assertTrue(c.reply().matches("220 \\S+ pop3d ESMTP ready\r\n"));
            assertTrue(c.command("EHLO client.test").startsWith("250-"));
            c.send("MAIL FROM:<>\r\nRCPT TO:<alice@example.org>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n");
            assertEquals("250 2.1.0 Ok\r\n", c.reply());
            assertEquals("250 2.1.5 Ok\r\n", c.reply());
            assertEquals("250 2.1.5 Ok\r\n", c.reply());
            assertEquals("354 Start mail input; end with <CRLF>.<CRLF>\r\n", c.reply());
            c.send("Subject: smtp\r\n\r\nhello\r\n.\r\nQUIT\r\n");
            assertEquals("250 2.0.0 Delivered\r\n", c.reply());
            assertTrue(c.reply().startsWith("221 2.0.0 "));
            assertEquals("<closed>", c.reply());
        }
        assertEquals(before + 1, newMail("alice").size());
    }

    @Test
    void aDeliveryDuringAnOpenPop3SessionIsSeenAtTheNextLogin() throws Exception {
        try (RawClient pop = new RawClient("127.0.0.1", pop3.port())) {
            pop.login("bob", "bob-pw");
            String stat = pop.command("STAT");
            try (LmtpClient c = lmtp()) {
                c.command("LHLO client.test");
                c.command("MAIL FROM:<a@example.net>");
                assertEquals("250 2.1.5 Ok\r\n", c.command("RCPT TO:<bob@example.org>"));
                c.command("DATA");
                c.send("Subject: late\r\n\r\nlate\r\n.\r\n");
                assertEquals("250 2.0.0 <bob@example.org> Delivered\r\n", c.reply());
            }
            assertEquals(stat, pop.command("STAT"), "the open session keeps its numbering");
            pop.command("QUIT");
        }
        try (RawClient pop = new RawClient("127.0.0.1", pop3.port())) {
            pop.login("bob", "bob-pw");
            String[] stat = pop.command("STAT").split(" ");
            String last = pop.command("LIST " + stat[1]);
            assertTrue(last.startsWith("+OK " + stat[1] + " "), last);
            pop.command("QUIT");
        }
    }

    @Test
    void garbageAndOverlongLinesGetClearRepliesAndTheServerKeepsServing() throws Exception {
        try (LmtpClient c = lmtp()) {
            assertEquals("500 5.5.1 This is LMTP: use LHLO\r\n", c.command("EHLO x"));
            assertEquals("500 5.5.2 Line too long\r\n", c.command("NOOP " + "x".repeat(600)));
            c.sendBytes(new byte[] {(byte) 0x16, 3, 1, 0, 5, '\r', '\n'}); // a TLS hello, say
            assertEquals("500 5.5.2 Invalid characters in command\r\n", c.reply());
            assertEquals("250 2.0.0 Ok\r\n", c.command("NOOP"));
        }
        try (LmtpClient c = lmtp()) {
            assertEquals("252 2.3.3 Try RCPT instead\r\n", c.command("VRFY alice"));
        }
    }

    @Test
    void aHalfClosedPipelineIsAnsweredAndAnUnfinishedMessageIsNotStored() throws Exception {
        int before = newMail("alice").size();
        try (LmtpClient c = lmtp()) {
            c.send("LHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<alice@x>\r\nDATA\r\nSubject: cut\r\n\r\nhalf");
            c.shutdownOutput();
            assertTrue(c.reply().startsWith("250-"));
            assertEquals("250 2.1.0 Ok\r\n", c.reply());
            assertEquals("250 2.1.5 Ok\r\n", c.reply());
            assertEquals("354 Start mail input; end with <CRLF>.<CRLF>\r\n", c.reply());
            assertEquals("<closed>", c.reply());
        }
        Thread.sleep(200); // the abort runs on a worker
        assertEquals(before, newMail("alice").size());
        try (Stream<Path> tmp = Files.list(MAIL.resolve("alice/Maildir/tmp"))) {
            assertEquals(0, tmp.count(), "nothing left in tmp/");
        }
    }
}

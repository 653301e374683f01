package dev.pop3d.transcript;

import dev.pop3d.intake.LmtpClient;
import dev.pop3d.testing.ServerProcess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Script fixtures on a test server through its SMTP intake: each {@code @mail} is sent to
 * {@code NAME@example.org}; the first one creates the user (auto-creation, password NAME), and the
 * admin API then gives it the script's password ({@code created:false} proves SMTP created it).
 * What is stored begins with the trace lines the intake prepends (Return-Path, Delivered-To,
 * Received), so only scripts that show no size and no body compare equal with these fixtures.
 */
final class SmtpFixtures implements TranscriptRunner.Fixtures {
    private final AdminApi admin;
    private final int smtpPort;
    private final Map<String, String> passwords = new HashMap<>();
    private final Map<String, Integer> delivered = new HashMap<>();

    SmtpFixtures(AdminApi admin, int smtpPort) {
        this.admin = admin;
        this.smtpPort = smtpPort;
    }

    @Override
    public void user(String name, String password) {
        passwords.put(name, password);
    }

    @Override
    public void mail(String user, int number, byte[] message) throws Exception {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("@mail for " + user + " before its @user");
        }
        send(user + "@example.org", message);
        int count = delivered.merge(user, 1, Integer::sum);
        if (count == 1 && admin.createUser(user, password)) {
            throw new AssertionError("SMTP to " + user + "@example.org did not create the user");
        }
        int stored = admin.messages(user).size();
        if (stored != count) {
            throw new AssertionError(user + " has " + stored + " messages after " + count + " SMTP deliveries");
        }
    }

    private void send(String recipient, byte[] message) throws Exception {
        try (LmtpClient smtp = new LmtpClient(TestServerProcess.HOST, smtpPort)) {
            expect("greeting", smtp.reply(), "220");
            expect("EHLO", smtp.command("EHLO fixtures.example.org"), "250");
            expect("MAIL", smtp.command("MAIL FROM:<fixtures@example.org>"), "250");
            expect("RCPT", smtp.command("RCPT TO:<" + recipient + ">"), "250");
            expect("DATA", smtp.command("DATA"), "354");
            smtp.sendBytes(stuffed(ServerProcess.crlf(message)));
            expect("end of data", smtp.command("."), "250");
            expect("QUIT", smtp.command("QUIT"), "221");
        }
    }

    /** RFC 5321 §4.5.2: a line that begins with "." gets one more. */
    private static byte[] stuffed(byte[] crlfMessage) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(crlfMessage.length + 16);
        boolean lineStart = true;
        for (byte b : crlfMessage) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }

    private static void expect(String step, String reply, String code) {
        if (!reply.startsWith(code)) {
            throw new AssertionError("SMTP " + step + ": expected " + code + ", got " + reply.strip()
                    .replace("\r\n", " | "));
        }
    }
}

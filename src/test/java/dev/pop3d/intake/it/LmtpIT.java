package dev.pop3d.intake.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.intake.LmtpClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.TestFiles;
import dev.pop3d.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged server with LMTP and SMTP on, driven by real clients: Python's smtplib.LMTP and
 * smtplib.SMTP, raw sockets, curl for what POP3 then returns (byte for byte), a 64 MiB-class
 * message under a 64 MiB heap, a crash in the middle of DATA.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LmtpIT {
    Path dir;
    ServerProcess server;
    int lmtpPort;
    int smtpPort;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("pop3d-lmtp");
        lmtpPort = ServerProcess.freePort();
        smtpPort = ServerProcess.freePort();
        server = new ServerProcess(dir).user("zed", "zed-pw").user("amy", "amy-pw").user("big", "big-pw")
                .user("crash", "crash-pw")
                .property("pop3.lmtp.enabled", "true").property("pop3.lmtp.host", "127.0.0.1")
                .property("pop3.lmtp.port", String.valueOf(lmtpPort))
                .property("pop3.smtp.enabled", "true").property("pop3.smtp.host", "127.0.0.1")
                .property("pop3.smtp.port", String.valueOf(smtpPort))
                .property("pop3.lmtp.hello-timeout", "2s").property("pop3.lmtp.max-connections", "8")
                .jvmArg("-Xmx64m"); // a 60 MiB message must stream: it cannot fit
        server.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            TestFiles.deleteTree(dir);
        }
    }

    /** The trace lines pop3d prepends, variable parts (host, id, date) as patterns. */
    static Pattern trace(String sender, String recipient, String helo, String with) {
        return Pattern.compile(Pattern.quote("Return-Path: <" + sender + ">\r\nDelivered-To: " + recipient
                + "\r\nReceived: from " + helo + " ([127.0.0.1])\r\n\tby ") + "\\S+" + Pattern.quote(" with " + with
                + "\r\n\tid ") + "[0-9a-z:T]+" + Pattern.quote("\r\n\t(envelope-from <" + sender + ">)\r\n\tfor <"
                + recipient + ">; ") + "[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\r\n");
    }

    private byte[] curl(String user, String password, String path) throws IOException {
        Tools.Result result = Tools.run(List.of("curl", "-sS", "--max-time", "60", "-u", user + ":" + password,
                "pop3://127.0.0.1:" + server.port() + "/" + path), null, 90);
        assertEquals(0, result.exitCode(), result.stderr());
        return result.stdout();
    }

    private static Tools.Result python(String script, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("python3", "-c", script));
        command.addAll(List.of(args));
        Tools.Result result = Tools.run(command, null, 60);
        assertEquals(0, result.exitCode(), result.stderr() + result.out());
        return result;
    }

    /** Messages in new/ and cur/ (a POP3 login may move them from one to the other). */
    private int count(String user) throws IOException {
        int messages = 0;
        for (String sub : new String[] {"new", "cur"}) {
            Path folder = server.maildir(user).resolve(sub);
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    messages += (int) files.filter(f -> !f.getFileName().toString().startsWith(".")).count();
                }
            }
        }
        return messages;
    }

    private static void assertRetr(byte[] got, Pattern trace, byte[] body) {
        String text = new String(got, StandardCharsets.ISO_8859_1);
        Matcher matcher = trace.matcher(text);
        assertTrue(matcher.lookingAt(), text.substring(0, Math.min(600, text.length())));
        assertArrayEquals(body, java.util.Arrays.copyOfRange(got, matcher.end(), got.length));
    }

    @Test
    void pythonLmtpDeliversAndCurlRetrievesTheBytes() throws Exception {
        Tools.require("python3");
        Tools.require("curl");
        int before = count("zed");
        String body = "From: bob@example.net\r\nTo: zed@example.org\r\nSubject: via smtplib.LMTP\r\n\r\n"
                + ".leading dot\r\n..two dots\r\n8-bit: caf\u00e9\r\n\r\nend\r\n";
        Tools.Result sent = python(String.join("\n",
                "import smtplib, sys",
                "c = smtplib.LMTP('127.0.0.1', int(sys.argv[1]), local_hostname='client.test')",
                "refused = c.sendmail('bob@example.net', ['zed@example.org'], sys.argv[2].encode('latin-1'))",
                "print(refused)",
                // two recipients and an unknown one: RFC 2033 §4.2, one reply each after DATA
                "c.ehlo('client.test'); c.mail('bob@example.net')",
                "print(c.rcpt('zed@example.org')); print(c.rcpt('nobody@example.org')); print(c.rcpt('amy@example.org'))",
                "print(c.data(b'Subject: two\\r\\n\\r\\nboth\\r\\n')); print(c.getreply())",
                "c.quit()"), String.valueOf(lmtpPort), body);
        assertEquals(String.join("\n", "{}",
                "(250, b'2.1.5 Ok')",
                "(550, b'5.1.1 <nobody@example.org>: no such user')",
                "(250, b'2.1.5 Ok')",
                "(250, b'2.0.0 <zed@example.org> Delivered')",
                "(250, b'2.0.0 <amy@example.org> Delivered')", ""), sent.out());
        assertEquals(before + 2, count("zed"));
        assertRetr(curl("zed", "zed-pw", String.valueOf(before + 1)),
                trace("bob@example.net", "zed@example.org", "client.test", "LMTP"), body.getBytes(StandardCharsets.ISO_8859_1));
        assertRetr(curl("amy", "amy-pw", "1"), trace("bob@example.net", "amy@example.org", "client.test", "LMTP"),
                "Subject: two\r\n\r\nboth\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void pythonSmtpDeliversToo() throws Exception {
        Tools.require("python3");
        Tools.require("curl");
        int before = count("zed");
        Tools.Result sent = python(String.join("\n",
                "import smtplib, sys",
                "c = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='client.test')",
                "print(c.sendmail('', ['zed@example.org'], b'Subject: via smtplib.SMTP\\r\\n\\r\\nhello\\r\\n'))",
                "try:\n    c.sendmail('a@b', ['nobody@example.org'], b'x\\r\\n')\nexcept smtplib.SMTPRecipientsRefused as e:\n"
                        + "    print(e.recipients)",
                "c.quit()"), String.valueOf(smtpPort));
        assertEquals("{}\n{'nobody@example.org': (550, b'5.1.1 <nobody@example.org>: no such user')}\n", sent.out());
        assertRetr(curl("zed", "zed-pw", String.valueOf(before + 1)), trace("", "zed@example.org", "client.test", "ESMTP"),
                "Subject: via smtplib.SMTP\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Dovecot's LMTP (Debian's dovecot-lmtpd) is the reference for what a delivery stores: the same
     * LMTP bytes to both, then RETR from both over POP3 (curl): equal once the transaction id and
     * the date are masked (ADR 0018). Single-recipient transactions: with several, Dovecot leaves
     * Delivered-To and "for" out.
     */
    @Test
    void theStoredBytesAreDovecotLmtpsOnesButForIdAndDate() throws Exception {
        Tools.require("dovecot");
        Tools.require("curl");
        boolean lmtpd = Files.isExecutable(Path.of("/usr/lib/dovecot/lmtp"));
        if (Boolean.getBoolean("it.tools.required")) {
            assertTrue(lmtpd, "dovecot-lmtpd is required (it.tools.required=true) but not installed");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(lmtpd, "dovecot-lmtpd is not installed");
        String[] bodies = {
            "From: bob@example.net\r\nSubject: reference\r\n\r\n..stuffed\r\nbare\nLF\r\n8-bit caf\u00e9\r\n\r\n\r\n",
            "Subject: null sender\r\n\r\nbounce\r\n",
        };
        String[] senders = {"bob@example.net", ""};
        try (DovecotLmtp dovecot = new DovecotLmtp(dir.resolve("dovecot"), List.of("ref"))) {
            for (int i = 0; i < bodies.length; i++) {
                for (int port : new int[] {dovecot.lmtpPort(), lmtpPort}) {
                    try (LmtpClient c = new LmtpClient("127.0.0.1", port)) {
                        c.reply();
                        c.command("LHLO client.test");
                        assertEquals("250", c.command("MAIL FROM:<" + senders[i] + ">").substring(0, 3));
                        String rcpt = c.command("RCPT TO:<" + (port == lmtpPort ? "zed" : "ref") + "@example.org>");
                        assertEquals("250", rcpt.substring(0, 3), rcpt + dovecot.logTail());
                        c.command("DATA");
                        String done = c.command(bodies[i] + ".");
                        assertEquals("250", done.substring(0, 3), done + dovecot.logTail());
                    }
                }
                int zed = count("zed");
                String ours = masked(curl("zed", "zed-pw", String.valueOf(zed))).replace("zed@example.org", "ref@example.org");
                String reference = masked(pop3(dovecot.pop3Port(), String.valueOf(i + 1)));
                assertEquals(reference, ours);
            }
        }
    }

    private byte[] pop3(int port, String path) throws IOException {
        Tools.Result result = Tools.run(List.of("curl", "-sS", "--max-time", "30", "-u", "ref:ref",
                "pop3://127.0.0.1:" + port + "/" + path), null, 60);
        assertEquals(0, result.exitCode(), result.stderr());
        return result.stdout();
    }

    /** The transaction id and the date, the parts of the trace that differ by nature. */
    private static String masked(byte[] message) {
        return new String(message, StandardCharsets.ISO_8859_1).replaceFirst("\tid [^\r]+\r\n", "\tid ID\r\n")
                .replaceFirst("; [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\r\n", "; DATE\r\n");
    }

    /** A message near the 64 MiB SIZE limit through a server whose whole heap is 64 MiB; one over it is refused. */
    @Test
    void aSixtyMebibyteMessageStreamsInConstantMemoryAndOneOverTheLimitIsRefused() throws Exception {
        Tools.require("curl");
        byte[] line = ("x".repeat(998) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        int lines = 60 * 1024 * 1024 / line.length;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (Socket socket = new Socket("127.0.0.1", lmtpPort)) {
            socket.setSoTimeout(60_000);
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            java.io.InputStream in = socket.getInputStream();
            out.write("LHLO c\r\nMAIL FROM:<a@b> SIZE=62914560\r\nRCPT TO:<big@x>\r\nDATA\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] header = "Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            out.write(header);
            sent.update(header);
            for (int i = 0; i < lines; i++) {
                out.write(line);
                sent.update(line);
            }
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String replies = readUntil(in, "Delivered\r\n");
            assertTrue(replies.endsWith("354 Start mail input; end with <CRLF>.<CRLF>\r\n250 2.0.0 <big@x> Delivered\r\n"),
                    replies);
            // over the limit: read to the end, refused, nothing stored
            out.write("MAIL FROM:<a@b>\r\nRCPT TO:<big@x>\r\nDATA\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 64 * 1024 * 1024 / line.length + 2; i++) {
                out.write(line);
            }
            out.write(".\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String refused = readUntil(in, "Bye\r\n");
            assertTrue(refused.contains("354 Start mail input; end with <CRLF>.<CRLF>\r\n"
                    + "552 5.3.4 <big@x> Message size exceeds fixed maximum message size\r\n"), refused);
        }
        assertEquals(1, count("big"));
        byte[] got = curl("big", "big-pw", "1");
        String text = new String(got, 0, 600, StandardCharsets.ISO_8859_1);
        Matcher matcher = trace("a@b", "big@x", "c", "LMTP").matcher(text);
        assertTrue(matcher.lookingAt(), text);
        MessageDigest retrieved = MessageDigest.getInstance("SHA-256");
        retrieved.update(got, matcher.end(), got.length - matcher.end());
        assertArrayEquals(sent.digest(), retrieved.digest());
        try (Stream<Path> tmp = Files.list(server.maildir("big").resolve("tmp"))) {
            assertEquals(0, tmp.count(), "the refused message left nothing in tmp/");
        }
        assertTrue(!server.log().contains("OutOfMemoryError"), server.logTail());
    }

    private static String readUntil(java.io.InputStream in, String end) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            seen.write(b);
            if (seen.toString(StandardCharsets.US_ASCII).endsWith(end)) {
                break;
            }
        }
        return seen.toString(StandardCharsets.US_ASCII);
    }

    /** RFC 5321 §4.5.3.2: a client that never says LHLO is let go; connections beyond the limit get 421. */
    @Test
    void aSilentClientTimesOutAndConnectionsAreBounded() throws Exception {
        try (LmtpClient silent = new LmtpClient("127.0.0.1", lmtpPort)) {
            assertTrue(silent.reply().startsWith("220 "));
            long started = System.nanoTime();
            assertTrue(silent.reply().matches("421 4\\.4\\.2 \\S+ Timeout, closing connection\r\n"));
            assertEquals("<closed>", silent.reply());
            assertTrue(System.nanoTime() - started < 10_000_000_000L);
        }
        List<LmtpClient> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                LmtpClient c = new LmtpClient("127.0.0.1", lmtpPort);
                open.add(c);
                assertTrue(c.reply().startsWith("220 "));
            }
            try (LmtpClient ninth = new LmtpClient("127.0.0.1", lmtpPort)) {
                assertTrue(ninth.reply().matches("421 4\\.3\\.2 \\S+ Too many connections, try again later\r\n"));
                assertEquals("<closed>", ninth.reply());
            }
        } finally {
            for (LmtpClient c : open) {
                c.close();
            }
        }
        Thread.sleep(300); // the server sees the closes
    }

    /** A crash in the middle of DATA leaves no message; its tmp/ file goes once stale, at a later delivery. */
    @Test
    void aCrashInsideDataLeavesNoMessageAndItsTmpFileIsCleanedLater() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", lmtpPort)) {
            OutputStream out = socket.getOutputStream();
            out.write("LHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<crash@x>\r\nDATA\r\nSubject: cut\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(("y".repeat(998) + "\r\n").repeat(2048).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Path tmp = server.maildir("crash").resolve("tmp");
            for (int i = 0; i < 200 && written(tmp) < 1_000_000; i++) {
                Thread.sleep(50);
            }
            assertTrue(written(tmp) >= 1_000_000, "the partial message reached tmp/");
            server.kill();
        }
        Path leftover = only(server.maildir("crash").resolve("tmp"));
        assertEquals(0, count("crash"), "no message after the crash");
        server.start();
        Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(37, ChronoUnit.HOURS)));
        try (LmtpClient c = new LmtpClient("127.0.0.1", lmtpPort)) {
            c.reply();
            c.command("LHLO c");
            c.command("MAIL FROM:<a@b>");
            c.command("RCPT TO:<crash@x>");
            c.command("DATA");
            assertEquals("250 2.0.0 <crash@x> Delivered\r\n", c.command("Subject: again\r\n\r\nwhole\r\n."));
        }
        assertEquals(1, count("crash"));
        assertTrue(Files.notExists(leftover), "the stale tmp/ file is gone");
    }

    private static long written(Path tmp) {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException notYet) {
            return 0;
        }
    }

    private static Path only(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> all = files.toList();
            if (all.size() != 1) {
                throw new IOException(folder + " holds " + all);
            }
            return all.get(0);
        }
    }
}

package dev.pop3d.intake.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.TestFiles;
import dev.pop3d.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real MTA as the sender (issue 13): Debian's Postfix as a private instance ({@code postfix -c
 * DIR}, its own queue, smtpd on a free loopback port, no DNS: IP literals only), with
 * {@code virtual_transport = lmtp:inet:127.0.0.1:PORT} pointing at pop3d. A message sent to Postfix
 * over SMTP arrives over LMTP; curl retrieves exactly: pop3d's trace lines, Postfix's Received
 * header, the message. Needs root (Postfix's master starts as root and drops to the postfix user).
 */
class PostfixLmtpIT {
    @TempDir
    Path dir;

    static final String MESSAGE = "From: bob@example.net\r\nTo: zed@example.org\r\nSubject: via Postfix\r\n"
            + "Date: Tue, 01 Dec 2026 17:00:00 +0000\r\nMessage-ID: <postfix-it@example.net>\r\n\r\n"
            + ".leading dot\r\nbody\r\n";

    @Test
    void postfixDeliversOverLmtpAndCurlRetrievesTheBytes() throws Exception {
        Tools.require("postfix");
        Tools.require("python3");
        Tools.require("curl");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (Boolean.getBoolean("it.tools.required")) {
            assertTrue(root, "the Postfix IT needs root (it.tools.required=true)");
        }
        Assumptions.assumeTrue(root, "a private Postfix needs root: skipped");
        int lmtpPort = ServerProcess.freePort();
        int smtpPort = ServerProcess.freePort();
        Tools.run(List.of("chmod", "755", dir.toString()), null, 10);
        try (ServerProcess server = new ServerProcess(dir.resolve("pop3d")).user("zed", "zed-pw")
                .property("pop3.lmtp.enabled", "true").property("pop3.lmtp.host", "127.0.0.1")
                .property("pop3.lmtp.port", String.valueOf(lmtpPort));
             Postfix postfix = new Postfix(dir.resolve("postfix"), smtpPort, lmtpPort)) {
            server.start();
            postfix.start();
            Tools.Result sent = Tools.run(List.of("python3", "-c", String.join("\n",
                    "import smtplib, sys",
                    "c = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='client.test')",
                    "print(c.sendmail('bob@example.net', ['zed@example.org'], sys.argv[2].encode()))",
                    "c.quit()"), String.valueOf(smtpPort), MESSAGE), null, 60);
            assertEquals("{}\n", sent.out(), sent.stderr() + postfix.logTail());
            Path inbox = server.maildir("zed").resolve("new");
            for (int i = 0; i < 300 && count(inbox) == 0; i++) {
                Thread.sleep(50);
            }
            assertEquals(1, count(inbox), "delivered within 15 s:\n" + postfix.logTail() + "\n" + server.logTail());
            Tools.Result got = Tools.run(List.of("curl", "-sS", "--max-time", "20", "-u", "zed:zed-pw",
                    "pop3://127.0.0.1:" + server.port() + "/1"), null, 30);
            assertEquals(0, got.exitCode(), got.stderr());
            String text = new String(got.stdout(), StandardCharsets.ISO_8859_1);
            Matcher ours = LmtpIT.trace("bob@example.net", "zed@example.org", "mta.example.test", "LMTP").matcher(text);
            assertTrue(ours.lookingAt(), text);
            Matcher theirs = Pattern.compile("Received: from client\\.test \\([^\\r]*\\[127\\.0\\.0\\.1\\]\\)\r\n"
                    + "\tby mta\\.example\\.test \\(Postfix\\) with ESMTP id [0-9A-F]+\r\n\tfor <zed@example\\.org>; [^\r]+\r\n")
                    .matcher(text).region(ours.end(), text.length());
            assertTrue(theirs.lookingAt(), text);
            assertArrayEquals(MESSAGE.getBytes(StandardCharsets.US_ASCII),
                    text.substring(theirs.end()).getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(postfix.log().contains("status=sent (250 2.0.0 <zed@example.org> Delivered)"), postfix.logTail());
        }
    }

    private static long count(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    /** A private Postfix instance: its own config directory, queue and log; stopped through its master.pid. */
    static final class Postfix implements AutoCloseable {
        private final Path dir;
        private final int smtpPort;
        private final int lmtpPort;

        Postfix(Path dir, int smtpPort, int lmtpPort) {
            this.dir = dir;
            this.smtpPort = smtpPort;
            this.lmtpPort = lmtpPort;
        }

        void start() throws Exception {
            Path etc = Files.createDirectories(dir.resolve("etc"));
            Files.createDirectories(dir.resolve("queue"));
            Files.createDirectories(dir.resolve("data"));
            Tools.run(List.of("chown", "postfix:postfix", dir.resolve("data").toString()), null, 10);
            Files.writeString(etc.resolve("main.cf"), String.join("\n",
                    "compatibility_level = 3.6",
                    "queue_directory = " + dir.resolve("queue"),
                    "data_directory = " + dir.resolve("data"),
                    "mail_owner = postfix",
                    "setgid_group = postdrop",
                    "myhostname = mta.example.test", // never the machine's name: nothing is looked up
                    "mydomain = example.test",
                    "mydestination =",
                    "inet_interfaces = loopback-only",
                    "inet_protocols = ipv4",
                    "smtp_dns_support_level = disabled",
                    "smtpd_peername_lookup = no",
                    "mynetworks = 127.0.0.0/8",
                    "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
                    "virtual_mailbox_domains = example.org",
                    "virtual_transport = lmtp:inet:127.0.0.1:" + lmtpPort,
                    "alias_maps =",
                    "alias_database =",
                    "local_recipient_maps =",
                    "biff = no",
                    "maillog_file_prefixes = " + dir,
                    "maillog_file = " + dir.resolve("maillog"),
                    "syslog_name = pop3d-it-postfix",
                    ""));
            // smtpd on our loopback port only; no chroot; no port 25
            Files.writeString(etc.resolve("master.cf"), String.join("\n",
                    "127.0.0.1:" + smtpPort + " inet n - n - - smtpd",
                    "pickup unix n - n 60 1 pickup",
                    "cleanup unix n - n - 0 cleanup",
                    "qmgr unix n - n 300 1 qmgr",
                    "rewrite unix - - n - - trivial-rewrite",
                    "bounce unix - - n - 0 bounce",
                    "defer unix - - n - 0 bounce",
                    "trace unix - - n - 0 bounce",
                    "verify unix - - n - 1 verify",
                    "flush unix n - n 1000? 0 flush",
                    "proxymap unix - - n - - proxymap",
                    "smtp unix - - n - - smtp",
                    "relay unix - - n - - smtp",
                    "showq unix n - n - - showq",
                    "error unix - - n - - error",
                    "retry unix - - n - - error",
                    "discard unix - - n - - discard",
                    "lmtp unix - - n - - lmtp",
                    "anvil unix - - n - 1 anvil",
                    "scache unix - - n - 1 scache",
                    "postlog unix-dgram n - n - 1 postlogd",
                    ""));
            Tools.Result started = Tools.run(List.of("postfix", "-c", etc.toString(), "start"), null, 60);
            if (started.exitCode() != 0) {
                throw new IOException("postfix did not start: " + started.stderr() + started.out() + logTail());
            }
        }

        String log() {
            try {
                return Files.readString(dir.resolve("maillog"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no maillog: " + e.getMessage() + ")";
            }
        }

        String logTail() {
            List<String> lines = log().lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        }

        /** SIGTERM to the master named in its master.pid (it stops its children), then waits. */
        @Override
        public void close() throws Exception {
            Path pid = dir.resolve("queue/pid/master.pid");
            if (Files.exists(pid)) {
                long master = Long.parseLong(Files.readString(pid).strip());
                ProcessHandle.of(master).ifPresent(p -> {
                    p.destroy();
                    try {
                        p.onExit().get(15, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
            }
            TestFiles.deleteTree(dir.resolve("queue"));
        }
    }
}

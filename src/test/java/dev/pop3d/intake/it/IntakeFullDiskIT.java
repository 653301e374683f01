package dev.pop3d.intake.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.intake.LmtpClient;
import dev.pop3d.testing.ServerProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk during LMTP delivery: the mail root on a real 128 KiB tmpfs (as FullDiskSessionIT),
 * filled up. The recipient gets {@code 452 4.3.1}, nothing is half-written in new/ or left in tmp/,
 * and once there is room again the same session delivers. Skipped where a tmpfs cannot be mounted.
 */
class IntakeFullDiskIT {
    @TempDir
    Path dir;

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static long files(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.count();
        }
    }

    @Test
    void aFullDiskGives452AndLeavesNothingThenDeliveryResumes() throws Exception {
        int lmtpPort = ServerProcess.freePort();
        ServerProcess server = new ServerProcess(dir.resolve("server")).user("zed", "zed-pw")
                .property("pop3.lmtp.enabled", "true").property("pop3.lmtp.host", "127.0.0.1")
                .property("pop3.lmtp.port", String.valueOf(lmtpPort));
        Path mail = Files.createDirectories(server.data().resolve("mail"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=128k,nr_inodes=4096", "tmpfs", mail.toString()) == 0,
                "cannot mount a tmpfs here: skipped");
        try (server) {
            Path maildir = server.maildir("zed");
            for (String sub : new String[] {"cur", "new", "tmp"}) {
                Files.createDirectories(maildir.resolve(sub));
            }
            server.start();
            Path filler = mail.resolve("filler");
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] page = new byte[4096];
                while (true) {
                    out.write(page);
                    out.flush();
                }
            } catch (IOException full) {
                // No space left on device
            }
            assertEquals(0, Files.getFileStore(mail).getUsableSpace());
            try (LmtpClient c = new LmtpClient("127.0.0.1", lmtpPort)) {
                c.reply();
                c.command("LHLO client.test");
                c.command("MAIL FROM:<bob@example.net>");
                assertEquals("250 2.1.5 Ok\r\n", c.command("RCPT TO:<zed@example.org>"));
                assertEquals("354 Start mail input; end with <CRLF>.<CRLF>\r\n", c.command("DATA"));
                assertEquals("452 4.3.1 <zed@example.org> Insufficient system storage\r\n",
                        c.command("Subject: full\r\n\r\n" + "x".repeat(20_000) + "\r\n."));
                assertEquals(0, files(maildir.resolve("new")), "nothing in new/");
                assertEquals(0, files(maildir.resolve("tmp")), "nothing half-written in tmp/");
                Files.delete(filler);
                c.command("MAIL FROM:<bob@example.net>");
                c.command("RCPT TO:<zed@example.org>");
                c.command("DATA");
                assertEquals("250 2.0.0 <zed@example.org> Delivered\r\n", c.command("Subject: room\r\n\r\nagain\r\n."));
            }
            assertEquals(1, files(maildir.resolve("new")));
            assertTrue(server.log().contains("event=lmtp-delivery"), server.logTail());
        } finally {
            run("umount", "-l", mail.toString());
        }
    }
}

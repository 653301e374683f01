package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 and RFC 1939 §6 against the packaged server: the mail root on a real tmpfs with 0 free
 * blocks (inodes left); USER/PASS, DELE ×5 and QUIT succeed and free the space. Skipped where a
 * tmpfs cannot be mounted (not root).
 */
class FullDiskSessionIT {
    @TempDir
    Path dir;

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Test
    void deleFiveAndQuitOnAFullDiskFreeTheSpace() throws Exception {
        ServerProcess server = new ServerProcess(dir.resolve("server")).user("alice", "alice-pw");
        Path mail = Files.createDirectories(server.data().resolve("mail"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=128k,nr_inodes=4096", "tmpfs", mail.toString()) == 0,
                "cannot mount a tmpfs here: skipped");
        try (server) {
            for (int i = 1; i <= 6; i++) {
                server.deliver("alice", ("Subject: " + i + "\r\n\r\n" + "x".repeat(3000) + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            server.start();
            try (RawClient c = server.client()) { // index written while there is room
                c.login("alice", "alice-pw");
                c.command("QUIT");
            }
            try (OutputStream out = Files.newOutputStream(mail.resolve("filler"))) {
                byte[] page = new byte[4096];
                while (true) {
                    out.write(page);
                    out.flush();
                }
            } catch (IOException full) {
                // No space left on device
            }
            assertEquals(0, Files.getFileStore(mail).getUsableSpace());
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                assertTrue(c.command("STAT").startsWith("+OK 6 "));
                for (int i = 1; i <= 5; i++) {
                    assertTrue(c.command("DELE " + i).startsWith("+OK"));
                }
                assertEquals("+OK Logging out, messages deleted.", c.command("QUIT"));
            }
            assertTrue(Files.getFileStore(mail).getUsableSpace() >= 5 * 4096, "space freed");
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                assertTrue(c.command("STAT").startsWith("+OK 1 "));
                c.command("QUIT");
            }
        } finally {
            run("umount", "-l", mail.toString());
        }
    }
}

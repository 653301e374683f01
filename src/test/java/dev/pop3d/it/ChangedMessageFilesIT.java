package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 on the wire, against the packaged server: a message swapped for a symlink, truncated
 * or grown after login is answered {@code -ERR [SYS/TEMP]} (never the foreign file, never a size
 * that lies), the session goes on, and the next login serves it re-indexed; a change while the
 * body streams cuts the connection without the terminator.
 */
class ChangedMessageFilesIT {
    @TempDir
    Path dir;

    private static Path onlyFile(Path cur) throws Exception {
        try (Stream<Path> files = Files.list(cur)) {
            return files.findFirst().orElseThrow();
        }
    }

    private ServerProcess server(byte[] message) throws Exception {
        ServerProcess server = new ServerProcess(dir.resolve("server")).user("alice", "alice-pw")
                .property("pop3.auth.failure-delay", "0s");
        server.deliver("alice", message);
        return server.start();
    }

    @Test
    void aMessageSwappedForASymlinkIsNeverServed() throws Exception {
        Path secret = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        try (ServerProcess server = server("Subject: 1\r\n\r\nmine\r\n".getBytes(StandardCharsets.US_ASCII));
             RawClient c = server.client()) {
            c.login("alice", "alice-pw");
            Path stored = onlyFile(server.maildir("alice").resolve("cur"));
            Files.delete(stored);
            Files.createSymbolicLink(stored, secret);
            assertEquals("-ERR [SYS/TEMP] Message 1 is unavailable, try again later", c.command("RETR 1"));
            assertEquals("-ERR [SYS/TEMP] Message 1 is unavailable, try again later", c.command("TOP 1 0"));
            assertTrue(c.command("NOOP").startsWith("+OK"));
            c.command("QUIT");
        }
    }

    @Test
    void aMessageTruncatedAfterLoginIsRefusedThenReindexed() throws Exception {
        byte[] message = ("Subject: 1\r\n\r\n" + "line\r\n".repeat(240)).getBytes(StandardCharsets.US_ASCII);
        try (ServerProcess server = server(message)) {
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                Path stored = onlyFile(server.maildir("alice").resolve("cur"));
                Files.write(stored, Arrays.copyOf(message, 52));
                assertEquals("-ERR [SYS/TEMP] Message 1 is unavailable, try again later", c.command("RETR 1"));
                c.command("QUIT");
            }
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                String status = c.command("RETR 1");
                byte[] body = c.body();
                assertEquals("+OK " + body.length + " octets", status, "the announced size is what is sent");
                assertTrue(body.length < 60, "the truncated file, re-indexed: " + body.length);
                c.command("QUIT");
            }
        }
    }

    @Test
    void aMessageGrownAfterLoginIsRefused() throws Exception {
        byte[] message = ("Subject: 1\r\n\r\n" + "line\r\n".repeat(240)).getBytes(StandardCharsets.US_ASCII);
        try (ServerProcess server = server(message); RawClient c = server.client()) {
            c.login("alice", "alice-pw");
            Path stored = onlyFile(server.maildir("alice").resolve("cur"));
            Files.write(stored, "more\r\n".repeat(250).getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
            assertEquals("-ERR [SYS/TEMP] Message 1 is unavailable, try again later", c.command("RETR 1"));
            c.command("QUIT");
        }
    }

    @Test
    void aMessageTruncatedWhileStreamingCutsTheConnectionWithoutTerminator() throws Exception {
        byte[] line = "0123456789012345678901234567890123456789012345678901234567890123456789\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        big.write("Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        while (big.size() < 64 << 20) {
            big.write(line);
        }
        try (ServerProcess server = server(big.toByteArray()); RawClient c = server.client()) {
            c.login("alice", "alice-pw");
            Path stored = onlyFile(server.maildir("alice").resolve("cur"));
            assertEquals("+OK " + big.size() + " octets", c.command("RETR 1"));
            InputStream in = c.input();
            byte[] chunk = new byte[64 * 1024];
            long received = in.readNBytes(chunk, 0, chunk.length);
            try (FileChannel file = FileChannel.open(stored, StandardOpenOption.WRITE)) {
                file.truncate(1 << 20); // same inode, fewer octets
            }
            byte[] tail = new byte[5];
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                received += n;
                if (n >= 5) {
                    System.arraycopy(chunk, n - 5, tail, 0, 5);
                }
            }
            assertTrue(received < big.size(), "cut short: " + received + " of " + big.size());
            assertFalse(Arrays.equals(".\r\n".getBytes(StandardCharsets.US_ASCII), Arrays.copyOfRange(tail, 2, 5))
                    && tail[1] == '\n', "no terminator after a cut body");
        }
    }
}

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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 on the wire, against the packaged server: a message swapped for a symlink, truncated
 * or grown after login is answered {@code -ERR [SYS/TEMP]} (never the foreign file, never a size
 * that lies), the session goes on, and the next login serves it re-indexed. While a 64 MiB body
 * streams to a slow reader: truncated by another process, the connection is cut without the
 * terminator and the next login serves it re-indexed; unlinked, the open file is served whole
 * (POSIX), never a short body ended by ".CRLF", and the next login no longer lists it.
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

    /** A message of 64 MiB: far more than loopback socket buffers hold, so a RETR of it is in flight. */
    private static byte[] big() throws Exception {
        byte[] line = "0123456789012345678901234567890123456789012345678901234567890123456789\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream big = new ByteArrayOutputStream(64 << 20);
        big.write("Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        while (big.size() < 64 << 20) {
            big.write(line);
        }
        return big.toByteArray();
    }

    /**
     * What came after the status line, up to the end of the stream or the first CRLF "." CRLF
     * (a terminator ends the answer; the connection may stay open), read slowly at first:
     * {@code afterFirstChunk} runs while most of the body is still on the server's side.
     */
    private static byte[] readBody(InputStream in, ThrowingRunnable afterFirstChunk) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream(64 << 20);
        byte[] chunk = new byte[64 * 1024];
        received.write(chunk, 0, in.readNBytes(chunk, 0, chunk.length));
        afterFirstChunk.run();
        byte[] last = new byte[5];
        byte[] terminator = "\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);
        try {
            for (int reads = 0; ; reads++) {
                int n = in.read(chunk, 0, reads < 20 ? 4096 : chunk.length);
                if (n < 0) {
                    break;
                }
                if (reads < 20) {
                    Thread.sleep(10); // a slow reader at first
                }
                received.write(chunk, 0, n);
                for (int i = 0; i < n; i++) {
                    System.arraycopy(last, 1, last, 0, 4);
                    last[4] = chunk[i];
                }
                if (Arrays.equals(last, terminator)) {
                    break;
                }
            }
        } catch (java.net.SocketException reset) {
            // a cut may arrive as a reset: what was received is what counts
        }
        return received.toByteArray();
    }

    private static boolean endsWithTerminator(byte[] received) {
        int n = received.length;
        return n >= 5 && Arrays.equals(Arrays.copyOfRange(received, n - 5, n), "\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aMessageTruncatedWhileStreamingCutsTheConnectionWithoutTerminatorThenIsReindexed() throws Exception {
        byte[] big = big();
        try (ServerProcess server = server(big)) {
            Path stored;
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                stored = onlyFile(server.maildir("alice").resolve("cur"));
                assertEquals("+OK " + big.length + " octets", c.command("RETR 1"));
                byte[] received = readBody(c.input(), () -> {
                    try (FileChannel file = FileChannel.open(stored, StandardOpenOption.WRITE)) {
                        file.truncate(1 << 20); // same inode, fewer octets
                    }
                });
                System.out.printf("truncated mid-RETR: %d of %d octets received, terminator %b%n", received.length,
                        big.length, endsWithTerminator(received));
                assertTrue(received.length < big.length, "cut short: " + received.length + " of " + big.length);
                assertFalse(endsWithTerminator(received), "no terminator after a cut body");
            }
            // the next session works: the truncated file is re-indexed and served as it now is
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                byte[] expected = ServerProcess.crlf(Arrays.copyOf(big, 1 << 20));
                assertEquals("+OK 1 " + expected.length, c.command("STAT"));
                assertEquals("+OK " + expected.length + " octets", c.command("RETR 1"));
                assertTrue(Arrays.equals(expected, c.body()), "the truncated file, whole");
                assertEquals("+OK Logging out.", c.command("QUIT"));
            }
            assertTrue(server.log().contains("shrank while sent"), server.logTail());
        }
    }

    @Test
    void aMessageRemovedWhileStreamingIsServedWholeFromTheOpenFileThenIsGone() throws Exception {
        byte[] big = big();
        try (ServerProcess server = server(big)) {
            byte[] small = "Subject: small\r\n\r\nstays\r\n".getBytes(StandardCharsets.US_ASCII);
            server.deliver("alice", small);
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                assertTrue(c.command("STAT").startsWith("+OK 2 "));
                assertTrue(c.command("LIST").startsWith("+OK 2 "));
                List<String> list = c.lines();
                int number = list.indexOf(list.stream().filter(l -> l.endsWith(" " + big.length)).findFirst().orElseThrow()) + 1;
                Path stored;
                try (Stream<Path> files = Files.list(server.maildir("alice").resolve("cur"))) {
                    stored = files.filter(f -> f.toFile().length() == big.length).findFirst().orElseThrow();
                }
                assertEquals("+OK " + big.length + " octets", c.command("RETR " + number));
                byte[] received = readBody(c.input(), () -> Files.delete(stored));
                System.out.printf("removed mid-RETR: %d of %d octets received, terminator %b%n", received.length,
                        big.length, endsWithTerminator(received));
                // either the whole message and its terminator, or a cut without one: never a short
                // body that ends in ".CRLF"
                byte[] whole = new byte[big.length + 3];
                System.arraycopy(big, 0, whole, 0, big.length);
                System.arraycopy(".\r\n".getBytes(StandardCharsets.US_ASCII), 0, whole, big.length, 3);
                if (endsWithTerminator(received)) {
                    assertEquals(whole.length, received.length, "a terminated body is the whole message");
                    assertTrue(Arrays.equals(whole, received), "byte for byte");
                    // the session goes on after the served body
                    assertTrue(c.command("NOOP").startsWith("+OK"));
                    assertEquals("+OK Logging out.", c.command("QUIT"));
                } else {
                    assertTrue(received.length < whole.length, "cut: " + received.length);
                }
            }
            // the next session: the removed message is gone from the listing, the other one served
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                assertEquals("+OK 1 " + small.length, c.command("STAT"));
                assertEquals("+OK " + small.length + " octets", c.command("RETR 1"));
                assertEquals("Subject: small\r\n\r\nstays\r\n", new String(c.body(), StandardCharsets.US_ASCII));
                assertEquals("+OK Logging out.", c.command("QUIT"));
            }
        }
    }
}

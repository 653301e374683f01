package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB message from a server limited to a 64 MiB heap: every octet arrives, in order, with
 * the right count — the body streams in constant memory. Skip with -Dit.large.skip=true.
 */
class LargeMessageIT {
    private static final long SIZE = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void oneGibibyteFromA64MibHeap() throws Exception {
        assumeFalse(Boolean.getBoolean("it.large.skip"), "it.large.skip=true");
        try (ServerProcess server = new ServerProcess(dir).user("big", "big-pw").jvmArg("-Xmx64m")) {
            Path maildir = server.maildir("big");
            for (String sub : new String[] {"cur", "new", "tmp"}) {
                Files.createDirectories(maildir.resolve(sub));
            }
            Expected expected = generate(maildir.resolve("new").resolve("1700000000.M1P1Q1.big-host"));
            server.start();
            try (RawClient c = server.client()) {
                c.login("big", "big-pw");
                assertEquals("+OK 1 " + expected.octets, c.command("STAT"));
                c.send("RETR 1");
                assertEquals("+OK " + expected.octets + " octets", c.line());
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                long octets = readBody(new BufferedInputStream(c.input(), 1 << 16), digest);
                assertEquals(expected.octets, octets);
                assertEquals(expected.sha256, HexFormat.of().formatHex(digest.digest()));
                assertEquals("+OK Logging out.", c.command("QUIT"));
            }
            assertTrue(server.process().isAlive(), "server survived");
            assertFalse(server.log().contains("OutOfMemoryError"), server.logTail());
        }
    }

    record Expected(long octets, String sha256) {}

    /** Writes LF lines (some starting with '.') and hashes their CRLF form as it goes. */
    private static Expected generate(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        byte[][] pool = new byte[64][];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = new byte[60 + random.nextInt(60)];
            for (int j = 0; j < pool[i].length; j++) {
                pool[i][j] = (byte) (0x21 + random.nextInt(0x5e));
            }
            if (i % 8 == 0) {
                pool[i][0] = '.';
            }
        }
        byte[] header = "Subject: one gibibyte\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] crlf = {'\r', '\n'};
        long written = 0;
        long octets = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(header);
            digest.update("Subject: one gibibyte\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            written += header.length;
            octets += header.length + 2;
            while (written < SIZE) {
                byte[] line = pool[random.nextInt(pool.length)];
                out.write(line);
                out.write('\n');
                digest.update(line);
                digest.update(crlf);
                written += line.length + 1;
                octets += line.length + 2;
            }
        }
        return new Expected(octets, HexFormat.of().formatHex(digest.digest()));
    }

    /** Reads up to ".CRLF", removes stuffing, hashes; memory stays constant. */
    private static long readBody(InputStream in, MessageDigest digest) throws IOException {
        byte[] line = new byte[1024];
        long octets = 0;
        int length = 0;
        int b;
        while ((b = in.read()) != -1) {
            line[length++] = (byte) b;
            if (b == '\n') {
                if (length == 3 && line[0] == '.' && line[1] == '\r') {
                    return octets;
                }
                int skip = line[0] == '.' ? 1 : 0;
                digest.update(line, skip, length - skip);
                octets += length - skip;
                length = 0;
            } else if (length == line.length) {
                throw new IOException("line longer than " + line.length + " octets");
            }
        }
        throw new IOException("closed inside the body after " + octets + " octets");
    }
}

package dev.pop3d.mailcodec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Dot codec edge cases, each fed whole, split at every offset and one byte at a time. */
public class DotStufferTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // stored (escaped) | wire body including terminator (escaped) | CRLF octets
        "|.\\r\\n|0",
        "a|a\\r\\n.\\r\\n|3",
        "a\\n|a\\r\\n.\\r\\n|3",
        "a\\r\\n|a\\r\\n.\\r\\n|3",
        ".|..\\r\\n.\\r\\n|3",
        ".\\n|..\\r\\n.\\r\\n|3",
        "a\\n.b\\n..\\n|a\\r\\n..b\\r\\n...\\r\\n.\\r\\n|11",
        "a\\r\\n.\\r\\nb|a\\r\\n..\\r\\nb\\r\\n.\\r\\n|9",
        "\\n\\n|\\r\\n\\r\\n.\\r\\n|4",
        "a\\rb\\n|a\\rb\\r\\n.\\r\\n|5",
        "a\\r|a\\r\\r\\n.\\r\\n|4",
        "x.y\\n|x.y\\r\\n.\\r\\n|5",
        "\\u0000\\u00ff\\n|\\u0000\\u00ff\\r\\n.\\r\\n|4",
    })
    void table(String stored, String wire, long octets) {
        byte[] in = unescape(stored);
        byte[] expected = unescape(wire);
        assertArrayEquals(expected, stuffInPieces(in, new int[0]));
        for (int cut = 0; cut <= in.length; cut++) {
            assertArrayEquals(expected, stuffInPieces(in, new int[] {cut}), "split at " + cut);
        }
        int[] every = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            every[i] = i;
        }
        assertArrayEquals(expected, stuffInPieces(in, every), "one byte at a time");
        assertEquals(octets, CrlfOctets.of(in));
    }

    @Test
    void unstuffingGivesTheCrlfFormBackAndItsLengthIsTheOctetCount() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        byte[] alphabet = {'a', '.', '\r', '\n', 0, (byte) 0xe9, ' '};
        for (int round = 0; round < 2000; round++) {
            byte[] in = new byte[random.nextInt(300)];
            for (int i = 0; i < in.length; i++) {
                in[i] = alphabet[random.nextInt(alphabet.length)];
            }
            int[] cuts = random.ints(random.nextInt(6), 0, in.length + 1).sorted().toArray();
            byte[] wire = stuffInPieces(in, cuts);
            byte[] body = unstuff(wire);
            assertEquals(CrlfOctets.of(in), body.length, "seed " + seed);
            assertArrayEquals(dev.pop3d.testing.ServerProcess.crlf(in), body, "seed " + seed);
        }
    }

    /**
     * The bulk-copy loop against the byte-at-a-time rule it replaced: long runs, CR/LF/dot at every
     * chunk boundary, and input taken from the middle of a larger array.
     */
    @Test
    void runsCutAtChunkBoundariesMatchTheByteAtATimeRule() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        byte[] alphabet = {'a', 'b', '.', '\r', '\n', (byte) 0xe9};
        for (int round = 0; round < 500; round++) {
            byte[] in = new byte[random.nextInt(3000)];
            for (int i = 0; i < in.length; i++) {
                // mostly long runs of text, now and then a line end or a dot
                in[i] = random.nextInt(20) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) 'x';
            }
            int chunk = 1 + random.nextInt(64);
            DotStuffer stuffer = new DotStuffer();
            ByteRule rule = new ByteRule();
            ByteArrayOutputStream fast = new ByteArrayOutputStream();
            ByteArrayOutputStream slow = new ByteArrayOutputStream();
            for (int from = 0; from < in.length; from += chunk) {
                int length = Math.min(chunk, in.length - from);
                byte[] framed = new byte[length + 7]; // the chunk sits at offset 3 of a larger array
                java.util.Arrays.fill(framed, (byte) '.');
                System.arraycopy(in, from, framed, 3, length);
                byte[] out = new byte[DotStuffer.maxOutput(length)];
                fast.write(out, 0, stuffer.stuff(framed, 3, length, out));
                for (int i = from; i < from + length; i++) {
                    rule.accept(in[i], slow);
                }
            }
            fast.writeBytes(stuffer.finish());
            slow.writeBytes(rule.atLineStart ? new byte[] {'.', '\r', '\n'} : new byte[] {'\r', '\n', '.', '\r', '\n'});
            assertArrayEquals(slow.toByteArray(), fast.toByteArray(), "seed " + seed + " round " + round + " chunk " + chunk);
        }
    }

    /** RFC 1939 §3 one byte at a time, as the first DotStuffer did it: the reference. */
    private static final class ByteRule {
        boolean atLineStart = true;
        boolean previousWasCr;

        void accept(byte b, ByteArrayOutputStream out) {
            if (b == '\n') {
                if (!previousWasCr) {
                    out.write('\r');
                }
                out.write('\n');
                atLineStart = true;
            } else {
                if (atLineStart && b == '.') {
                    out.write('.');
                }
                out.write(b);
                atLineStart = false;
            }
            previousWasCr = b == '\r';
        }
    }

    /** A client's view: strip the terminator, remove one leading dot per line. */
    static byte[] unstuff(byte[] wire) {
        String text = new String(wire, StandardCharsets.ISO_8859_1);
        if (!text.endsWith(".\r\n") || !(text.length() == 3 || text.endsWith("\r\n.\r\n"))) {
            throw new AssertionError("bad terminator: " + text);
        }
        String body = text.substring(0, text.length() - 3);
        StringBuilder out = new StringBuilder();
        boolean lineStart = true;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (lineStart && c == '.') {
                if (i + 1 >= body.length() || body.charAt(i + 1) != '.') {
                    throw new AssertionError("unstuffed dot at " + i);
                }
                i++;
            }
            out.append(body.charAt(i));
            lineStart = body.charAt(i) == '\n';
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] stuffInPieces(byte[] in, int[] cuts) {
        DotStuffer stuffer = new DotStuffer();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int cut : cuts) {
            if (cut >= from) {
                piece(stuffer, in, from, cut - from, out);
                from = cut;
            }
        }
        piece(stuffer, in, from, in.length - from, out);
        out.writeBytes(stuffer.finish());
        return out.toByteArray();
    }

    private static void piece(DotStuffer stuffer, byte[] in, int from, int length, ByteArrayOutputStream out) {
        byte[] buffer = new byte[DotStuffer.maxOutput(length)];
        out.write(buffer, 0, stuffer.stuff(in, from, length, buffer));
    }

    public static byte[] unescape(String s) {
        if (s == null) {
            return new byte[0];
        }
        String text = s.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\0").replace("\\u00ff", "\u00ff");
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}

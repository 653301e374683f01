package dev.pop3d.intake.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 5321 §4.5.2 transparency, line ends and the terminator; every row whole, split anywhere and byte by byte. */
class DataDecoderTest {
    /** input (after DATA), message stored, what is left after the terminator. */
    static final String[][] ROWS = {
        {".\r\n", "", ""},
        {"a\r\n.\r\n", "a\r\n", ""},
        {"Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n", "Subject: x\r\n\r\nbody\r\n", "QUIT\r\n"},
        {"..dot\r\n.\r\n", ".dot\r\n", ""},
        {"...\r\n.\r\n", "..\r\n", ""},
        {"a\r\n..\r\n.\r\n", "a\r\n.\r\n", ""},
        {"line2\nbare\r\n.\r\n", "line2\r\nbare\r\n", ""},           // bare LF: CRLF
        {"cr\ronly\r\n.\r\n", "cr\r\nonly\r\n", ""},                 // bare CR: CRLF
        {"a\n.\nb\r\n.\r\n", "a\r\n.\r\nb\r\n", ""},                 // LF . LF does not end (smuggling)
        {"a\n.\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n", ""},               // LF . CRLF does not end
        {"a\r\n.\nb\r\n.\r\n", "a\r\n\r\nb\r\n", ""},                // CRLF . LF: the dot is stuffing, LF bare
        {".x\r\n.\r\n", "x\r\n", ""},
        {".\rx\r\n.\r\n", "\r\nx\r\n", ""},                           // ". CR x": dot dropped, bare CR
        {"\r\n.\r\n", "\r\n", ""},
        {"a\r\r\n.\r\n", "a\r\n\r\n", ""},
        {"8bit \u00e9\r\n.\r\n", "8bit \u00e9\r\n", ""},
        {"a\r\n.\r\n.\r\n", "a\r\n", ".\r\n"},
    };

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Feeds in pieces cut at {@code cuts}; returns stored + "|" + rest. */
    private static String run(String input, int... cuts) {
        byte[] in = bytes(input);
        DataDecoder decoder = new DataDecoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int position = 0;
        int[] bounds = new int[cuts.length + 1];
        System.arraycopy(cuts, 0, bounds, 0, cuts.length);
        bounds[cuts.length] = in.length;
        for (int bound : bounds) {
            if (decoder.ended()) {
                break;
            }
            int offered = bound - position;
            int consumed = decoder.decode(in, position, offered, out::write);
            position += consumed;
            if (!decoder.ended()) {
                assertEquals(offered, consumed, "all is consumed until the terminator");
            }
        }
        assertEquals(out.size(), decoder.octets());
        return new String(out.toByteArray(), StandardCharsets.ISO_8859_1) + "|"
                + new String(in, position, in.length - position, StandardCharsets.ISO_8859_1) + "|" + decoder.ended();
    }

    @Test
    void everyRowWholeSplitAndByteByByte() {
        for (String[] row : ROWS) {
            String expected = row[1] + "|" + row[2] + "|true";
            assertEquals(expected, run(row[0]), row[0]);
            for (int cut = 1; cut < row[0].length(); cut++) {
                assertEquals(expected, run(row[0], cut), row[0] + " cut at " + cut);
            }
            int[] all = new int[row[0].length() - 1];
            for (int i = 0; i < all.length; i++) {
                all[i] = i + 1;
            }
            assertEquals(expected, run(row[0], all), row[0] + " byte by byte");
        }
    }

    @Test
    void noTerminatorMeansNotEnded() {
        assertEquals("a\r\n.x\r\n|  |false".replace("  ", ""), run("a\r\n..x\r\n"));
        assertEquals("a\r\n|  |false".replace("  ", ""), run("a\r\n."));
    }

    /** Property: stuffing any CRLF text and decoding gives it back (seeded, seed printed on failure). */
    @Test
    void decodingAStuffedBodyGivesItBack() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String alphabet = ".\r\nab";
        for (int round = 0; round < 2000; round++) {
            StringBuilder text = new StringBuilder();
            int lines = random.nextInt(6);
            for (int l = 0; l < lines; l++) {
                int length = random.nextInt(5);
                for (int i = 0; i < length; i++) {
                    char c = alphabet.charAt(random.nextInt(alphabet.length()));
                    text.append(c == '\r' || c == '\n' ? 'x' : c);
                }
                text.append("\r\n");
            }
            String body = text.toString();
            String stuffed = (body.startsWith(".") ? "." : "") + body.replace("\r\n.", "\r\n..") + ".\r\n";
            int cut = stuffed.isEmpty() ? 0 : random.nextInt(stuffed.length());
            String got = cut == 0 ? run(stuffed) : run(stuffed, cut);
            assertEquals(body + "||true", got, "seed " + seed + " round " + round);
        }
    }
}

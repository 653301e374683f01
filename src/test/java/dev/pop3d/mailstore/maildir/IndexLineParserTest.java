package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast reading of an index line (ADR 0013, amended) reads a line exactly as the general
 * reader does, or leaves it to it: a table of edge cases, then seeded random mutations of
 * canonical lines (seed printed on failure).
 */
class IndexLineParserTest {
    private static final String VALIDITY = "4980c60c";

    private static final String[] CANONICAL = {
        "4980c60c00000001 1766 1766 s (dev=fe00,ino=1776980) 26 1764590000.M000001P1.bench:2,",
        "4980c60c0000000a 0 0 c - 5 abcde",
        "4980c60c000000ff -1 12 ? - - name with blanks:2,S",
        "other-uid-of-70-chars 12 14 c (dev=1,ino=2) 3 abc:2,:x",
        "4980C60C00000001 5 5 s - - upper",
    };

    @Test
    void canonicalLinesAreReadAsTheGeneralReaderReadsThem() {
        for (String line : CANONICAL) {
            assertTrue(fast(line).isPresent(), line);
            assertEquals(IndexReader.entryV2(line), fast(line), line);
        }
        assertEquals(1, sequence(CANONICAL[0]));
        assertEquals(0xff, sequence(CANONICAL[2]));
        assertEquals(-1, sequence(CANONICAL[3]), "not of this validity");
        assertEquals(-1, sequence(CANONICAL[4]), "upper case: not the written form");
    }

    @Test
    void edgeCasesAreLeftToTheGeneralReader() {
        String[] unusual = {
            "", " ", "4980c60c00000001", "4980c60c00000001 +5 5 c - - a", "4980c60c00000001 -0 5 c - - a",
            "4980c60c00000001 5 5 x - - a", "4980c60c00000001 5 5 cc - - a", "4980c60c00000001 5 5 c  - a",
            "4980c60c00000001 5 5 c - 0 a", "4980c60c00000001 5 5 c - 2 abc", "4980c60c00000001 5 5 c - - .a",
            "4980c60c00000001 5 5 c - - a/b", "4980c60c00000001 5 5 c - - a\rb", "4980c60c00000001 5 5 c - - ",
            "4980c60c00000001 5 5 c - - caf\u00e9", "4980c60c00000001 1234567890123456789 5 c - - a",
            "4980c60c00000001 -2 5 c - - a", "4980c60c00000001 5 -1 c - - a",
        };
        for (String line : unusual) {
            assertFalse(fast(line).isPresent(), line);
        }
    }

    @Test
    void randomMutationsAreNeverReadOtherwise() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String alphabet = " -0123456789:./\r\ncs?xA\u00e9\u00ff";
        for (int run = 0; run < 20_000; run++) {
            StringBuilder line = new StringBuilder(CANONICAL[random.nextInt(CANONICAL.length)]);
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(line.length() + 1);
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> line.insert(at, c);
                    case 1 -> { if (at < line.length()) line.deleteCharAt(at); }
                    default -> { if (at < line.length()) line.setCharAt(at, c); }
                }
            }
            String text = line.toString();
            Optional<Map.Entry<String, MaildirIndex.Entry>> fast = fast(text);
            String firstLine = text.indexOf('\n') < 0 ? text : text.substring(0, text.indexOf('\n'));
            if (fast.isPresent()) {
                assertEquals(IndexReader.entryV2(firstLine), fast, "seed " + seed + ", line " + text);
            }
        }
    }

    private static Optional<Map.Entry<String, MaildirIndex.Entry>> fast(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        byte[] twoLines = java.util.Arrays.copyOf(bytes, bytes.length * 2 + 1); // the line, LF, the line again
        twoLines[bytes.length] = '\n';
        System.arraycopy(bytes, 0, twoLines, bytes.length + 1, bytes.length);
        IndexLineParser parser = new IndexLineParser(twoLines);
        if (!parser.parse(0, VALIDITY)) {
            return Optional.empty();
        }
        int lf = line.indexOf('\n') < 0 ? bytes.length : line.substring(0, line.indexOf('\n')).getBytes(StandardCharsets.UTF_8).length;
        assertEquals(lf, parser.end, "the line ends at its (first) LF");
        Map.Entry<String, MaildirIndex.Entry> first = Map.entry(parser.base, parser.entry);
        IndexLineParser last = new IndexLineParser(bytes);
        assertTrue(last.parse(0, VALIDITY), "also without an LF after it");
        assertEquals(lf, last.end);
        assertEquals(first, Map.entry(last.base, last.entry));
        return Optional.of(first);
    }

    private static long sequence(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        IndexLineParser parser = new IndexLineParser(bytes);
        assertTrue(parser.parse(0, VALIDITY));
        return parser.sequence;
    }
}

package dev.pop3d.pop3.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Framing table: each row runs whole, split at every offset, and one byte at a time. */
class LineFramerTest {
    private static final CommandParser PARSER = new CommandParser(Compliance.DEFAULTS);

    static Stream<Arguments> rows() {
        String longLine = "PASS " + "x".repeat(LineFramer.MAX_COMMAND_LINE_OCTETS - 7); // 253 + CRLF = 255
        String tooLong = "PASS " + "x".repeat(LineFramer.MAX_COMMAND_LINE_OCTETS - 6); // 254 + CRLF = 256
        return Stream.of(
                Arguments.of("STAT\r\n", List.of("Stat[]")),
                Arguments.of("STAT\r\nNOOP\r\nLIST 2\r\n", List.of("Stat[]", "Noop[]", "List[number=OptionalLong[2]]")),
                Arguments.of("stat\n", List.of("Stat[]")),
                Arguments.of("STAT", List.of()),
                Arguments.of("\r\n", List.of("Rejected[verb=Optional.empty, reason=Empty command]")),
                Arguments.of(longLine + "\r\n", List.of("Pass[***]")),
                Arguments.of(tooLong + "\r\nNOOP\r\n",
                        List.of("Rejected[verb=Optional.empty, reason=Command line too long]", "Noop[]")),
                Arguments.of("x".repeat(1000) + "\r\nSTAT\r\n",
                        List.of("Rejected[verb=Optional.empty, reason=Command line too long]", "Stat[]")),
                Arguments.of("ST\0AT\r\n", List.of("Rejected[verb=Optional.empty, reason=Invalid characters in command]")),
                Arguments.of("RETR 1\0\r\n",
                        List.of("Rejected[verb=Optional[RETR], reason=Invalid characters in command]")),
                Arguments.of("ST\rAT\r\n", List.of("Rejected[verb=Optional.empty, reason=Invalid characters in command]")));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void whole(String input, List<String> expected) {
        assertEquals(expected, run(input.getBytes(StandardCharsets.ISO_8859_1), new int[0]));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void splitAtEveryOffset(String input, List<String> expected) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertEquals(expected, run(bytes, new int[] {cut}), "split at " + cut);
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void oneByteAtATime(String input, List<String> expected) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        int[] cuts = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            cuts[i] = i;
        }
        assertEquals(expected, run(bytes, cuts));
    }

    @Test
    void bareLfRejectedWhenNotTolerated() {
        CommandParser strict = new CommandParser(EnumSet.noneOf(Compliance.class));
        assertEquals("Rejected[verb=Optional.empty, reason=Command line must end with CRLF]",
                strict.parse(new LineFramer(LineFramer.MAX_COMMAND_LINE_OCTETS)
                        .feed("STAT\n".getBytes(StandardCharsets.US_ASCII)).get(0)).toString());
    }

    @Test
    void aLongerLimitFramesLongSaslResponsesButCommandsStayLimitedTo255() {
        String response = "x".repeat(4000);
        LineFramer framer = new LineFramer(12_288);
        List<RawLine> lines = framer.feed((response + "\r\nSTAT\r\n").getBytes(StandardCharsets.US_ASCII));
        assertEquals(4000, lines.get(0).content().length);
        assertEquals("Rejected[verb=Optional.empty, reason=Command line too long]", PARSER.parse(lines.get(0)).toString());
        assertEquals("Stat[]", PARSER.parse(lines.get(1)).toString());
    }

    @Test
    void randomBytesNeverThrowAndChunkingDoesNotMatter() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 300; round++) {
            byte[] bytes = new byte[random.nextInt(700)];
            random.nextBytes(bytes);
            for (int i = 0; i < bytes.length; i++) {
                if (random.nextInt(20) == 0) {
                    bytes[i] = '\n';
                }
            }
            int[] cuts = random.ints(random.nextInt(10), 0, bytes.length + 1).sorted().toArray();
            assertEquals(run(bytes, new int[0]), run(bytes, cuts), "seed " + seed);
        }
    }

    private static List<String> run(byte[] bytes, int[] cuts) {
        LineFramer framer = new LineFramer(LineFramer.MAX_COMMAND_LINE_OCTETS);
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            if (cut < from) {
                continue;
            }
            framer.feed(bytes, from, cut - from).forEach(l -> out.add(PARSER.parse(l).toString()));
            from = cut;
        }
        framer.feed(bytes, from, bytes.length - from).forEach(l -> out.add(PARSER.parse(l).toString()));
        return out;
    }
}

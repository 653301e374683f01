package dev.pop3d.pop3.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandParserTest {
    private static final CommandParser PARSER = new CommandParser(Compliance.DEFAULTS);

    private static String parse(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return PARSER.parse(bytes, bytes.length).toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "USER alice|User[name=alice]",
        "user alice|User[name=alice]",
        "USER|Rejected[verb=Optional[USER], reason=Missing user name]",
        "PASS se cret :x|Pass[***]",
        "PASS|Rejected[verb=Optional[PASS], reason=Missing password]",
        "STAT|Stat[]",
        "STAT |Stat[]",
        "STAT 1|Rejected[verb=Optional[STAT], reason=Unexpected text after command]",
        "LIST|List[number=OptionalLong.empty]",
        "LiSt 3|List[number=OptionalLong[3]]",
        "LIST 1 2|Rejected[verb=Optional[LIST], reason=Unexpected text after message number]",
        "RETR|Rejected[verb=Optional[RETR], reason=Missing message number]",
        "RETR x|Rejected[verb=Optional[RETR], reason=Invalid message number: x]",
        "RETR -1|Rejected[verb=Optional[RETR], reason=Invalid message number: -1]",
        "RETR 0|Retr[number=0]",
        "RETR 99999999999999999999999|Retr[number=9223372036854775807]",
        "DELE 7|Dele[number=7]",
        "TOP 1 0|Top[number=1, lines=0]",
        "TOP 1 99999999|Top[number=1, lines=99999999]",
        "TOP 1|Rejected[verb=Optional[TOP], reason=Missing number of lines]",
        "TOP 1 -1|Rejected[verb=Optional[TOP], reason=Invalid number of lines: -1]",
        "TOP 1 2 3|Rejected[verb=Optional[TOP], reason=Unexpected text after number of lines]",
        "UIDL|Uidl[number=OptionalLong.empty]",
        "UIDL 2|Uidl[number=OptionalLong[2]]",
        "CAPA|Capa[]",
        "QUIT|Quit[]",
        "NOOP|Noop[]",
        "RSET|Rset[]",
        "APOP a b|Rejected[verb=Optional.empty, reason=Unknown command: APOP]",
        "XYZZYXYZZYXYZZYXYZZY|Rejected[verb=Optional.empty, reason=Unknown command: XYZZYXYZZYXYZZYX...]",
        "RETR 1é|Rejected[verb=Optional[RETR], reason=Invalid characters in command]",
        "' STAT'|Rejected[verb=Optional.empty, reason=Invalid characters in command]",
        "ST4T|Rejected[verb=Optional.empty, reason=Invalid characters in command]",
    })
    void table(String line, String expected) {
        assertEquals(expected, parse(line));
    }

    @Test
    void utf8PasswordsAreKept() {
        byte[] bytes = "PASS pässwörd".getBytes(StandardCharsets.UTF_8);
        Command.Pass pass = (Command.Pass) PARSER.parse(bytes, bytes.length);
        assertEquals("pässwörd", pass.password());
    }

    @Test
    void passwordNeverInToString() {
        assertEquals("Pass[***]", new Command.Pass("hunter2").toString());
    }

    @Test
    void randomBytesAreRejectedNeverThrown() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 5000; i++) {
            byte[] bytes = new byte[random.nextInt(260)];
            random.nextBytes(bytes);
            try {
                PARSER.parse(bytes, bytes.length);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed, e);
            }
        }
    }
}

package dev.pop3d.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The comparison can fail: a deliberately wrong reply is caught, at its line. */
class DifferentialSelfTest {
    @Test
    void aWrongSizeIsCaught() {
        List<String> ours = List.of("3: +OK", "12: " + Normalizer.normalize("STAT", "+OK 2 320"), "14: .");
        List<String> doctored = List.of("3: +OK", "12: " + Normalizer.normalize("STAT", "+OK 2 321"), "14: .");
        assertEquals(Optional.of(12), Comparison.firstDifferentLine(ours, doctored));
        assertEquals(Optional.empty(), Comparison.firstDifferentLine(ours, List.copyOf(ours)));
    }

    @Test
    void freeTextIsIgnoredButIndicatorsAndDataAreNot() {
        assertEquals("+OK", Normalizer.normalize("NOOP", "+OK whatever text"));
        assertEquals("-ERR", Normalizer.normalize("RETR 9", "-ERR no such message"));
        assertEquals("+OK 2 92", Normalizer.normalize("list 2", "+OK 2 92"));
        assertEquals("1 <uid>", Normalizer.normalize("UIDL", "1 00000001abc"));
        List<String> wrongIndicator = List.of("5: " + Normalizer.normalize("DELE 1", "-ERR no"));
        assertEquals(Optional.of(5), Comparison.firstDifferentLine(List.of("5: +OK"), wrongIndicator));
        assertEquals(Optional.of(7), Comparison.firstDifferentLine(List.of("5: +OK", "7: .."), List.of("5: +OK", "7: .")));
    }
}

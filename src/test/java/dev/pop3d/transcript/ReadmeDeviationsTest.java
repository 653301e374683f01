package dev.pop3d.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README lists GreenMail's deviations exactly as the code does. */
class ReadmeDeviationsTest {
    @Test
    void readmeTableMatchesTheEnum() throws Exception {
        List<String> fromCode = new ArrayList<>();
        for (GreenMailDeviations d : GreenMailDeviations.values()) {
            fromCode.add("| `" + d.name() + "` | " + d.rfc() + " | " + d.behaviour() + " |");
        }
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf("<!-- greenmail-table: checked against GreenMailDeviations by ReadmeDeviationsTest -->") + 3;
        List<String> fromReadme = new ArrayList<>();
        for (int i = start; start > 2 && i < lines.size() && lines.get(i).startsWith("|"); i++) {
            fromReadme.add(lines.get(i));
        }
        assertEquals(fromCode, fromReadme);
    }
}

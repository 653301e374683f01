package dev.pop3d.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs last, in its own surefire execution ({@code fuzz-check}): every fuzzing execution named in
 * {@code fuzz.targets} left a surefire report with at least one test, none skipped, failed or in
 * error, and a {@code .runs} count, both written by this build. Without {@code fuzz.targets} (a plain test run)
 * there is nothing to check.
 */
class FuzzRunsCheck {
    private static final Pattern SUITE = Pattern.compile(
            "<testsuite [^>]*?tests=\"(\\d+)\"[^>]*?errors=\"(\\d+)\"[^>]*?skipped=\"(\\d+)\"[^>]*?failures=\"(\\d+)\"");

    @Test
    void everyFuzzTargetRanInputs() throws Exception {
        String targets = System.getProperty("fuzz.targets");
        assumeTrue(targets != null && !targets.isBlank(), "not the fuzz-check execution");
        Path reports = Path.of(System.getProperty("fuzz.reports"));
        // maven.build.timestamp, to the second: a report left by an earlier build does not count
        java.time.Instant buildStart = java.time.Instant.parse(System.getProperty("fuzz.build.start")).minusSeconds(1);
        for (String entry : targets.split(",")) {
            String[] parts = entry.strip().split(":"); // execution id : test class
            Path report = reports.resolve(parts[0]).resolve("TEST-dev.pop3d.fuzz." + parts[1] + ".xml");
            assertTrue(Files.isRegularFile(report), parts[0] + " left no report " + report);
            Matcher m = SUITE.matcher(Files.readString(report));
            assertTrue(m.find(), "no testsuite in " + report);
            int tests = Integer.parseInt(m.group(1));
            assertTrue(tests >= 1, parts[0] + " ran no test");
            assertEquals(0, Integer.parseInt(m.group(3)), parts[0] + " skipped its fuzz test");
            assertEquals(0, Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(4)), parts[0] + " failed");
            Path runs = reports.resolve(parts[0]).resolve(parts[1] + ".runs");
            assertTrue(Files.isRegularFile(runs), parts[0] + " wrote no count of inputs " + runs);
            assertTrue(Files.getLastModifiedTime(report).toInstant().isAfter(buildStart)
                    && Files.getLastModifiedTime(runs).toInstant().isAfter(buildStart),
                    parts[0] + ": the report or the count is older than this build (" + buildStart + ")");
            long count = Long.parseLong(Files.readString(runs).strip());
            assertTrue(count >= FuzzRuns.MIN_FUZZING_RUNS, parts[0] + " fuzzed only " + count + " inputs");
            System.out.printf("%s: %s, %d inputs%n", parts[0], parts[1], count);
        }
    }
}

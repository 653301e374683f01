package dev.pop3d.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts the inputs a fuzz test class ran, and fails the class when it ran none: a target that
 * Jazzer skipped ("only one fuzz test per run") or that found no input must not pass quietly. In
 * fuzzing mode it also writes the count to {@code <jazzer.internal.basedir>/<target>.runs}, which
 * {@link FuzzRunsCheck} reads after the executions.
 */
final class FuzzRuns {
    /** An 8 s run here does 500 to 40,000 (the users file is slowest, bcrypt decoys); under 10 the fuzzer did not really run. */
    static final long MIN_FUZZING_RUNS = 10;

    private final String target;
    private long runs;

    FuzzRuns(String target) {
        this.target = target;
    }

    void ran() {
        runs++;
    }

    static boolean fuzzing() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        return fuzz != null && !fuzz.isEmpty();
    }

    void requireInputs() {
        if (!fuzzing()) {
            assertTrue(runs >= 1, target + " ran no input in regression mode");
            return;
        }
        String base = System.getProperty("jazzer.internal.basedir");
        if (base != null) {
            try {
                Files.createDirectories(Path.of(base));
                Files.writeString(Path.of(base, target + ".runs"), Long.toString(runs));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertTrue(runs >= MIN_FUZZING_RUNS, target + " ran " + runs + " inputs while fuzzing");
    }
}

package dev.pop3d.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.pop3.server.Pop3Listener;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same scripts against us and against GreenMail, normalized transcripts compared. Where
 * GreenMail deviates from the RFCs ({@link GreenMailDeviations}), the transcripts must differ
 * exactly there, and {@link ScriptsTest} holds us to the RFC behaviour.
 */
@QuarkusTest
@TestProfile(ScriptsTest.Profile.class)
class DifferentialTest {
    @Inject
    Pop3Listener listener;

    static Stream<String> scripts() throws IOException {
        return ScriptsTest.scripts().stream().map(p -> p.getFileName().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void sameAsGreenMail(String name) throws Exception {
        Transcript transcript = Transcript.parse(ScriptsTest.SCRIPTS.resolve(name));
        List<String> ours = Normalizer.normalize(TranscriptRunner.record(transcript, "127.0.0.1", listener.port(),
                new Pop3dFixtures(Pop3dFixtures.data().resolve("mail"))));
        RecordedTranscripts.save(RecordedTranscripts.IN_JVM, name, ours); // for DifferentialTestServerIT
        assertSameOrExplained(name, ours, greenMail(transcript));
    }

    /** The normalized transcript of {@code transcript} against a fresh embedded GreenMail. */
    static List<String> greenMail(Transcript transcript) throws Exception {
        try (GreenMailTarget greenMail = new GreenMailTarget()) {
            return Normalizer.normalize(TranscriptRunner.record(transcript, "127.0.0.1", greenMail.port(), greenMail));
        }
    }

    /** Equal, or first different exactly where {@link GreenMailDeviations} says. */
    static void assertSameOrExplained(String name, List<String> ours, List<String> theirs) {
        Optional<Integer> firstDifference = Comparison.firstDifferentLine(ours, theirs);
        List<Integer> explained = GreenMailDeviations.expectedFirstDifferences(name);
        String transcripts = "\nours:   " + ours + "\ntheirs: " + theirs;
        if (explained.isEmpty()) {
            assertEquals(Optional.empty(), firstDifference,
                    name + ": GreenMail and pop3d differ, and no known deviation explains it" + transcripts);
        } else {
            assertTrue(firstDifference.isPresent() && explained.contains(firstDifference.get()),
                    name + ": expected the first difference at line " + explained + " (GreenMailDeviations), got "
                            + firstDifference + transcripts);
        }
    }
}

package dev.pop3d.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The differential suite against pop3d as the project's users run it in their tests: the packaged
 * jar started as {@code Pop3dExtension} starts it ({@link TestServerProcess}), one server for the
 * class, {@code POST /api/reset} before each script, the script's users and mail through the admin
 * API ({@link AdminFixtures}) or, for {@link #SMTP_SCRIPTS}, through SMTP auto-creation
 * ({@link SmtpFixtures}). Each script must compare with GreenMail exactly as in
 * {@link DifferentialTest} (same {@link GreenMailDeviations}), and its transcript must equal the
 * in-JVM server's of {@link DifferentialTest}: the test-server mode answers every script as the
 * normal mode does, with no expected difference. (That check needs DifferentialTest's transcripts
 * from the same build: skipped without them, failed with {@code -Dit.tools.required=true}.)
 * No property is added to the extension's: in-use.pop3 therefore waits the default
 * {@code pop3.lock.wait} (5 s, ScriptsTest sets 300 ms) before {@code [IN-USE]}, same answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DifferentialTestServerIT {
    /**
     * Scripts whose users and mail come through SMTP. What SMTP stores starts with trace lines, so
     * a script here must show no size and no body: arguments.pop3 answers -ERR to every message
     * command.
     */
    static final Set<String> SMTP_SCRIPTS = Set.of("arguments.pop3");

    private final Map<String, List<String>> recorded = new HashMap<>();
    private Path dir;
    private TestServerProcess server;
    private AdminApi admin;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("pop3d-differential-ts");
        server = TestServerProcess.start(ServerProcess.jar(), dir);
        admin = server.admin();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (dir != null) {
                TestFiles.deleteTree(dir);
            }
        }
    }

    static Stream<String> scripts() throws IOException {
        return ScriptsTest.scripts().stream().map(p -> p.getFileName().toString());
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void sameAsGreenMail(String name) throws Exception {
        Transcript transcript = Transcript.parse(ScriptsTest.SCRIPTS.resolve(name));
        admin.reset();
        List<String> ours = Normalizer.normalize(TranscriptRunner.record(transcript, TestServerProcess.HOST,
                server.pop3Port(), fixtures(name, transcript)));
        recorded.put(name, ours);
        RecordedTranscripts.save(RecordedTranscripts.TEST_SERVER, name, ours);
        DifferentialTest.assertSameOrExplained(name, ours, DifferentialTest.greenMail(transcript));
    }

    @Order(2)
    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void sameAsInJvmPop3d(String name) throws Exception {
        List<String> testServer = recorded.get(name);
        assertNotNull(testServer, name + ": no transcript from the test server (its run failed above)");
        Optional<List<String>> inJvm = RecordedTranscripts.current(RecordedTranscripts.IN_JVM, name);
        String missing = "no transcript of DifferentialTest since the last compilation at "
                + RecordedTranscripts.file(RecordedTranscripts.IN_JVM, name) + " (mvn verify runs it before the ITs)";
        if (Boolean.getBoolean("it.tools.required")) { // CI: one mvn verify, DifferentialTest has run
            assertTrue(inJvm.isPresent(), missing);
        }
        assumeTrue(inJvm.isPresent(), missing);
        assertEquals(inJvm.get(), testServer, name + ": the test-server child and the in-JVM server of "
                + "DifferentialTest answer differently (" + RecordedTranscripts.file(RecordedTranscripts.TEST_SERVER, name)
                + " vs " + RecordedTranscripts.file(RecordedTranscripts.IN_JVM, name) + ")");
    }

    private TranscriptRunner.Fixtures fixtures(String name, Transcript transcript) {
        if (!SMTP_SCRIPTS.contains(name)) {
            return new AdminFixtures(admin);
        }
        Set<String> mailed = transcript.mails().stream().map(Transcript.Mail::user).collect(Collectors.toSet());
        assertTrue(transcript.users().stream().allMatch(u -> mailed.contains(u.name())),
                name + ": SMTP creates only users who get mail");
        return new SmtpFixtures(admin, server.smtpPort());
    }
}

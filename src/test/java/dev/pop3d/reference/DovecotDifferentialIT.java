package dev.pop3d.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.Tools;
import dev.pop3d.transcript.Comparison;
import dev.pop3d.transcript.Normalizer;
import dev.pop3d.transcript.Pop3dFixtures;
import dev.pop3d.transcript.ScriptsTest;
import dev.pop3d.transcript.Transcript;
import dev.pop3d.transcript.TranscriptRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dovecot, the RFC-conformant second reference: every script against the packaged pop3d and
 * against a private Dovecot instance; normalized transcripts must match except where
 * {@link DovecotDifferences} lists a difference. In particular, wherever GreenMail deviates, pop3d
 * and Dovecot agree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DovecotDifferentialIT {
    private Path dir;
    private ServerProcess pop3d;
    private DovecotServer dovecot;

    @BeforeAll
    void start() throws Exception {
        Tools.require("dovecot");
        dir = Files.createTempDirectory("pop3d-dovecot");
        // Dovecot's auth and mail processes run as other users: they must traverse it
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        pop3d = new ServerProcess(dir.resolve("pop3d"));
        Pop3dFixtures.USERS.forEach(pop3d::user);
        pop3d.start();
        dovecot = new DovecotServer(dir.resolve("dovecot"), Pop3dFixtures.USERS);
    }

    @AfterAll
    void stop() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
        if (pop3d != null) {
            pop3d.close();
        }
        if (dir != null) {
            dev.pop3d.testing.TestFiles.deleteTree(dir);
        }
    }

    static Stream<String> scripts() throws IOException {
        return ScriptsTest.scripts().stream().map(p -> p.getFileName().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void sameAsDovecot(String name) throws Exception {
        Transcript transcript = Transcript.parse(ScriptsTest.SCRIPTS.resolve(name));
        List<String> ours = Normalizer.normalize(TranscriptRunner.record(transcript, "127.0.0.1", pop3d.port(),
                new Pop3dFixtures(pop3d.data().resolve("mail"))));
        List<TranscriptRunner.Received> raw = TranscriptRunner.record(transcript,
                TranscriptRunner.Connector.socket("127.0.0.1", dovecot.port(), 15_000),
                new TranscriptRunner.Fixtures() {
                    private final java.util.Set<String> emptied = new java.util.HashSet<>();

                    public void user(String user, String password) throws Exception {
                        if (emptied.add(user)) {
                            dovecot.empty(user);
                        }
                    }

                    public void mail(String user, int number, byte[] message) throws Exception {
                        user(user, null);
                        dovecot.mail(user, message);
                    }
                });
        List<String> theirs = Normalizer.normalize(raw);
        Optional<Integer> first = Comparison.firstDifferentLine(ours, theirs);
        assertEquals(DovecotDifferences.firstDifference(name), first,
                name + ": pop3d vs Dovecot\nours:    " + ours + "\ndovecot: " + theirs + "\nraw: "
                        + raw.stream().map(TranscriptRunner.Received::value).collect(java.util.stream.Collectors.toList())
                        + "\n" + dovecot.logTail());
    }
}

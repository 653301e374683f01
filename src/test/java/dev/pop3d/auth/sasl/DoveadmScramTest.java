package dev.pop3d.auth.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pop3d.auth.PasswordHasher;
import dev.pop3d.auth.PasswordScheme;
import dev.pop3d.auth.UserStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both directions against the real doveadm (Dovecot is installed in CI; skipped where it is
 * not): a fresh doveadm hash logs in by USER/PASS and by a full SCRAM exchange, and doveadm
 * accepts the hashes we write.
 */
class DoveadmScramTest {
    private static final Path DOVEADM = Path.of("/usr/bin/doveadm");

    @BeforeAll
    static void needsDoveadm() {
        assumeTrue(Files.isExecutable(DOVEADM), "doveadm not installed");
    }

    private static Run doveadm(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(DOVEADM.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "doveadm answers within 10 s");
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    private record Run(int exit, String output) {}

    @Test
    void aFreshDoveadmHashLogsInByPasswordAndByScram() throws Exception {
        Run run = doveadm("pw", "-s", "SCRAM-SHA-256", "-p", "correct horse");
        assertEquals(0, run.exit(), run.output());
        String stored = run.output();
        assertTrue(stored.matches("\\{SCRAM-SHA-256\\}4096,[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]{44},[A-Za-z0-9+/=]{44}"), stored);

        UserStore users = UserStore.of(Map.of("dana", stored));
        assertTrue(users.verify("dana", "correct horse"));
        assertTrue(!users.verify("dana", "correct horse "));
        ScramSha256Mechanism scram = new ScramSha256Mechanism(users::scramCredential);
        assertInstanceOf(SaslStep.Success.class, ScramSha256MechanismTest.exchange(scram, "dana", "correct horse", true));
        assertEquals(new SaslStep.Failure(SaslStep.Reason.REJECTED),
                ScramSha256MechanismTest.exchange(scram, "dana", "correct horsE", true));
    }

    @Test
    void doveadmAcceptsOurHashes() throws Exception {
        String ours = PasswordHasher.hash(PasswordScheme.SCRAM_SHA256, "pässwörd 1");
        Run right = doveadm("pw", "-t", ours, "-p", "pässwörd 1");
        assertEquals(0, right.exit(), right.output());
        assertTrue(right.output().endsWith("(verified)"), right.output());
        Run wrong = doveadm("pw", "-t", ours, "-p", "pässwörd 2");
        assertTrue(wrong.exit() != 0, wrong.output());
    }
}

package dev.pop3d.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pop3d.auth.ScramCredential;
import dev.pop3d.auth.sasl.LoginMechanism;
import dev.pop3d.auth.sasl.PlainMechanism;
import dev.pop3d.auth.sasl.ScramSha256Mechanism;
import dev.pop3d.pop3.protocol.Capabilities;
import dev.pop3d.pop3.protocol.CommandParser;
import dev.pop3d.pop3.protocol.Compliance;
import dev.pop3d.pop3.session.SessionMachine;
import dev.pop3d.pop3.session.State;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;

/**
 * Target 1: arbitrary octets, cut into arbitrary chunks, through the production path of a POP3
 * session — {@code LineFramer}, {@code CommandParser}, {@code SessionMachine}, {@code SessionDriver}
 * — against a real Maildir. The first octet chooses the client's queue size (back-pressure) and
 * whether a STLS handshake succeeds; the second seeds where the stream is cut; the rest is what
 * the client sends. Invariants: no exception escapes; every answer is well-formed POP3
 * ({@link ReplyChecker}) and bounded; nothing is written after the session ended and the state is
 * then {@code Closed} or the session is ending; no maildrop stays locked; and (no TLS) the octets
 * the client gets do not depend on how its input was cut or how fast it reads.
 */
class Pop3StreamFuzzTest {
    private static final int[] QUEUE_CAPACITIES = {Integer.MAX_VALUE, 1, 100, 2000};
    private static final FuzzMaildir MAILDIR = new FuzzMaildir();
    private static final byte[] SALT = new byte[ScramCredential.SALT_OCTETS];
    private static final ScramCredential ALICE_SCRAM = ScramCredential.derive("secret", SALT, 4096);
    private static final SessionMachine MACHINE = new SessionMachine(
            new Capabilities(0, true, false, List.of("PLAIN", "LOGIN"), List.of("SCRAM-SHA-256")),
            new CommandParser(Compliance.DEFAULTS),
            List.of(new ScramSha256Mechanism(user -> user.equals("alice") ? Optional.of(ALICE_SCRAM) : Optional.empty()),
                    new PlainMechanism(), new LoginMechanism()));
    private static final FuzzRuns RUNS = new FuzzRuns("Pop3StreamFuzzTest");

    @FuzzTest(maxDuration = "30s")
    void sessionStream(byte[] input) {
        RUNS.ran();
        int options = input.length > 0 ? input[0] & 0xff : 0;
        int cutSeed = input.length > 1 ? input[1] & 0xff : 0;
        byte[] stream = input.length > 2 ? Arrays.copyOfRange(input, 2, input.length) : new byte[0];
        int capacity = QUEUE_CAPACITIES[options & 3];
        boolean tlsSucceeds = (options & 4) != 0;

        FuzzSession whole = run(stream, new int[] {stream.length}, Integer.MAX_VALUE, tlsSucceeds);
        FuzzSession cut = run(stream, cuts(stream.length, cutSeed), capacity, tlsSucceeds);
        if (!whole.tlsStarted) {
            assertEquals(withoutChallenges(whole.wire.toByteArray()), withoutChallenges(cut.wire.toByteArray()),
                    "the answers depend on how the input was cut (seed " + cutSeed + ") or read (queue " + capacity + ")");
        }
    }

    /** A SCRAM server-first message carries a random nonce (RFC 5802 §5.1): challenges compare as "+ *". */
    static String withoutChallenges(byte[] wire) {
        return new String(wire, java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("(?m)^\\+ [^\r\n]*", "+ *");
    }

    private static FuzzSession run(byte[] stream, int[] cuts, int capacity, boolean tlsSucceeds) {
        MAILDIR.reset();
        FuzzSession session = new FuzzSession(MACHINE, MAILDIR, capacity, tlsSucceeds);
        session.start();
        int lines = 0;
        int offset = 0;
        for (int length : cuts) {
            for (int round = 0; round < 1000 && session.inputPaused && session.drain(); round++) {
                // the client reads before it may send more (TCP pushes back meanwhile)
            }
            session.driver.received(stream, offset, length);
            for (int i = offset; i < offset + length; i++) {
                lines += stream[i] == '\n' ? 1 : 0;
            }
            offset += length;
        }
        session.finish();
        assertTrue(session.problems.isEmpty(), () -> String.join("\n", session.problems));
        assertTrue(session.segments <= lines + 3,
                session.segments + " answers to " + lines + " lines (greeting, goodbye and a cut last line aside)");
        assertTrue(session.driver.phase() == dev.pop3d.pop3.driver.SessionDriver.Phase.CLOSED);
        if (session.ended && session.driver.state() instanceof State.Transaction) {
            assertFalse(session.committed, "UPDATE ran, yet the session stays in TRANSACTION");
        }
        assertFalse(MAILDIR.locked("alice") || MAILDIR.locked("bob"), "a maildrop is still locked after the session");
        return session;
    }

    /** Cut points from a small seed: runs of 1 to 64 octets, or the whole stream for seed 0. */
    static int[] cuts(int length, int seed) {
        if (seed == 0 || length == 0) {
            return new int[] {length};
        }
        int[] out = new int[length];
        int n = 0;
        long x = seed * 0x9E3779B97F4A7C15L;
        for (int at = 0; at < length; n++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            int piece = (int) Math.min(length - at, 1 + Math.floorMod(x, seed % 2 == 1 ? 3 : 64));
            out[n] = piece;
            at += piece;
        }
        return Arrays.copyOf(out, n);
    }

    @AfterAll
    static void ranInputs() {
        MAILDIR.close();
        RUNS.requireInputs();
    }
}

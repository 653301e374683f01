package dev.pop3d.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.ServerProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, row 3: guessing passwords from one address and hanging up on every PASS not answered
 * within 150 ms. The old build checked every guess at once and skipped the failure delay, the log
 * line and the metric on a hang-up: hundreds of guesses a second, the real one found, nothing in
 * the log.
 */
class HangupGuessIT {
    @TempDir
    Path dir;

    /** pop3.limits.max-connections-per-address default. */
    private static final int LIMIT = 20;
    /** pop3.auth.penalty.delays defaults: 2, 4, 8, then 15 s from the 4th failure on. */
    private static final int FAILURES_TO_MAX_PENALTY = 4;
    private static final int MAX_PENALTY_SECONDS = 15;
    /** pop3.auth.failure-delay default. */
    private static final int FAILURE_DELAY_SECONDS = 1;
    private static final int WINDOW_SECONDS = 4;

    /*
     * The bound on guesses (PASS lines) one address gets in, for any window shorter than
     * MAX_PENALTY + FAILURE_DELAY = 16 s:
     * - a connection holds one of the LIMIT = 20 per-address slots from connect until its check
     *   and its delays are over, hang-up or not; every attempt holds it >= the 1 s failure delay;
     * - when guess k arrives, every earlier guess that gave its slot back has been counted as a
     *   failure, and at most LIMIT - 1 = 19 others still hold one: the address has >= k - 20
     *   failures; from k = LIMIT + FAILURES_TO_MAX_PENALTY = 24 on that is >= 4, so guess k
     *   waits the 15 s penalty and holds its slot >= 15 + 1 = 16 s;
     * - so at most 23 guesses are "cheap", and each of the 20 slots can start at most one
     *   16-second guess in the window: sent <= 23 + 20 = 43, whatever the window (< 16 s) and the
     *   concurrency. (The old build: 150 ms per guess per connection, ~100-300 a second.)
     * A penalised guess is checked only after its penalty, long after the attacker hung up, so
     * its answer reaches no one: a right password there is not learnt (the tool sees no +OK).
     */
    static final int MAX_GUESSES_IN_WINDOW = (LIMIT + FAILURES_TO_MAX_PENALTY - 1) + LIMIT;

    @Test
    void hangingUpBuysNoGuessesAndEveryAttemptIsLogged() throws Exception {
        try (ServerProcess server = AttackTool.server(dir.resolve("server")).user("alice", "alice-pw").start()) {
            AttackTool guess = AttackTool.run(60, "HangupGuess", "--host", "127.0.0.1",
                    "--port", String.valueOf(server.port()), "--from", "127.0.0.2", "--user", "alice",
                    "--seconds", String.valueOf(WINDOW_SECONDS), "--max-guesses", "2000", "--wait-ms", "150",
                    "--concurrency", "24", "--real-password", "alice-pw", "--real-at", "21");
            long sent = guess.number("sent");
            assertTrue(sent > 0, guess.toString());
            assertTrue(sent <= MAX_GUESSES_IN_WINDOW, "guesses beyond the bound " + MAX_GUESSES_IN_WINDOW + ": " + guess);
            assertTrue(guess.number("answered") <= sent, guess.toString());
            assertFalse(guess.bool("realAccepted"), "the real password was found: " + guess);

            // every attempt is logged once its penalty and delay are paid (<= 16 s after it): as
            // auth-fail, except the real password, which the server may still check and log as
            // auth-ok after the attacker has hung up (a FIN only half-closes: the check runs)
            long deadline = System.nanoTime() + (MAX_PENALTY_SECONDS + FAILURE_DELAY_SECONDS + 5) * 1_000_000_000L;
            while (logged(server, "auth-") < sent && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertEquals(sent, logged(server, "auth-"), "auth-* lines from 127.0.0.2 vs guesses sent: " + guess);
            assertTrue(logged(server, "auth-fail") >= sent - 1, "auth-fail lines: " + guess);
        }
    }

    /** Access-log lines of {@code event} (a prefix) from the attacker's address. */
    private static long logged(ServerProcess server, String event) throws Exception {
        return server.log().lines()
                .filter(line -> line.contains("event=" + event) && line.contains("client=127.0.0.2:"))
                .count();
    }
}

package dev.pop3d.pop3.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MessageRef;
import dev.pop3d.pop3.protocol.Capabilities;
import dev.pop3d.pop3.session.Action;
import dev.pop3d.pop3.session.AuthOutcome;
import dev.pop3d.pop3.session.SessionMachine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The session loop against fake effects: ordering, back-pressure, half-close, limits, final outcomes. */
class SessionDriverTest {
    /** A transport whose queue holds {@code capacity} octets until the test drains it. */
    static final class FakeEffects implements Effects {
        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();
        int capacity = Integer.MAX_VALUE;
        int queued;
        boolean inputPaused;
        boolean ended;
        Consumer<AuthOutcome> pendingLogin;
        Maildrop drop = new FakeDrop(2000);

        public void write(byte[] bytes) {
            wire.writeBytes(bytes);
            queued += bytes.length;
        }

        public boolean writeQueueFull() { return queued >= capacity; }

        public void pauseInput() { inputPaused = true; }

        public void resumeInput() { inputPaused = false; }

        public void end() { ended = true; events.add("end"); }

        public void close() { ended = true; events.add("close"); }

        public void armIdleTimer() {}

        public void cancelIdleTimer() {}

        public void authenticate(Action.Authenticate a, Consumer<AuthOutcome> done) {
            events.add("authenticate " + a.user());
            pendingLogin = done; // the test decides when the worker answers
        }

        public void stream(Action.Stream s, Consumer<StreamOutcome> done) {
            write(("+OK " + s.status() + "\r\nbody\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
            done.accept(new StreamOutcome.Sent());
        }

        public void commit(Action.Commit c, Consumer<Boolean> done) {
            events.add("commit " + c.marked());
            done.accept(true);
        }

        public void release(Maildrop d) { events.add("release"); }

        Consumer<Boolean> pendingTls;

        public void startTls(Consumer<Boolean> done) { pendingTls = done; }

        public void commandDone(String verb, boolean ok) { events.add(verb + (ok ? " ok" : " err")); }

        public void authenticated(String user, AuthOutcome outcome) { events.add("auth " + outcome.kind()); }

        String text() { return wire.toString(StandardCharsets.ISO_8859_1); }

        List<String> lines() { return List.of(text().split("\r\n")); }

        void drainAll(SessionDriver driver) {
            queued = 0;
            driver.drained();
        }
    }

    record FakeDrop(int count) implements Maildrop {
        public String user() { return "alice"; }

        public List<MessageRef> messages() {
            return IntStream.rangeClosed(1, count).mapToObj(n -> new MessageRef(n, "uid" + n, 100)).toList();
        }

        public Path path(MessageRef message) { throw new UnsupportedOperationException(); }

        public void commit(Set<Integer> deleted) {}

        public void release() {}
    }

    private final FakeEffects effects = new FakeEffects();
    private final SessionDriver driver = new SessionDriver(new SessionMachine(new Capabilities(0)), effects,
            new SessionDriver.Limits(10));

    private void send(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        driver.received(bytes, 0, bytes.length);
    }

    private void loggedIn() {
        driver.start();
        send("USER alice\r\nPASS pw\r\n");
        effects.pendingLogin.accept(new AuthOutcome.Success(effects.drop));
    }

    @Test
    void linesPipelinedBehindALoginWaitForItAndAreAnsweredInOrder() {
        driver.start();
        send("USER alice\r\nPASS pw\r\nSTAT\r\nNOOP\r\n");
        assertEquals(List.of("+OK pop3d ready.", "+OK"), effects.lines());
        assertFalse(effects.inputPaused, "input keeps flowing (a hang-up is seen), but no line is handled");
        effects.pendingLogin.accept(new AuthOutcome.Success(effects.drop));
        assertEquals(List.of("+OK pop3d ready.", "+OK", "+OK Logged in.", "+OK 2000 200000", "+OK"), effects.lines());
    }

    @Test
    void anUnreadFloodOfRepliesStopsTheLoopUntilTheQueueDrains() {
        driver.start();
        effects.capacity = 1000;
        send("CAPA\r\n".repeat(60));
        int afterFlood = effects.wire.size();
        assertTrue(afterFlood < 1000 + 200, "at most one reply beyond the limit is queued: " + afterFlood);
        assertTrue(effects.inputPaused);
        long capas = effects.lines().stream().filter(l -> l.equals("CAPA")).count();
        for (int round = 0; round < 100 && capas < 60; round++) {
            effects.drainAll(driver);
            capas = effects.lines().stream().filter(l -> l.equals("CAPA")).count();
        }
        assertEquals(60, capas, "every CAPA is answered once the client reads");
    }

    @Test
    void aLongListIsWrittenInChunksAsTheQueueDrains() {
        loggedIn();
        effects.capacity = 4096;
        int before = effects.wire.size();
        send("LIST\r\nNOOP\r\n");
        assertTrue(effects.wire.size() - before < 4096 + SessionDriver.REPLY_CHUNK_OCTETS + 100,
                "a 2,000-line LIST is not queued whole");
        assertFalse(effects.text().endsWith("+OK\r\n"), "NOOP waits behind the LIST");
        for (int round = 0; round < 100 && !effects.text().endsWith(".\r\n+OK\r\n"); round++) {
            effects.drainAll(driver);
        }
        assertTrue(effects.text().contains("\r\n2000 100\r\n.\r\n+OK\r\n"), "the LIST ends, then NOOP is answered");
    }

    @Test
    void halfCloseAnswersEveryLineThenEnds() {
        driver.start();
        send("USER alice\r\nPASS pw\r\nSTAT\r\nQUIT\r\n");
        driver.inputEnded();
        assertFalse(effects.ended, "not before the login answered");
        effects.pendingLogin.accept(new AuthOutcome.Success(effects.drop));
        assertEquals(5, effects.lines().size(), effects.lines().toString());
        assertTrue(effects.events.contains("commit []"));
        assertTrue(effects.ended);
    }

    @Test
    void theCommandMetricRecordsTheFinalOutcome() {
        driver.start();
        send("USER alice\r\nPASS wrong\r\n");
        effects.pendingLogin.accept(new AuthOutcome.BadCredentials());
        assertTrue(effects.events.contains("PASS err"), effects.events.toString());
        assertFalse(effects.events.contains("PASS ok"), effects.events.toString());
    }

    @Test
    void aLoginThatEndsAfterTheClientHungUpIsCountedAndItsMaildropReleased() {
        driver.start();
        send("USER alice\r\nPASS pw\r\n");
        driver.closed();
        effects.pendingLogin.accept(new AuthOutcome.Success(effects.drop));
        assertTrue(effects.events.contains("auth SUCCESS"));
        assertTrue(effects.events.contains("release"), effects.events.toString());
    }

    @Test
    void tooManyBadCommandsEndTheSession() {
        driver.start();
        send("BOGUS\r\n".repeat(12));
        List<String> lines = effects.lines();
        assertEquals("-ERR Too many bad commands, closing connection", lines.get(lines.size() - 1));
        assertEquals(11, lines.size(), "greeting, nine answers, goodbye");
        assertTrue(effects.ended);
    }

    @Test
    void shutdownWaitsForTheCommandInProgress() {
        driver.start();
        send("USER alice\r\nPASS pw\r\n");
        driver.shutdown();
        assertFalse(effects.ended);
        effects.pendingLogin.accept(new AuthOutcome.Success(effects.drop));
        List<String> lines = effects.lines();
        assertEquals("+OK Logged in.", lines.get(2));
        assertEquals("-ERR [SYS/TEMP] Server shutting down", lines.get(3));
        assertTrue(effects.ended);
    }
}

package dev.pop3d.intake.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The session loop with a fake adapter: pipelining, chunking, SIZE, long lines, EOF, back-pressure. */
class IntakeDriverTest {
    /** Records what the driver asks; lookups and deliveries wait until {@link #runPending()}. */
    static final class FakeEffects implements IntakeEffects {
        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        final Queue<Runnable> pending = new ArrayDeque<>();
        final List<String> messages = new ArrayList<>();
        final Set<String> users = Set.of("zed", "amy");
        boolean closed;
        boolean paused;
        boolean queueFull;
        int aborted;

        @Override
        public void write(byte[] bytes) {
            wire.writeBytes(bytes);
        }

        @Override
        public boolean writeQueueFull() {
            return queueFull;
        }

        @Override
        public void pauseInput() {
            paused = true;
        }

        @Override
        public void resumeInput() {
            paused = false;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void lookup(String localPart, Consumer<Lookup> done) {
            pending.add(() -> done.accept(localPart.equals("broken") ? new Lookup.Failed()
                    : users.contains(localPart) ? new Lookup.Found(localPart) : new Lookup.Unknown()));
        }

        @Override
        public MessageSink receive(Envelope envelope) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            return new MessageSink() {
                @Override
                public void write(byte[] bytes, int offset, int length) {
                    body.write(bytes, offset, length);
                }

                @Override
                public void finish(Consumer<List<Outcome>> done) {
                    pending.add(() -> {
                        messages.add(body.toString(StandardCharsets.ISO_8859_1));
                        done.accept(envelope.recipients().stream().map(r -> Outcome.STORED).toList());
                    });
                }

                @Override
                public void abort() {
                    aborted++;
                }
            };
        }

        void runPending() {
            Runnable next;
            while ((next = pending.poll()) != null) {
                next.run();
            }
        }

        String wire() {
            return wire.toString(StandardCharsets.US_ASCII);
        }
    }

    static final String SESSION = "LHLO c\r\nMAIL FROM:<bob@example.net>\r\nRCPT TO:<zed@example.org>\r\n"
            + "RCPT TO:<nobody@example.org>\r\nRCPT TO:<amy@example.org>\r\nDATA\r\nSubject: hi\r\n\r\n..dot\r\n.\r\n"
            + "NOOP\r\nQUIT\r\n";
    static final String REPLIES = "220 mx.test pop3d LMTP ready\r\n"
            + "250-mx.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 SIZE 1000\r\n"
            + "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <nobody@example.org>: no such user\r\n250 2.1.5 Ok\r\n"
            + "354 Start mail input; end with <CRLF>.<CRLF>\r\n"
            + "250 2.0.0 <zed@example.org> Delivered\r\n250 2.0.0 <amy@example.org> Delivered\r\n"
            + "250 2.0.0 Ok\r\n221 2.0.0 mx.test Bye\r\n";

    private static IntakeDriver driver(FakeEffects effects, long maxSize) {
        IntakeDriver driver = new IntakeDriver(new IntakeMachine(Dialect.LMTP, "mx.test",
                new IntakeMachine.Limits(maxSize, 100, 20)), effects);
        driver.start();
        return driver;
    }

    @Test
    void aPipelinedSessionInOneChunkAndByteByByte() {
        FakeEffects whole = new FakeEffects();
        IntakeDriver d = driver(whole, 1000);
        byte[] bytes = SESSION.getBytes(StandardCharsets.US_ASCII);
        d.received(bytes, 0, bytes.length);
        while (!whole.pending.isEmpty()) {
            whole.runPending();
        }
        assertEquals(REPLIES, whole.wire());
        assertEquals(List.of("Subject: hi\r\n\r\n.dot\r\n"), whole.messages);
        assertTrue(whole.closed);

        FakeEffects single = new FakeEffects();
        IntakeDriver s = driver(single, 1000);
        for (byte b : bytes) {
            s.received(new byte[] {b}, 0, 1);
            single.runPending();
        }
        assertEquals(REPLIES, single.wire());
        assertEquals(whole.messages, single.messages);
    }

    @Test
    void aMessageOverSizeIsReadToItsEndAndNotStored() { // RFC 1870 §6.3
        FakeEffects effects = new FakeEffects();
        IntakeDriver d = driver(effects, 1024);
        String session = "LHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<zed@x>\r\nDATA\r\n" + "x".repeat(1030) + "\r\n.\r\nNOOP\r\n";
        byte[] bytes = session.getBytes(StandardCharsets.US_ASCII);
        d.received(bytes, 0, 1000);
        effects.runPending();
        d.received(bytes, 1000, bytes.length - 1000);
        effects.runPending();
        assertTrue(effects.wire().endsWith("354 Start mail input; end with <CRLF>.<CRLF>\r\n"
                + "552 5.3.4 <zed@x> Message size exceeds fixed maximum message size\r\n250 2.0.0 Ok\r\n"), effects.wire());
        assertEquals(List.of(), effects.messages);
        assertTrue(effects.aborted >= 1);
    }

    @Test
    void aLineOver512OctetsIsAnsweredOnceAndTheSessionGoesOn() {
        FakeEffects effects = new FakeEffects();
        IntakeDriver d = driver(effects, 1000);
        String ok = "NOOP " + "x".repeat(505) + "\r\n"; // 512 with CRLF
        String tooLong = "NOOP " + "x".repeat(506) + "\r\n";
        String flood = "NOOP " + "y".repeat(100_000) + "\r\n";
        for (String line : new String[] {ok, tooLong, flood, "NOOP\r\n"}) {
            byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < bytes.length; i += 4096) {
                d.received(bytes, i, Math.min(4096, bytes.length - i));
            }
        }
        assertEquals("220 mx.test pop3d LMTP ready\r\n250 2.0.0 Ok\r\n500 5.5.2 Line too long\r\n"
                + "500 5.5.2 Line too long\r\n250 2.0.0 Ok\r\n", effects.wire());
    }

    @Test
    void endOfInputInsideDataStoresNothing() {
        FakeEffects effects = new FakeEffects();
        IntakeDriver d = driver(effects, 1000);
        byte[] bytes = "LHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<zed@x>\r\nDATA\r\nhalf a mess".getBytes(StandardCharsets.US_ASCII);
        d.received(bytes, 0, bytes.length);
        effects.runPending();
        d.inputEnded();
        assertTrue(effects.closed);
        assertEquals(1, effects.aborted);
        assertEquals(List.of(), effects.messages);
    }

    @Test
    void aLookupFailureIsTemporaryAndPipelinedCommandsWaitForIt() {
        FakeEffects effects = new FakeEffects();
        IntakeDriver d = driver(effects, 1000);
        byte[] bytes = "LHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<broken@x>\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII);
        d.received(bytes, 0, bytes.length);
        assertTrue(d.busy());
        assertFalse(effects.wire().contains("250 2.0.0 Ok"), "NOOP waits for the RCPT before it");
        effects.runPending();
        assertTrue(effects.wire().endsWith("451 4.3.0 <broken@x>: temporary failure, try again later\r\n250 2.0.0 Ok\r\n"));
    }

    @Test
    void unreadRepliesStopTheReadingAndDrainResumesIt() {
        FakeEffects effects = new FakeEffects();
        IntakeDriver d = driver(effects, 1000);
        effects.queueFull = true;
        byte[] bytes = "NOOP\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII);
        d.received(bytes, 0, bytes.length);
        assertTrue(effects.paused);
        assertEquals("220 mx.test pop3d LMTP ready\r\n", effects.wire());
        effects.queueFull = false;
        d.drained();
        assertFalse(effects.paused);
        assertEquals("220 mx.test pop3d LMTP ready\r\n250 2.0.0 Ok\r\n250 2.0.0 Ok\r\n", effects.wire());
    }

    @Test
    void waitingInputBeyondItsBoundPausesTheSocket() {
        FakeEffects effects = new FakeEffects();
        IntakeDriver d = driver(effects, 1000);
        byte[] first = "LHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<zed@x>\r\n".getBytes(StandardCharsets.US_ASCII);
        d.received(first, 0, first.length);
        byte[] noops = "NOOP\r\n".repeat(12_000).getBytes(StandardCharsets.US_ASCII);
        d.received(noops, 0, noops.length);
        assertTrue(effects.paused, "72 KB wait behind a lookup");
        effects.runPending();
        assertFalse(effects.paused);
    }

    @Test
    void timeoutAndShutdown() {
        FakeEffects effects = new FakeEffects();
        IntakeDriver d = driver(effects, 1000);
        d.timedOut();
        assertTrue(effects.wire().endsWith("421 4.4.2 mx.test Timeout, closing connection\r\n"));
        assertTrue(effects.closed);

        FakeEffects busy = new FakeEffects();
        IntakeDriver b = driver(busy, 1000);
        byte[] bytes = "LHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<zed@x>\r\n".getBytes(StandardCharsets.US_ASCII);
        b.received(bytes, 0, bytes.length);
        b.shutdown();
        assertFalse(busy.closed, "a busy session is told after its reply");
        busy.runPending();
        assertTrue(busy.wire().endsWith("250 2.1.5 Ok\r\n421 4.3.2 mx.test Service shutting down, try again later\r\n"));
        assertTrue(busy.closed);
    }

    /** Property: random input in random chunks never throws, and every reply line is well formed (seed printed). */
    @Test
    void randomInputNeverBreaksTheSession() {
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        String[] words = {"LHLO c\r\n", "MAIL FROM:<a@b>\r\n", "RCPT TO:<zed@x>\r\n", "DATA\r\n", ".\r\n", "\r\n.\r\n",
            "RSET\r\n", "\n", "\r", ".", "x", "\0", "\u00ff", " SIZE=9", "<", ">", ":"};
        for (int round = 0; round < 300; round++) {
            FakeEffects effects = new FakeEffects();
            IntakeDriver d = new IntakeDriver(new IntakeMachine(Dialect.LMTP, "mx.test",
                    new IntakeMachine.Limits(2048, 100, 1000)), effects);
            d.start();
            StringBuilder input = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                input.append(random.nextInt(4) == 0 ? (char) random.nextInt(256) : words[random.nextInt(words.length)]);
            }
            byte[] bytes = input.toString().getBytes(StandardCharsets.ISO_8859_1);
            try {
                for (int i = 0; i < bytes.length; ) {
                    int n = Math.min(bytes.length - i, 1 + random.nextInt(16));
                    d.received(bytes, i, n);
                    effects.runPending();
                    i += n;
                }
                d.inputEnded();
                effects.runPending();
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " round " + round + ": " + e, e);
            }
            for (String line : effects.wire().split("\r\n")) {
                assertTrue(line.matches("[2-5][0-9]{2}[ -][\\x20-\\x7e]*"), "seed " + seed + ": " + line);
            }
            assertTrue(effects.closed, "seed " + seed + ": the end of input closes");
        }
    }
}

package dev.pop3d.fuzz;

import dev.pop3d.mailcodec.DotStuffer;
import dev.pop3d.mailstore.MailboxInUseException;
import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MailstoreException;
import dev.pop3d.mailstore.OpenedMessage;
import dev.pop3d.pop3.driver.Effects;
import dev.pop3d.pop3.driver.SessionDriver;
import dev.pop3d.pop3.driver.StreamOutcome;
import dev.pop3d.pop3.protocol.Reply;
import dev.pop3d.pop3.protocol.ReplyEncoder;
import dev.pop3d.pop3.protocol.ResponseCode;
import dev.pop3d.pop3.protocol.TopLimiter;
import dev.pop3d.pop3.session.Action;
import dev.pop3d.pop3.session.AuthOutcome;
import dev.pop3d.pop3.session.SessionMachine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The production {@link SessionDriver} on effects that do for real what the socket adapter does
 * on workers (login, RETR/TOP from the Maildir files, UPDATE), synchronously, with a client queue
 * of a chosen size. Every command's octets are checked by {@link ReplyChecker} when the driver
 * reports the command done; anything written after the session ended is a failure.
 */
final class FuzzSession implements Effects {
    static final Map<String, String> PASSWORDS = Map.of("alice", "secret", "bob", "hunter2");
    /** No answer here is longer: a RETR of a fixture message, a LIST of three, CAPA. */
    static final int MAX_SEGMENT_OCTETS = 4096;

    private final FuzzMaildir maildir;
    private final int queueCapacity;
    private final boolean tlsSucceeds;
    final SessionDriver driver;
    final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    final List<String> problems = new ArrayList<>();
    private final ByteArrayOutputStream segment = new ByteArrayOutputStream();
    private int queued;
    boolean inputPaused;
    boolean ended;
    boolean committed;
    boolean tlsStarted;
    int segments;

    FuzzSession(SessionMachine machine, FuzzMaildir maildir, int queueCapacity, boolean tlsSucceeds) {
        this.maildir = maildir;
        this.queueCapacity = queueCapacity;
        this.tlsSucceeds = tlsSucceeds;
        this.driver = new SessionDriver(machine, this, new SessionDriver.Limits(10));
    }

    /** Greets; the greeting is checked as the answer to nothing. */
    void start() {
        driver.start();
        check("greeting", true);
    }

    /** The client reads everything queued; true if that let the server go on. */
    boolean drain() {
        int before = wire.size();
        queued = 0;
        driver.drained();
        return wire.size() != before;
    }

    /** After the last input: half-close, let the queue drain until nothing moves, then the transport goes. */
    void finish() {
        driver.inputEnded();
        for (int round = 0; round < 10_000 && drain(); round++) {
            // each round writes one chunk more
        }
        if (segment.size() > 0) {
            check("last", false); // a goodbye, or QUIT's answer after UPDATE
        }
        driver.closed();
    }

    private void check(String verb, boolean required) {
        byte[] octets = segment.toByteArray();
        segment.reset();
        if (required && octets.length == 0) {
            problems.add("no " + verb);
        }
        if (octets.length > MAX_SEGMENT_OCTETS) {
            problems.add(verb + " wrote " + octets.length + " octets");
        }
        if (octets.length > 0) {
            segments++;
        }
        for (String problem : ReplyChecker.problems(verb, octets)) {
            problems.add(verb + ": " + problem);
        }
    }

    // ---- transport

    @Override
    public void write(byte[] bytes) {
        if (ended) {
            problems.add("wrote " + bytes.length + " octets after the session ended");
        }
        wire.writeBytes(bytes);
        segment.writeBytes(bytes);
        queued += bytes.length;
    }

    @Override
    public boolean writeQueueFull() {
        return queued >= queueCapacity;
    }

    @Override
    public void pauseInput() {
        inputPaused = true;
    }

    @Override
    public void resumeInput() {
        inputPaused = false;
    }

    @Override
    public void end() {
        if (segment.size() > 0) {
            check("last", false);
        }
        ended = true;
    }

    @Override
    public void close() {
        end();
    }

    @Override
    public void armIdleTimer() {}

    @Override
    public void cancelIdleTimer() {}

    @Override
    public void commandDone(String verb, boolean ok) {
        check(verb, false);
    }

    // ---- actions, for real but synchronously

    @Override
    public void authenticate(Action.Authenticate auth, Consumer<AuthOutcome> done) {
        boolean right = auth.check() instanceof Action.Check.Password p
                ? p.password().equals(PASSWORDS.get(auth.user()))
                : auth.check() instanceof Action.Check.Proven && PASSWORDS.containsKey(auth.user());
        if (!right) {
            done.accept(new AuthOutcome.BadCredentials());
            return;
        }
        AuthOutcome outcome;
        try {
            outcome = new AuthOutcome.Success(maildir.store.open(auth.user()));
        } catch (MailboxInUseException e) {
            outcome = new AuthOutcome.InUse();
        } catch (MailstoreException e) {
            outcome = new AuthOutcome.Unavailable();
        }
        done.accept(outcome);
    }

    @Override
    public void stream(Action.Stream stream, Consumer<StreamOutcome> done) {
        byte[] message;
        try (OpenedMessage opened = stream.drop().open(stream.message())) {
            ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(opened.octets()));
            while (all.hasRemaining() && opened.channel().read(all) > 0) {
                // a fixture message is read whole
            }
            message = all.array();
        } catch (MailstoreException | IOException e) {
            done.accept(new StreamOutcome.Refused(Reply.err(ResponseCode.SYS_TEMP, "Message cannot be read")));
            return;
        }
        int length = stream.bodyLines().isPresent()
                ? new TopLimiter(stream.bodyLines().getAsLong()).accept(message, 0, message.length) : message.length;
        DotStuffer stuffer = new DotStuffer();
        byte[] body = new byte[DotStuffer.maxOutput(length)];
        write(ReplyEncoder.status(stream.status()));
        int n = stuffer.stuff(message, 0, length, body);
        write(java.util.Arrays.copyOf(body, n));
        write(stuffer.finish());
        done.accept(new StreamOutcome.Sent());
    }

    @Override
    public void commit(Action.Commit commit, Consumer<Boolean> done) {
        committed = true;
        try {
            commit.drop().commit(commit.marked());
            done.accept(true);
        } catch (MailstoreException e) {
            done.accept(false);
        }
    }

    @Override
    public void startTls(Consumer<Boolean> done) {
        tlsStarted = true;
        done.accept(tlsSucceeds);
    }

    @Override
    public void release(Maildrop drop) {
        drop.release();
    }
}

package dev.pop3d.pop3.driver;

import dev.pop3d.pop3.protocol.Command;
import dev.pop3d.pop3.protocol.LineFramer;
import dev.pop3d.pop3.protocol.ParsedLine;
import dev.pop3d.pop3.protocol.RawLine;
import dev.pop3d.pop3.protocol.Rejected;
import dev.pop3d.pop3.protocol.Reply;
import dev.pop3d.pop3.protocol.ResponseCode;
import dev.pop3d.pop3.protocol.SessionFacts;
import dev.pop3d.pop3.protocol.Verb;
import dev.pop3d.pop3.session.Action;
import dev.pop3d.pop3.session.AuthOutcome;
import dev.pop3d.pop3.session.SessionMachine;
import dev.pop3d.pop3.session.State;
import dev.pop3d.pop3.session.Step;
import java.util.ArrayDeque;

/**
 * One POP3 session's loop, free of Vert.x: it frames input, asks the pure {@link SessionMachine}
 * what each line means, writes the replies and runs the actions through {@link Effects}, one
 * command at a time (pipelined lines wait in order, RFC 2449 §6.6). Back-pressure is a property of
 * the loop: after any write that fills the client's queue, it reads and handles nothing more until
 * the queue drains — a client that pipelines and never reads costs one reply's chunk, not a heap.
 * The same driver runs behind the socket adapter and the in-process test server.
 */
public final class SessionDriver {
    /** Where the session is in its life; the POP3 state proper is {@link State}. */
    public enum Phase {
        /** Handling lines (unless a reply is still being written). */
        READY,
        /** An action (login, stream, UPDATE) runs: no line is handled. */
        ACTING,
        /** The last reply is going out; nothing more is read. */
        ENDING,
        /** The transport is gone. */
        CLOSED
    }

    static final Reply.Err LOGIN_TIMEOUT = Reply.err("Login timeout, closing connection");

    /** Pipelined lines waiting beyond this many pause the input (TCP pushes back on the client). */
    static final int MAX_PENDING_LINES = 64;
    static final int REPLY_CHUNK_OCTETS = ReplyPump.REPLY_CHUNK_OCTETS;

    /** @param maxBadCommands bad commands in a row before -ERR and close */
    public record Limits(int maxBadCommands) {}

    private final SessionMachine machine;
    private final Effects effects;
    private final Limits limits;
    private final LineFramer framer;
    private final ArrayDeque<RawLine> pending = new ArrayDeque<>();
    private State state = new State.Authorization();
    private Phase phase = Phase.READY;
    private final ReplyPump replies;
    private int badInRow;
    private boolean inputEnded;
    /** A stream or reply filled the client's queue: the next line waits for {@link #drained()}. */
    private boolean awaitingDrain;
    /** The idle timer runs; it is re-armed by a complete command line, never by stray octets. */
    private boolean idleArmed;
    /** The login deadline passed while a command ran: goodbye after it unless it logged in. */
    private boolean loginExpired;
    private boolean shutdownRequested;
    /** TLS is up (implicit, or after STLS): the session's facts are those of a secure channel. */
    private boolean secure;
    /** Between STLS and the end of the handshake: plaintext sent meanwhile is dropped (RFC 2595 §4). */
    private boolean discardInput;
    private SessionFacts facts;

    public SessionDriver(SessionMachine machine, Effects effects, Limits limits) {
        this(machine, effects, limits, false);
    }

    /** @param secure the channel is TLS from the start (RFC 8314 implicit TLS) */
    public SessionDriver(SessionMachine machine, Effects effects, Limits limits, boolean secure) {
        this.machine = machine;
        this.effects = effects;
        this.limits = limits;
        this.secure = secure;
        this.framer = new LineFramer(machine.maxLineOctets());
        this.replies = new ReplyPump(effects);
    }

    public boolean secure() {
        return secure;
    }

    public Phase phase() {
        return phase;
    }

    public State state() {
        return state;
    }

    /** Greets the client. */
    public void start() {
        send(machine.greeting(), this::idle);
    }

    /** Octets from the client, in order. */
    public void received(byte[] bytes, int offset, int length) {
        if (phase == Phase.ENDING || phase == Phase.CLOSED || discardInput) {
            return; // the last reply is out, or plaintext injected ahead of the TLS handshake
        }
        pending.addAll(framer.feed(bytes, offset, length));
        if (pending.size() > MAX_PENDING_LINES) {
            effects.pauseInput();
        }
        drain();
    }

    /** The client half-closed: every line received before is answered, then the session ends. */
    public void inputEnded() {
        inputEnded = true;
        drain();
    }

    /** The client's queue drained: go on writing, then handling lines. */
    public void drained() {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (!replies.drained() && awaitingDrain) {
            awaitingDrain = false;
            drain();
        }
    }

    /** The server is stopping: an idle session is told now, a busy one when its command ends. */
    public void shutdown() {
        shutdownRequested = true;
        if (phase == Phase.READY && !replies.busy()) {
            goodbye(Reply.err(ResponseCode.SYS_TEMP, "Server shutting down"));
        }
    }

    /** No successful login within the time allowed since connect (not the RFC 1939 autologout). */
    public void loginExpired() {
        if (state instanceof State.Transaction || phase == Phase.ENDING || phase == Phase.CLOSED) {
            return;
        }
        loginExpired = true;
        if (phase == Phase.READY && !replies.busy()) {
            effects.timedOut();
            goodbye(LOGIN_TIMEOUT);
        }
    }

    /** RFC 1939 §3 autologout. */
    public void idleExpired() {
        if (phase != Phase.READY) {
            return;
        }
        effects.timedOut();
        if (replies.busy()) {
            phase = Phase.ENDING; // not even the last reply is read: nothing more can be said
            effects.close();
            return;
        }
        goodbye(Reply.err("Disconnected for inactivity."));
    }

    /** The transport closed (client, cut or end): an open maildrop is released without UPDATE. */
    public void closed() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        replies.abandon();
        cancelIdle();
        if (state instanceof State.Transaction transaction) {
            effects.release(transaction.drop()); // RFC 1939 §6: no UPDATE without QUIT
        } else if (state instanceof State.SaslFinal fin) {
            effects.release(fin.drop());
        }
    }

    private void drain() {
        boolean handled = false;
        while (phase == Phase.READY && !replies.busy() && !(state instanceof State.Closed) && !pending.isEmpty()) {
            if (effects.writeQueueFull()) {
                // what the last command wrote (a TOP, a stream) is still queued: read nothing more
                awaitingDrain = true;
                effects.pauseInput();
                return;
            }
            handled = true;
            handle(pending.poll());
        }
        if (phase != Phase.READY || replies.busy() || state instanceof State.Closed) {
            return;
        }
        if (inputEnded && pending.isEmpty()) {
            phase = Phase.ENDING; // RFC 1939 §6: a session ended without QUIT has no UPDATE
            cancelIdle();
            effects.end();
            return;
        }
        effects.resumeInput();
        if (handled || !idleArmed) {
            idleArmed = true;
            effects.armIdleTimer();
        }
    }

    private void handle(RawLine raw) {
        ParsedLine line = machine.read(state, raw);
        apply(machine.handle(facts(), state, line), verbOf(line));
    }

    /** The session's facts, computed once per channel kind (they change only with TLS). */
    private SessionFacts facts() {
        if (facts == null || facts.secure() != secure) {
            facts = machine.facts(secure);
        }
        return facts;
    }

    private void apply(Step step, String verb) {
        state = step.next();
        badInRow = step.bad() ? badInRow + 1 : 0;
        if (badInRow >= limits.maxBadCommands()) {
            effects.commandDone(verb, false);
            goodbye(Reply.err("Too many bad commands, closing connection"));
            return;
        }
        boolean ok = step.reply().map(r -> r.kind() != Reply.Kind.ERR).orElse(true);
        Runnable then = () -> run(step.action(), verb, ok);
        step.reply().ifPresentOrElse(reply -> send(reply, then), then);
    }

    private void run(Action action, String verb, boolean ok) {
        switch (action.kind()) {
            case NONE -> {
                effects.commandDone(verb, ok);
                idle();
            }
            case CLOSE -> {
                effects.commandDone(verb, ok);
                effects.quit(0, true);
                end();
            }
            case AUTHENTICATE -> {
                // input keeps flowing (bounded by MAX_PENDING_LINES): a client that hangs up on a
                // slow login is seen at once, and stops counting against the global limit
                phase = Phase.ACTING;
                cancelIdle();
                Action.Authenticate authenticate = (Action.Authenticate) action;
                effects.authenticate(authenticate, outcome -> authenticated(authenticate, outcome, verb));
            }
            case STREAM -> {
                act();
                effects.stream((Action.Stream) action, outcome -> streamed(outcome, verb));
            }
            case COMMIT -> {
                act();
                Action.Commit commit = (Action.Commit) action;
                effects.commit(commit, removedAll -> committed(commit, removedAll, verb));
            }
            case RELEASE -> {
                effects.release(((Action.Release) action).drop());
                effects.commandDone(verb, ok);
                idle();
            }
            case START_TLS -> {
                act();
                // RFC 2595 §4: nothing the client sent before the handshake may be used after it
                pending.clear();
                framer.reset();
                discardInput = true;
                effects.startTls(up -> tlsStarted(up, verb));
            }
        }
    }

    private void tlsStarted(boolean ok, String verb) {
        discardInput = false;
        effects.commandDone(verb, ok);
        if (phase == Phase.CLOSED) {
            return;
        }
        if (!ok) {
            phase = Phase.ENDING;
            effects.close(); // a failed handshake leaves no channel to answer on
            return;
        }
        secure = true;
        phase = Phase.READY;
        idle();
    }

    private void authenticated(Action.Authenticate auth, AuthOutcome outcome, String verb) {
        effects.authenticated(auth.user(), outcome); // logged and counted, hang-up or not
        if (phase == Phase.CLOSED) {
            effects.commandDone(verb, false);
            if (outcome instanceof AuthOutcome.Success success) {
                effects.release(success.drop());
            }
            return;
        }
        phase = Phase.READY;
        apply(machine.authenticated(auth, outcome), verb);
    }

    private void streamed(StreamOutcome outcome, String verb) {
        switch (outcome.kind()) {
            case SENT -> {
                effects.commandDone(verb, true);
                phase = phase == Phase.CLOSED ? Phase.CLOSED : Phase.READY;
                idle();
            }
            case REFUSED -> {
                effects.commandDone(verb, false);
                if (phase != Phase.CLOSED) {
                    phase = Phase.READY;
                    send(((StreamOutcome.Refused) outcome).reply(), this::idle);
                }
            }
            case CUT -> {
                effects.commandDone(verb, false);
                if (phase != Phase.CLOSED) {
                    phase = Phase.ENDING;
                    effects.close(); // a cut body must not pass for a whole one
                }
            }
        }
    }

    private void committed(Action.Commit commit, boolean removedAll, String verb) {
        effects.commandDone(verb, removedAll);
        effects.quit(commit.marked().size(), removedAll);
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.ENDING;
        send(machine.committed(commit, removedAll), effects::end);
    }

    private void act() {
        phase = Phase.ACTING;
        cancelIdle();
        effects.pauseInput();
    }

    private void cancelIdle() {
        idleArmed = false;
        effects.cancelIdleTimer();
    }

    /** Between commands: a pending shutdown says goodbye, else the next line is handled. */
    private void idle() {
        if (phase != Phase.READY) {
            return;
        }
        if (shutdownRequested && !(state instanceof State.Closed)) {
            goodbye(Reply.err(ResponseCode.SYS_TEMP, "Server shutting down"));
            return;
        }
        if (loginExpired && !(state instanceof State.Transaction) && !(state instanceof State.Closed)) {
            effects.timedOut();
            goodbye(LOGIN_TIMEOUT);
            return;
        }
        drain();
    }

    /** A last reply, then close; the state stays, so {@link #closed()} releases an open maildrop. */
    private void goodbye(Reply reply) {
        phase = Phase.ENDING;
        pending.clear();
        cancelIdle();
        send(reply, effects::end);
    }

    private void end() {
        phase = Phase.ENDING;
        cancelIdle();
        effects.end();
    }

    private void send(Reply reply, Runnable then) {
        replies.send(reply, then);
    }

    static String verbOf(ParsedLine line) {
        if (line instanceof Command command) {
            return command.verb().name();
        }
        if (line instanceof dev.pop3d.pop3.protocol.SaslResponse) {
            return Verb.AUTH.name(); // a continuation line belongs to its AUTH
        }
        return ((Rejected) line).verb().map(Verb::name).orElse("unknown");
    }
}

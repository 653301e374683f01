package dev.pop3d.pop3.server;

import dev.pop3d.endpoint.TcpInput;
import dev.pop3d.pop3.protocol.Command;
import dev.pop3d.pop3.protocol.LineFramer;
import dev.pop3d.pop3.protocol.Rejected;
import dev.pop3d.pop3.protocol.Verb;
import dev.pop3d.pop3.protocol.ParsedLine;
import dev.pop3d.pop3.protocol.Reply;
import dev.pop3d.pop3.protocol.ReplyEncoder;
import dev.pop3d.pop3.protocol.ResponseCode;
import dev.pop3d.pop3.session.Action;
import dev.pop3d.pop3.session.AuthOutcome;
import dev.pop3d.pop3.session.State;
import dev.pop3d.pop3.session.Step;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One POP3 client connection, confined to one event loop. It frames input, asks the pure
 * {@code SessionMachine} what to do, writes the reply and runs the step's {@link Action}. While an
 * action runs it reads nothing more (the socket is paused; pipelined lines wait in order).
 */
final class Pop3Connection {
    private static final Logger LOG = Logger.getLogger(Pop3Connection.class);
    /** Pipelined lines waiting beyond this many pause the socket (TCP pushes back on the client). */
    private static final int MAX_PENDING_LINES = 64;

    private final Vertx vertx;
    private final NetSocket socket;
    private final Pop3Services services;
    private final String id;
    private final LineFramer framer;
    private final StreamRunner streams;
    private final ArrayDeque<ParsedLine> pending = new ArrayDeque<>();
    private final Runnable onClosed;
    private TcpInput input;
    /** The client half-closed: answer every line already received, then close. */
    private boolean inputEnded;
    private State state = new State.Authorization();
    private Optional<MessageStreamer.Transfer> transfer = Optional.empty();
    private String user = "-";
    private boolean busy;
    /** Counted in CCU from login until the connection closes. */
    private boolean loggedIn;
    private boolean closed;
    private boolean shuttingDown;
    /** A last reply was written and the socket is ending: no further line is handled. */
    private boolean ending;
    private int badInRow;
    private long bytesSent;
    private long idleTimer = -1;

    Pop3Connection(Vertx vertx, NetSocket socket, Pop3Services services, String id, Runnable onClosed) {
        this.vertx = vertx;
        this.socket = socket;
        this.services = services;
        this.id = id;
        this.onClosed = onClosed;
        this.framer = new LineFramer(services.parser(), services.compliance());
        this.streams = new StreamRunner(services,
                new MessageStreamer(vertx, socket, services.limits().bufferSize(), this::sent), id);
    }

    void start() {
        input = TcpInput.attach(socket, new TcpInput.Receiver() {
            @Override
            public void received(byte[] bytes) {
                Pop3Connection.this.received(bytes);
            }

            @Override
            public void inputEnded() {
                Pop3Connection.this.inputEnded = true;
                drain();
            }
        });
        socket.closeHandler(v -> closed());
        socket.exceptionHandler(e -> LOG.debugf("session=%s socket error: %s", id, e.getMessage()));
        services.accessLog().event("connect", "session", id, "client", client());
        write(services.machine().greeting());
        armIdleTimer();
    }

    /** Server shutdown: idle sessions are told now; busy ones when their command finishes. */
    void shutdown() {
        shuttingDown = true;
        if (!busy && !closed && !ending) {
            sayGoodbye(Reply.err(ResponseCode.SYS_TEMP, "Server shutting down"));
        }
    }

    /** The grace period is over: close now. An open maildrop is released, never committed. */
    void cut() {
        if (!closed) {
            socket.close();
        }
    }

    private void received(byte[] bytes) {
        if (ending) {
            return; // the last reply is out; nothing more is read
        }
        pending.addAll(framer.feed(bytes, 0, bytes.length));
        if (pending.size() > MAX_PENDING_LINES) {
            input.pause();
        }
        armIdleTimer();
        drain();
    }

    private void drain() {
        while (!busy && !closed && !ending && !(state instanceof State.Closed) && !pending.isEmpty()) {
            ParsedLine line = pending.poll();
            Step step = services.machine().handle(state, line);
            services.metrics().command(verbOf(line), step.reply().map(r -> !(r instanceof Reply.Err)).orElse(true));
            apply(step);
        }
        if (busy || closed || ending || state instanceof State.Closed) {
            return;
        }
        if (inputEnded && pending.isEmpty()) {
            // every line the client sent before its FIN is answered: RFC 1939 §6, no UPDATE
            ending = true;
            cancelIdleTimer();
            socket.end();
            return;
        }
        input.resume();
        armIdleTimer();
    }

    private void apply(Step step) {
        state = step.next();
        badInRow = step.bad() ? badInRow + 1 : 0;
        if (badInRow >= services.limits().maxBadCommands()) {
            sayGoodbye(Reply.err("Too many bad commands, closing connection"));
            return;
        }
        step.reply().ifPresent(this::write);
        run(step.action());
    }

    private void run(Action action) {
        if (action instanceof Action.Authenticate authenticate) {
            authenticate(authenticate);
        } else if (action instanceof Action.Stream stream) {
            stream(stream);
        } else if (action instanceof Action.Commit commit) {
            commit(commit);
        } else if (action instanceof Action.Close) {
            services.accessLog().event("quit", "session", id, "user", user, "bytes", bytesSent);
            socket.end();
        }
    }

    private void authenticate(Action.Authenticate auth) {
        busy();
        long started = System.nanoTime();
        services.workers().run(() -> services.loginGate().login(auth.user(), auth.password(), id))
                .onComplete(result -> {
                    AuthOutcome outcome = result.succeeded() ? result.result() : new AuthOutcome.Unavailable();
                    long waitedMs = (System.nanoTime() - started) / 1_000_000;
                    long delayMs = outcome instanceof AuthOutcome.BadCredentials
                            ? services.limits().failureDelay().toMillis() - waitedMs : 0;
                    if (delayMs > 0) {
                        vertx.setTimer(delayMs, t -> loggedIn(auth.user(), outcome));
                    } else {
                        loggedIn(auth.user(), outcome);
                    }
                });
    }

    private void loggedIn(String name, AuthOutcome outcome) {
        if (closed) {
            if (outcome instanceof AuthOutcome.Success success) {
                release(success.drop());
            }
            return;
        }
        boolean ok = outcome instanceof AuthOutcome.Success;
        services.metrics().authentication(authResult(outcome));
        if (ok) {
            user = name;
            loggedIn = true;
            services.metrics().loggedIn();
        }
        services.accessLog().event(ok ? "auth-ok" : "auth-fail", "session", id, "client", client(),
                "user", name, "result", outcome.getClass().getSimpleName());
        apply(services.machine().authenticated(outcome));
        idle();
    }

    private void stream(Action.Stream stream) {
        busy();
        streams.run(stream, () -> closed, current -> transfer = current).onComplete(result -> {
            StreamRunner.Outcome outcome = result.succeeded() ? result.result() : new StreamRunner.Outcome.Cut();
            if (outcome instanceof StreamRunner.Outcome.Cut) {
                socket.close(); // a cut body must not pass for a whole one
                return;
            }
            if (outcome instanceof StreamRunner.Outcome.Refused refused && !closed) {
                write(refused.reply());
            }
            idle();
        });
    }

    private void commit(Action.Commit commit) {
        busy();
        services.workers().run(() -> {
            try {
                commit.drop().commit(commit.marked());
                return true;
            } catch (Exception e) {
                LOG.errorf(e, "session=%s UPDATE of %s failed", id, user);
                return false;
            }
        }).onComplete(result -> {
            boolean removedAll = result.succeeded() && result.result();
            if (!closed) {
                write(services.machine().committed(commit, removedAll));
            }
            services.accessLog().event("quit", "session", id, "user", user, "deleted", commit.marked().size(),
                    "result", removedAll ? "ok" : "failed", "bytes", bytesSent);
            socket.end();
        });
    }

    private void busy() {
        busy = true;
        cancelIdleTimer();
        input.pause();
    }

    private void idle() {
        busy = false;
        if (shuttingDown && !closed && !ending && !(state instanceof State.Closed)) {
            sayGoodbye(Reply.err(ResponseCode.SYS_TEMP, "Server shutting down"));
            return;
        }
        drain();
    }

    private void sayGoodbye(Reply reply) {
        write(reply);
        ending = true; // the state stays: closed() releases an open maildrop without UPDATE
        pending.clear();
        socket.end();
    }

    private void armIdleTimer() {
        cancelIdleTimer();
        if (!busy && !closed && !ending) {
            idleTimer = vertx.setTimer(services.live().current().idleTimeout().toMillis(), t -> {
                idleTimer = -1;
                if (!busy && !closed && !ending) {
                    services.accessLog().event("timeout", "session", id, "user", user);
                    sayGoodbye(Reply.err("Disconnected for inactivity."));
                }
            });
        }
    }

    private void cancelIdleTimer() {
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
            idleTimer = -1;
        }
    }

    private void write(Reply reply) {
        byte[] bytes = ReplyEncoder.encode(reply);
        sent(bytes.length);
        socket.write(Buffer.buffer(bytes));
    }

    /** Every octet written to the client: the session's count (access log) and BTF. */
    private void sent(int octets) {
        bytesSent += octets;
        services.metrics().bytesSent(octets);
    }

    private static String verbOf(ParsedLine line) {
        if (line instanceof Command command) {
            return command.verb().name();
        }
        return ((Rejected) line).verb().map(Verb::name).orElse("unknown");
    }

    private static String authResult(AuthOutcome outcome) {
        if (outcome instanceof AuthOutcome.Success) {
            return "ok";
        }
        if (outcome instanceof AuthOutcome.BadCredentials) {
            return "bad_credentials";
        }
        if (outcome instanceof AuthOutcome.InUse) {
            return "in_use";
        }
        return outcome instanceof AuthOutcome.TooSoon ? "too_soon" : "unavailable";
    }

    private void closed() {
        closed = true;
        if (loggedIn) {
            loggedIn = false;
            services.metrics().loggedOut();
        }
        cancelIdleTimer();
        transfer.ifPresent(MessageStreamer.Transfer::abort);
        if (state instanceof State.Transaction transaction) {
            // Dropped connection: RFC 1939 §6, no UPDATE; nothing is removed.
            release(transaction.drop());
        }
        services.accessLog().event("disconnect", "session", id, "client", client(), "user", user,
                "bytes", bytesSent);
        onClosed.run();
    }

    private void release(dev.pop3d.mailstore.Maildrop drop) {
        services.pendingReleases().incrementAndGet();
        services.workers().run(() -> {
            drop.release();
            return null;
        }).onComplete(r -> services.pendingReleases().decrementAndGet());
    }

    private String client() {
        return socket.remoteAddress() == null ? "-" : socket.remoteAddress().hostAddress() + ":" + socket.remoteAddress().port();
    }
}

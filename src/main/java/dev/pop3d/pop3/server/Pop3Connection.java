package dev.pop3d.pop3.server;

import dev.pop3d.endpoint.TcpInput;
import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MailstoreException;
import dev.pop3d.pop3.driver.Effects;
import dev.pop3d.pop3.driver.SessionDriver;
import dev.pop3d.pop3.driver.StreamOutcome;
import dev.pop3d.pop3.session.Action;
import dev.pop3d.pop3.session.AuthOutcome;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One POP3 client connection on one event loop: the thin Vert.x adapter of a {@link SessionDriver}.
 * It turns socket events into driver calls and carries out the driver's {@link Effects}: writes,
 * timers, and the actions on workers (login, UPDATE, release) or the {@link StreamRunner}.
 */
final class Pop3Connection implements Effects {
    private static final Logger LOG = Logger.getLogger(Pop3Connection.class);

    private final Vertx vertx;
    private final NetSocket socket;
    private final Pop3Services services;
    private final String id;
    private final StreamRunner streams;
    private final Runnable onClosed;
    private final Runnable onFinished;
    private final Runnable releaseGlobal;
    private final SessionDriver driver;
    private TcpInput input;
    private Optional<MessageStreamer.Transfer> transfer = Optional.empty();
    private String user = "-";
    private boolean countedLoggedIn;
    /** Read by queued password checks on workers: a check whose client is gone is not run. */
    private volatile boolean closed;
    /** A login is being checked (or its failure delay runs): the connection's slot stays held. */
    private boolean authPending;
    private boolean finished;
    private long bytesSent;
    /** The pending Vert.x timer of the idle timeout, or -1; it may outlive a cancel (see armIdleTimer). */
    private long idleTimer = -1;
    /** When {@link #idleTimer} fires (nanoTime). */
    private long idleTimerAt;
    /** The session waits for a command: the deadline below counts. */
    private boolean idleArmed;
    private long idleDeadline;
    private long loginTimer = -1;
    private final Optional<java.net.InetAddress> source;
    /** {@code address:port} of the client, for every access-log line (formatted once). */
    private final String client;
    private final LoginRunner logins;

    /**
     * @param releaseGlobal the client sent its FIN: it stops counting against the global limit (what
     *                      it pipelined is still answered; its address's slot stays held)
     * @param onClosed   the transport closed
     * @param onFinished also no login check is left paying its cost: the per-address slot is free
     */
    Pop3Connection(Vertx vertx, NetSocket socket, Pop3Services services, String id, boolean implicitTls,
                   Runnable releaseGlobal, Runnable onClosed, Runnable onFinished) {
        this.vertx = vertx;
        this.socket = socket;
        this.services = services;
        this.id = id;
        this.onClosed = onClosed;
        this.releaseGlobal = releaseGlobal;
        this.onFinished = onFinished;
        this.source = Pop3Verticle.source(socket);
        this.client = socket.remoteAddress() == null ? "-"
                : socket.remoteAddress().hostAddress() + ":" + socket.remoteAddress().port();
        this.logins = new LoginRunner(vertx, services, id, source, () -> closed);
        this.streams = new StreamRunner(services,
                new MessageStreamer(services.workers(), socket, services.limits().bufferSize(), this::sent), id);
        this.driver = new SessionDriver(services.machine(), this,
                new SessionDriver.Limits(services.limits().maxBadCommands()), implicitTls);
    }

    void start() {
        input = TcpInput.attach(socket, new TcpInput.Receiver() {
            @Override
            public void received(byte[] bytes) {
                driver.received(bytes, 0, bytes.length);
            }

            @Override
            public void inputEnded() {
                // a client that hung up on a slow login must not hold a global slot through its delay
                releaseGlobal.run();
                driver.inputEnded();
            }
        });
        socket.closeHandler(v -> closedByTransport());
        socket.drainHandler(v -> {
            transfer.ifPresent(MessageStreamer.Transfer::drained);
            driver.drained();
        });
        socket.exceptionHandler(e -> LOG.debugf("session=%s socket error: %s", id, e.getMessage()));
        services.accessLog().event("connect", "session", id, "client", client());
        loginTimer = vertx.setTimer(services.limits().loginTimeout().toMillis(), t -> {
            loginTimer = -1;
            driver.loginExpired();
        });
        driver.start();
    }

    /** Server shutdown: idle sessions are told now; busy ones when their command finishes. */
    void shutdown() {
        driver.shutdown();
    }

    /** The grace period is over: close now. An open maildrop is released, never committed. */
    void cut() {
        if (!closed) {
            socket.close();
        }
    }

    // ---- Effects: transport and timers

    @Override
    public void write(byte[] bytes) {
        sent(bytes.length);
        if (socket instanceof io.vertx.core.net.impl.NetSocketInternal internal) {
            internal.writeMessage(io.netty.buffer.Unpooled.wrappedBuffer(bytes)); // the reply is ours: no copy
        } else {
            socket.write(Buffer.buffer(bytes));
        }
    }

    @Override
    public boolean writeQueueFull() {
        return socket.writeQueueFull();
    }

    @Override
    public void pauseInput() {
        input.pause();
    }

    @Override
    public void resumeInput() {
        input.resume();
    }

    @Override
    public void end() {
        socket.end();
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public void armIdleTimer() {
        // Called after every command: moving a deadline is cheap, a timer is set only when none is
        // pending (or the pending one would fire late: IDL was lowered). A timer that fires early
        // sets itself again for what is left; 10,000 idle sessions keep 10,000 timers, not churn.
        long now = System.nanoTime();
        idleArmed = true;
        idleDeadline = now + services.live().current().idleTimeout().toNanos();
        if (idleTimer >= 0 && idleTimerAt > idleDeadline) {
            vertx.cancelTimer(idleTimer);
            idleTimer = -1;
        }
        if (idleTimer < 0) {
            scheduleIdle(idleDeadline - now);
        }
    }

    private void scheduleIdle(long nanos) {
        long millis = Math.max(1, (nanos + 999_999) / 1_000_000);
        idleTimerAt = System.nanoTime() + millis * 1_000_000;
        idleTimer = vertx.setTimer(millis, t -> {
            idleTimer = -1;
            if (!idleArmed || closed) {
                return;
            }
            long left = idleDeadline - System.nanoTime();
            if (left > 0) {
                scheduleIdle(left);
            } else {
                idleArmed = false;
                driver.idleExpired();
            }
        });
    }

    @Override
    public void cancelIdleTimer() {
        idleArmed = false; // a pending timer finds it so and lapses
    }

    private void stopIdleTimer() {
        idleArmed = false;
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
            idleTimer = -1;
        }
    }

    // ---- Effects: actions

    /** The login (see {@link LoginRunner}); the connection's slot is held until it answered. */
    @Override
    public void authenticate(Action.Authenticate auth, Consumer<AuthOutcome> done) {
        authPending = true;
        logins.run(auth, outcome -> {
            authPending = false;
            done.accept(outcome);
            if (closed) {
                finish();
            }
        });
    }

    @Override
    public void stream(Action.Stream stream, Consumer<StreamOutcome> done) {
        streams.run(stream, () -> closed, current -> transfer = current)
                .onComplete(result -> done.accept(result.succeeded() ? result.result() : new StreamOutcome.Cut()));
    }

    @Override
    public void commit(Action.Commit commit, Consumer<Boolean> done) {
        services.workers().run(() -> {
            try {
                commit.drop().commit(commit.marked());
                return true;
            } catch (MailstoreException e) { // I/O: one line, not a stack trace
                LOG.errorf("session=%s UPDATE of %s failed: %s", id, user, e.oneLine());
                return false;
            } catch (Exception e) {
                LOG.errorf(e, "session=%s UPDATE of %s failed", id, user);
                return false;
            }
        }).onComplete(result -> done.accept(result.succeeded() && result.result()));
    }

    @Override
    public void startTls(Consumer<Boolean> done) {
        socket.upgradeToSsl().onComplete(result -> {
            if (result.failed()) {
                LOG.debugf("session=%s TLS handshake failed: %s", id, result.cause().getMessage());
            }
            services.accessLog().event("starttls", "session", id, "client", client(), "result",
                    result.succeeded() ? "ok" : "failed");
            done.accept(result.succeeded());
        });
    }

    @Override
    public void release(Maildrop drop) {
        services.pendingReleases().incrementAndGet();
        services.workers().run(() -> {
            drop.release();
            return null;
        }).onComplete(r -> services.pendingReleases().decrementAndGet());
    }

    // ---- Effects: observations (metrics, access log; never a password)

    @Override
    public void commandDone(String verb, boolean ok) {
        services.metrics().command(verb, ok);
    }

    @Override
    public void authenticated(String name, AuthOutcome outcome) {
        boolean ok = outcome.kind() == AuthOutcome.Kind.SUCCESS;
        services.metrics().authentication(ok ? "ok" : outcome.kind().name());
        if (ok && loginTimer >= 0) {
            vertx.cancelTimer(loginTimer);
            loginTimer = -1;
        }
        if (ok && !closed) {
            user = name;
            countedLoggedIn = true;
            services.metrics().loggedIn();
        }
        services.accessLog().event(ok ? "auth-ok" : "auth-fail", "session", id, "client", client(),
                "user", name, "result", outcome.kind().name().toLowerCase(java.util.Locale.ROOT),
                "hung-up", closed);
    }

    @Override
    public void quit(int deleted, boolean ok) {
        services.accessLog().event("quit", "session", id, "user", user, "deleted", deleted,
                "result", ok ? "ok" : "failed", "bytes", bytesSent);
    }

    @Override
    public void timedOut() {
        services.accessLog().event("timeout", "session", id, "user", user);
    }

    /** Every octet written to the client: the session's count (access log) and BTF. */
    private void sent(int octets) {
        bytesSent += octets;
        services.metrics().bytesSent(octets);
    }

    private void closedByTransport() {
        closed = true;
        if (countedLoggedIn) {
            countedLoggedIn = false;
            services.metrics().loggedOut();
        }
        stopIdleTimer();
        if (loginTimer >= 0) {
            vertx.cancelTimer(loginTimer);
            loginTimer = -1;
        }
        transfer.ifPresent(MessageStreamer.Transfer::abort);
        driver.closed();
        onClosed.run(); // a hung-up login waiting out its delay holds its address's slot, not a global one
        if (!authPending) {
            finish();
        }
    }

    /** Closed, and no login check left paying its cost: the slot and the counters are given back. */
    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        services.accessLog().event("disconnect", "session", id, "client", client(), "user", user,
                "bytes", bytesSent);
        onFinished.run();
    }

    private String client() {
        return client;
    }
}

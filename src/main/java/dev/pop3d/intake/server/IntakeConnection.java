package dev.pop3d.intake.server;

import dev.pop3d.endpoint.TcpInput;
import dev.pop3d.intake.protocol.Envelope;
import dev.pop3d.intake.protocol.IntakeDriver;
import dev.pop3d.intake.protocol.IntakeEffects;
import dev.pop3d.intake.protocol.Outcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One LMTP or SMTP client on one event loop: the Vert.x adapter of an {@link IntakeDriver}. It
 * turns socket events into driver calls, runs lookups on the intake pool, streams DATA through an
 * {@link IntakeDelivery}, and keeps the hello and idle timeouts (RFC 5321 §4.5.3.2). Input is paused
 * while the driver or the delivery asks, and resumed only when neither does.
 */
final class IntakeConnection implements IntakeEffects {
    private static final Logger LOG = Logger.getLogger(IntakeConnection.class);

    private final IntakeServices services;
    private final NetSocket socket;
    private final String id;
    private final Runnable onClosed;
    private final IntakeDriver driver;
    private final String client;
    private final String clientLiteral;
    private final String tag;
    private TcpInput input;
    private io.vertx.core.Context context;
    private boolean pausedByDriver;
    private boolean pausedByDelivery;
    private boolean closed;
    private long lastActivity = System.nanoTime();
    private long idleTimer = -1;
    private long helloTimer = -1;
    private int transactions;
    private Envelope envelope;
    private long dataEnded;

    IntakeConnection(IntakeServices services, NetSocket socket, String id, Runnable onClosed) {
        this.services = services;
        this.socket = socket;
        this.id = id;
        this.onClosed = onClosed;
        this.driver = new IntakeDriver(services.machine(), this);
        this.tag = services.dialect().tag();
        String address = socket.remoteAddress() == null ? null : socket.remoteAddress().hostAddress();
        this.client = address == null ? "-" : address + ":" + socket.remoteAddress().port();
        // RFC 5321 §4.1.3 address literals, as the trace header writes them
        this.clientLiteral = address == null ? "[unknown]" : address.indexOf(':') >= 0 ? "[IPv6:" + address + "]" : "[" + address + "]";
    }

    void start() {
        context = services.vertx().getOrCreateContext();
        input = TcpInput.attach(socket, new TcpInput.Receiver() {
            @Override
            public void received(byte[] bytes) {
                lastActivity = System.nanoTime();
                driver.received(bytes, 0, bytes.length);
            }

            @Override
            public void inputEnded() {
                driver.inputEnded();
            }
        });
        socket.closeHandler(v -> closedByTransport());
        socket.drainHandler(v -> driver.drained());
        socket.exceptionHandler(e -> LOG.debugf("session=%s %s socket error: %s", id, tag, e.getMessage()));
        services.accessLog().event(tag + "-connect", "session", id, "client", client);
        helloTimer = services.vertx().setTimer(services.limits().helloTimeout().toMillis(), t -> {
            helloTimer = -1;
            if (driver.phase() == dev.pop3d.intake.protocol.IntakeMachine.Phase.START) {
                driver.timedOut();
            }
        });
        scheduleIdle(services.limits().idleTimeout().toNanos());
        driver.start();
    }

    /** Server shutdown: on this connection's loop. */
    void shutdown() {
        context.runOnContext(v -> driver.shutdown());
    }

    /** The grace period is over. */
    void cut() {
        context.runOnContext(v -> {
            if (!closed) {
                socket.close();
            }
        });
    }

    private void scheduleIdle(long nanos) {
        long millis = Math.max(1, (nanos + 999_999) / 1_000_000);
        idleTimer = services.vertx().setTimer(millis, t -> {
            idleTimer = -1;
            if (closed) {
                return;
            }
            long left = lastActivity + services.limits().idleTimeout().toNanos() - System.nanoTime();
            if (left > 0 || driver.busy()) { // a delivery being made durable is not idleness
                scheduleIdle(Math.max(left, 1_000_000_000L));
            } else {
                driver.timedOut();
            }
        });
    }

    // ---- IntakeEffects

    @Override
    public void write(byte[] bytes) {
        lastActivity = System.nanoTime();
        socket.write(Buffer.buffer(bytes));
    }

    @Override
    public boolean writeQueueFull() {
        return socket.writeQueueFull();
    }

    @Override
    public void pauseInput() {
        pausedByDriver = true;
        input.pause();
    }

    @Override
    public void resumeInput() {
        pausedByDriver = false;
        if (!pausedByDelivery) {
            input.resume();
        }
    }

    /** The delivery's own back-pressure: it is behind the disk. */
    void deliveryBehind(boolean behind) {
        pausedByDelivery = behind;
        if (behind) {
            input.pause();
        } else if (!pausedByDriver) {
            input.resume();
        }
    }

    @Override
    public void close() {
        socket.end();
    }

    @Override
    public void lookup(String localPart, Consumer<Lookup> done) {
        services.pool().run(() -> services.accounts().recipient(localPart)).onComplete(result -> {
            if (result.failed()) {
                LOG.errorf("session=%s %s recipient lookup failed: %s", id, tag, result.cause().toString());
                done.accept(new Lookup.Failed());
                return;
            }
            Optional<String> user = result.result();
            done.accept(user.<Lookup>map(Lookup.Found::new).orElseGet(Lookup.Unknown::new));
        });
    }

    @Override
    public MessageSink receive(Envelope envelope) {
        this.envelope = envelope;
        transactions++;
        return new IntakeDelivery(services, envelope, driver.helo(), clientLiteral,
                id + (transactions > 1 ? ":T" + transactions : ""), this::deliveryBehind, () -> dataEnded = System.nanoTime());
    }

    @Override
    public void rejected(String reason) {
        services.metrics().intakeReject(tag, reason);
    }

    @Override
    public void delivered(long octets, List<Outcome> outcomes) {
        if (dataEnded > 0) {
            services.metrics().intakeDeliveryDuration(tag, java.time.Duration.ofNanos(System.nanoTime() - dataEnded));
            dataEnded = 0;
        }
        for (int i = 0; i < outcomes.size(); i++) {
            String result = outcomes.get(i).name().toLowerCase(Locale.ROOT);
            services.metrics().intakeDelivery(tag, result, octets);
            if (outcomes.get(i) == Outcome.TOO_BIG) {
                services.metrics().intakeReject(tag, "too_big");
            }
            services.accessLog().event(tag + "-delivery", "session", id, "user", envelope.recipients().get(i).user(),
                    "result", result, "octets", octets);
        }
    }

    private void closedByTransport() {
        closed = true;
        for (long timer : new long[] {idleTimer, helloTimer}) {
            if (timer >= 0) {
                services.vertx().cancelTimer(timer);
            }
        }
        driver.closed();
        services.accessLog().event(tag + "-disconnect", "session", id, "client", client, "transactions", transactions);
        onClosed.run();
    }
}

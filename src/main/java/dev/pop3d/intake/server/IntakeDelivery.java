package dev.pop3d.intake.server;

import dev.pop3d.intake.protocol.Dialect;
import dev.pop3d.intake.protocol.Envelope;
import dev.pop3d.intake.protocol.IntakeEffects;
import dev.pop3d.intake.protocol.Outcome;
import dev.pop3d.intake.protocol.TraceHeaders;
import dev.pop3d.mailstore.maildir.MaildirDelivery;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One transaction's message on its way to the recipients' Maildirs: the octets the driver hands
 * over collect here and go to a worker in batches, one batch in flight at a time, in order; while
 * more than {@link #MAX_WAITING_OCTETS} wait, the connection's input is paused (constant memory
 * for any message size). Each recipient gets its own file with its own trace lines
 * ({@link MaildirDelivery#open}); the end commits them all (for SMTP all or none). Runs on the
 * connection's event loop; the file work on the intake pool.
 */
final class IntakeDelivery implements IntakeEffects.MessageSink {
    private static final Logger LOG = Logger.getLogger(IntakeDelivery.class);
    /** Octets waiting for the disk before the input is paused. */
    static final int MAX_WAITING_OCTETS = 256 * 1024;
    /** ... and resumed below this. */
    static final int RESUME_OCTETS = 64 * 1024;

    private final IntakeServices services;
    private final Envelope envelope;
    private final Consumer<Boolean> behind;
    private final Runnable finishing;
    private ByteArrayOutputStream waiting = new ByteArrayOutputStream(8192);
    private MaildirDelivery.Batch batch;
    private boolean inFlight = true; // the open is the first operation
    private boolean openFailed;
    private boolean paused;
    private boolean aborted;
    private Consumer<List<Outcome>> done;

    IntakeDelivery(IntakeServices services, Envelope envelope, String helo, String client, String id,
                   Consumer<Boolean> behind, Runnable finishing) {
        this.services = services;
        this.envelope = envelope;
        this.behind = behind;
        this.finishing = finishing;
        ZonedDateTime now = ZonedDateTime.now(services.clock());
        List<MaildirDelivery.Copy> copies = new ArrayList<>();
        for (Envelope.Recipient recipient : envelope.recipients()) {
            copies.add(new MaildirDelivery.Copy(services.accounts().maildir(recipient.user()),
                    TraceHeaders.of(services.dialect(), services.host(), helo, client, id, envelope.sender(),
                            recipient.address(), now)));
        }
        services.pool().run(() -> MaildirDelivery.open(copies, Instant.now(services.clock()))).onComplete(result -> {
            inFlight = false;
            if (result.failed()) {
                LOG.errorf("session=%s delivery not started: %s", id, result.cause().toString());
                openFailed = true;
                waiting = new ByteArrayOutputStream();
            } else {
                batch = result.result();
            }
            next();
        });
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (aborted || openFailed) {
            return;
        }
        waiting.write(bytes, offset, length);
        if (!paused && waiting.size() > MAX_WAITING_OCTETS) {
            paused = true;
            behind.accept(true);
        }
        next();
    }

    @Override
    public void finish(Consumer<List<Outcome>> done) {
        finishing.run();
        this.done = done;
        next();
    }

    @Override
    public void abort() {
        aborted = true;
        waiting = new ByteArrayOutputStream();
        unpause();
        next();
    }

    /** Starts the next operation when none is in flight: a write, the commit, or the removal. */
    private void next() {
        if (inFlight) {
            return;
        }
        if (openFailed) {
            if (done != null) {
                complete(envelope.recipients().stream().map(r -> Outcome.FAILED).toList());
            }
            return;
        }
        if (aborted) {
            MaildirDelivery.Batch removed = batch;
            batch = null;
            if (removed != null) {
                inFlight = true;
                services.pool().run(() -> {
                    removed.abort();
                    return null;
                }).onComplete(r -> inFlight = false);
            }
            return;
        }
        if (waiting.size() > 0) {
            byte[] chunk = waiting.toByteArray();
            waiting.reset();
            inFlight = true;
            MaildirDelivery.Batch writing = batch;
            services.pool().run(() -> {
                writing.write(chunk, 0, chunk.length);
                return null;
            }).onComplete(r -> {
                inFlight = false;
                if (waiting.size() < RESUME_OCTETS) {
                    unpause();
                }
                next();
            });
            return;
        }
        if (done != null) {
            inFlight = true;
            MaildirDelivery.Batch committing = batch;
            services.pool().run(() -> {
                try {
                    return committing.commit(services.dialect() == Dialect.SMTP);
                } catch (RuntimeException e) {
                    committing.abort();
                    throw e;
                }
            }).onComplete(r -> {
                inFlight = false;
                if (r.failed()) {
                    LOG.errorf("delivery commit failed: %s", r.cause().toString());
                    complete(envelope.recipients().stream().map(x -> Outcome.FAILED).toList());
                } else {
                    complete(r.result().stream().map(IntakeDelivery::outcome).toList());
                }
            });
        }
    }

    private void complete(List<Outcome> outcomes) {
        Consumer<List<Outcome>> callback = done;
        done = null;
        unpause();
        callback.accept(outcomes);
    }

    private void unpause() {
        if (paused) {
            paused = false;
            behind.accept(false);
        }
    }

    private static Outcome outcome(MaildirDelivery.Result result) {
        return switch (result) {
            case STORED -> Outcome.STORED;
            case NO_SPACE -> Outcome.NO_SPACE;
            case FAILED -> Outcome.FAILED;
        };
    }
}

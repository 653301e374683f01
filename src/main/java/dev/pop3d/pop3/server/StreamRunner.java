package dev.pop3d.pop3.server;

import dev.pop3d.pop3.driver.StreamOutcome;
import dev.pop3d.live.LiveSettings;
import dev.pop3d.pop3.protocol.Reply;
import dev.pop3d.pop3.protocol.ResponseCode;
import dev.pop3d.pop3.session.Action;
import dev.pop3d.transform.ProcessFilter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs an {@link Action.Stream} (RETR, TOP) for one connection: with CONF1 TRF on, the message is
 * first filtered into a spool file on a worker (transform first, stuff after), then streamed by
 * the {@link MessageStreamer}; the spool is deleted afterwards.
 */
final class StreamRunner {
    private static final Logger LOG = Logger.getLogger(StreamRunner.class);

    private final Pop3Services services;
    private final MessageStreamer streamer;
    private final String sessionId;

    StreamRunner(Pop3Services services, MessageStreamer streamer, String sessionId) {
        this.services = services;
        this.streamer = streamer;
        this.sessionId = sessionId;
    }

    /**
     * @param closed  whether the client has gone (checked before sending)
     * @param current told of the transfer under way (and of its end), so a close can abort it
     */
    Future<StreamOutcome> run(Action.Stream stream, BooleanSupplier closed,
                        Consumer<Optional<MessageStreamer.Transfer>> current) {
        Promise<StreamOutcome> outcome = Promise.promise();
        LiveSettings.Snapshot live = services.live().current();
        Path stored = stream.drop().path(stream.message());
        if (!live.transformEnabled() || live.transformCommand().isEmpty()) {
            send(stream, stored, stream.status(), () -> { }, current, outcome);
            return outcome.future();
        }
        String command = live.transformCommand().get();
        services.workers().run(() -> services.filter().run(command, stored)).onComplete(result -> {
            services.metrics().transformation(result.succeeded());
            if (result.failed()) {
                LOG.warnf("session=%s transformation of message %d failed: %s", sessionId,
                        stream.message().number(), result.cause().getMessage());
                outcome.complete(new StreamOutcome.Refused(
                        Reply.err(ResponseCode.SYS_TEMP, "Message transformation failed, try again later")));
                return;
            }
            ProcessFilter.Spooled spool = result.result();
            Runnable deleteSpool = () -> services.workers().run(() -> {
                ProcessFilter.delete(spool.file());
                return null;
            });
            if (closed.getAsBoolean()) {
                deleteSpool.run();
                outcome.complete(new StreamOutcome.Cut());
                return;
            }
            // RETR announces the size of what it sends: the filtered message (TOP announces none)
            String status = stream.bodyLines().isPresent() ? stream.status() : spool.octets() + " octets";
            send(stream, spool.file(), status, deleteSpool, current, outcome);
        });
        return outcome.future();
    }

    private void send(Action.Stream stream, Path file, String status, Runnable afterwards,
                      Consumer<Optional<MessageStreamer.Transfer>> current, Promise<StreamOutcome> outcome) {
        long started = System.nanoTime();
        streamer.send(file, status, stream.bodyLines())
                .onSuccess(transfer -> {
                    current.accept(Optional.of(transfer));
                    transfer.done().onComplete(done -> {
                        afterwards.run();
                        current.accept(Optional.empty());
                        services.metrics().retr(Duration.ofNanos(System.nanoTime() - started));
                        if (done.failed()) {
                            LOG.errorf("session=%s message %d could not be read: %s", sessionId,
                                    stream.message().number(), done.cause().getMessage());
                        }
                        outcome.complete(done.succeeded() ? new StreamOutcome.Sent() : new StreamOutcome.Cut());
                    });
                })
                .onFailure(e -> {
                    afterwards.run();
                    LOG.errorf("session=%s message %d could not be opened: %s", sessionId,
                            stream.message().number(), e.getMessage());
                    outcome.complete(new StreamOutcome.Refused(Reply.err(ResponseCode.SYS_TEMP,
                            "Message " + stream.message().number() + " is unavailable, try again later")));
                });
    }
}

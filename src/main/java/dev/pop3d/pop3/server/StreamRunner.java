package dev.pop3d.pop3.server;

import dev.pop3d.live.LiveSettings;
import dev.pop3d.mailstore.OpenedMessage;
import dev.pop3d.pop3.driver.StreamOutcome;
import dev.pop3d.pop3.protocol.Reply;
import dev.pop3d.pop3.protocol.ResponseCode;
import dev.pop3d.pop3.session.Action;
import dev.pop3d.transform.ProcessFilter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs an {@link Action.Stream} (RETR, TOP) for one connection. The message is opened by the
 * store on a worker ({@code Maildrop.open}: no symlink, the snapshot's inode and size) before any
 * {@code +OK}; a changed or foreign file gets {@code -ERR [SYS/TEMP]}. With CONF1 TRF on, it is
 * first filtered into a spool file on a worker (transform first, stuff after). The same worker
 * hop reads the first batch behind the status line (a small message whole), then the
 * {@link MessageStreamer} sends it — as a file region when the store says the message is clean, the
 * command is RETR, nothing transforms it and the socket is plaintext; the spool is deleted afterwards.
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

    /** The file to send, its status line, and what to do afterwards. */
    private record Opened(OpenedMessage file, String status, Runnable afterwards) {}

    /** What a worker prepared: the transfer (its first batch read), and what to do afterwards. */
    private record Prepared(MessageStreamer.Transfer transfer, Runnable afterwards) {}

    /**
     * @param closed  whether the client has gone (checked before sending)
     * @param current told of the transfer under way (and of its end), so a close can abort it
     */
    Future<StreamOutcome> run(Action.Stream stream, BooleanSupplier closed,
                              Consumer<Optional<MessageStreamer.Transfer>> current) {
        Promise<StreamOutcome> outcome = Promise.promise();
        LiveSettings.Snapshot live = services.live().current();
        boolean transform = live.transformEnabled() && live.transformCommand().isPresent();
        // a file region goes to the socket untouched: only a RETR, untransformed, without TLS
        boolean zeroCopy = !transform && stream.bodyLines().isEmpty() && streamer.plaintext();
        services.workers().run(() -> prepare(stream, transform, live, zeroCopy))
                .onComplete(result -> {
                    if (result.failed()) {
                        outcome.complete(refused(stream, result.cause(), transform));
                        return;
                    }
                    Prepared prepared = result.result();
                    if (closed.getAsBoolean()) {
                        prepared.transfer().abort(); // closes the file, drops what was read
                        prepared.afterwards().run();
                        outcome.complete(new StreamOutcome.Cut());
                        return;
                    }
                    send(stream, prepared, current, outcome);
                });
        return outcome.future();
    }

    /**
     * On a worker, in one hop: open (or filter) the message and read its first batch behind the
     * status line; a small message is read whole and closed here.
     */
    private Prepared prepare(Action.Stream stream, boolean transform, LiveSettings.Snapshot live, boolean zeroCopy)
            throws Exception {
        Opened opened = transform ? filtered(stream, live.transformCommand().get()) : stored(stream);
        MessageStreamer.Transfer transfer = streamer.transfer(opened.file(), opened.status(), stream.bodyLines(),
                zeroCopy);
        try {
            transfer.prefetch();
        } catch (Exception e) {
            opened.afterwards().run();
            throw e;
        }
        return new Prepared(transfer, opened.afterwards());
    }

    private Opened stored(Action.Stream stream) throws Exception {
        return new Opened(stream.drop().open(stream.message()), stream.status(), () -> { });
    }

    private Opened filtered(Action.Stream stream, String command) throws Exception {
        ProcessFilter.Spooled spool;
        try (OpenedMessage message = stream.drop().open(stream.message())) {
            spool = services.filter().run(command, message.channel(), message.octets());
        } catch (Exception e) {
            services.metrics().transformation(false);
            throw e;
        }
        services.metrics().transformation(true);
        try {
            SeekableByteChannel channel = Files.newByteChannel(spool.file(),
                    Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
            // RETR announces the size of what it sends: the filtered message (TOP announces none)
            String status = stream.bodyLines().isPresent() ? stream.status() : spool.octets() + " octets";
            return new Opened(new OpenedMessage(channel, spool.rawOctets()), status,
                    () -> services.workers().run(() -> {
                        ProcessFilter.delete(spool.file());
                        return null;
                    }));
        } catch (IOException e) {
            ProcessFilter.delete(spool.file());
            throw e;
        }
    }

    private StreamOutcome refused(Action.Stream stream, Throwable cause, boolean transform) {
        int number = stream.message().number();
        if (cause instanceof dev.pop3d.transform.FilterException) {
            LOG.warnf("session=%s transformation of message %d failed: %s", sessionId, number, cause.getMessage());
            return new StreamOutcome.Refused(
                    Reply.err(ResponseCode.SYS_TEMP, "Message transformation failed, try again later"));
        }
        LOG.errorf("session=%s message %d could not be opened or read%s: %s", sessionId, number,
                transform ? " for transformation" : "", cause.getMessage());
        return new StreamOutcome.Refused(Reply.err(ResponseCode.SYS_TEMP,
                "Message " + number + " is unavailable, try again later"));
    }

    private void send(Action.Stream stream, Prepared prepared,
                      Consumer<Optional<MessageStreamer.Transfer>> current, Promise<StreamOutcome> outcome) {
        long started = System.nanoTime();
        MessageStreamer.Transfer transfer = prepared.transfer();
        current.accept(Optional.of(transfer));
        transfer.start();
        transfer.done().onComplete(done -> {
            prepared.afterwards().run();
            current.accept(Optional.empty());
            services.metrics().retr(Duration.ofNanos(System.nanoTime() - started));
            if (done.failed()) {
                LOG.errorf("session=%s message %d cut while sent: %s", sessionId, stream.message().number(),
                        done.cause().getMessage());
            }
            outcome.complete(done.succeeded() ? new StreamOutcome.Sent() : new StreamOutcome.Cut());
        });
    }
}

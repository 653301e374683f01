package dev.pop3d.pop3.server;

import dev.pop3d.mailcodec.DotStuffer;
import dev.pop3d.pop3.protocol.ReplyEncoder;
import dev.pop3d.pop3.protocol.TopLimiter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.net.NetSocket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.function.IntConsumer;

/**
 * Streams one message from disk to a socket: {@code +OK} status line, the body through
 * {@link DotStuffer} (and {@link TopLimiter} for TOP), then the terminator. The file is read as an
 * {@link AsyncFile} one chunk at a time and paused whenever the socket's write queue is full, so
 * memory stays flat whatever the message size and the event loop never blocks.
 */
final class MessageStreamer {
    private static final OpenOptions READ_ONLY = new OpenOptions().setRead(true).setWrite(false).setCreate(false);

    private final Vertx vertx;
    private final NetSocket socket;
    private final int chunkSize;
    private final IntConsumer sent;

    /** {@code sent} is told every octet count written to the client. */
    MessageStreamer(Vertx vertx, NetSocket socket, int chunkSize, IntConsumer sent) {
        this.vertx = vertx;
        this.socket = socket;
        this.chunkSize = chunkSize;
        this.sent = sent;
    }

    /** A transfer under way; {@link #abort()} stops it when the client goes away. */
    final class Transfer {
        private final Promise<Void> done = Promise.promise();
        private final DotStuffer stuffer = new DotStuffer();
        private final TopLimiter limiter;
        private final byte[] out = new byte[DotStuffer.maxOutput(chunkSize)];
        private AsyncFile file;
        private boolean finished;
        private boolean paused;

        private Transfer(OptionalLong bodyLines) {
            this.limiter = bodyLines.isPresent() ? new TopLimiter(bodyLines.getAsLong()) : null;
        }

        /** Succeeds when the terminator is written; fails if the file could not be read. */
        Future<Void> done() {
            return done.future();
        }

        void abort() {
            end(null);
        }

        /** The socket's queue drained: read on. */
        void drained() {
            if (paused && !finished) {
                paused = false;
                file.resume();
            }
        }

        private void start(AsyncFile opened, String status) {
            file = opened;
            write(ReplyEncoder.status(status));
            file.setReadBufferSize(chunkSize);
            file.exceptionHandler(this::end);
            file.endHandler(v -> complete());
            file.handler(this::chunk);
        }

        private void chunk(Buffer buffer) {
            if (finished) {
                return;
            }
            byte[] in = buffer.getBytes();
            int length = limiter == null ? in.length : limiter.accept(in, 0, in.length);
            int written = stuffer.stuff(in, 0, length, out);
            write(Arrays.copyOf(out, written));
            if (limiter != null && limiter.done()) {
                complete();
            } else if (socket.writeQueueFull()) {
                file.pause(); // resumed by drained(), which the connection calls on the socket's drain
                paused = true;
            }
        }

        private void complete() {
            if (!finished) {
                write(stuffer.finish());
                end(null);
            }
        }

        private void end(Throwable failure) {
            if (finished) {
                return;
            }
            finished = true;
            if (file != null) {
                file.handler(null);
                file.close();
            }
            if (failure == null) {
                done.tryComplete();
            } else {
                done.tryFail(failure);
            }
        }

        private void write(byte[] bytes) {
            sent.accept(bytes.length);
            socket.write(Buffer.buffer(bytes));
        }
    }

    /**
     * Opens {@code file} and, once open, starts sending. The returned future fails before
     * anything was written if the file cannot be opened, so the caller can still answer -ERR.
     */
    Future<Transfer> send(Path path, String status, OptionalLong bodyLines) {
        Transfer transfer = new Transfer(bodyLines);
        return vertx.fileSystem().open(path.toString(), READ_ONLY).map(opened -> {
            transfer.start(opened, status);
            return transfer;
        });
    }
}

package dev.pop3d.pop3.server;

import dev.pop3d.endpoint.WorkerPool;
import dev.pop3d.mailcodec.DotStuffer;
import dev.pop3d.mailstore.OpenedMessage;
import dev.pop3d.pop3.protocol.ReplyEncoder;
import dev.pop3d.pop3.protocol.TopLimiter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.function.IntConsumer;

/**
 * Streams one opened message to a socket: {@code +OK} status line, the body through
 * {@link DotStuffer} (and {@link TopLimiter} for TOP), then the terminator. The file was opened
 * and checked by the store ({@link OpenedMessage}: no symlink, the snapshot's inode and size); it
 * is read one chunk at a time on a worker and paused whenever the socket's write queue is full,
 * so memory stays flat and the event loop never blocks. A file that ends early or grows while
 * being sent fails the transfer: the connection is cut without the terminator, so a changed body
 * never passes for a whole one.
 */
final class MessageStreamer {
    private final WorkerPool workers;
    private final NetSocket socket;
    private final int chunkSize;
    private final IntConsumer sent;

    /** {@code sent} is told every octet count written to the client. */
    MessageStreamer(WorkerPool workers, NetSocket socket, int chunkSize, IntConsumer sent) {
        this.workers = workers;
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
        private final OpenedMessage file;
        private long read;
        private boolean finished;
        private boolean paused;

        private Transfer(OpenedMessage file, OptionalLong bodyLines) {
            this.file = file;
            this.limiter = bodyLines.isPresent() ? new TopLimiter(bodyLines.getAsLong()) : null;
        }

        /** Succeeds when the terminator is written; fails if the file could not be read or changed. */
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
                readNext();
            }
        }

        private void start(String status) {
            write(ReplyEncoder.status(status));
            readNext();
        }

        /** One more octet than expected is asked for, so that a grown file is noticed. */
        private void readNext() {
            workers.run(() -> {
                ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(chunkSize, Math.max(1, file.octets() - read + 1)));
                int n = file.channel().read(chunk);
                return n < 0 ? null : Arrays.copyOf(chunk.array(), n);
            }).onComplete(result -> {
                if (finished) {
                    return;
                }
                if (result.failed()) {
                    end(result.cause());
                } else if (result.result() == null) {
                    if (read == file.octets()) {
                        complete();
                    } else {
                        end(new IOException("message shrank while sent: " + read + " of " + file.octets() + " octets"));
                    }
                } else {
                    chunk(result.result());
                }
            });
        }

        private void chunk(byte[] in) {
            read += in.length;
            if (read > file.octets()) {
                end(new IOException("message grew while sent: more than " + file.octets() + " octets"));
                return;
            }
            int length = limiter == null ? in.length : limiter.accept(in, 0, in.length);
            int written = stuffer.stuff(in, 0, length, out);
            write(Arrays.copyOf(out, written));
            if (limiter != null && limiter.done()) {
                complete();
            } else if (socket.writeQueueFull()) {
                paused = true; // resumed by drained(), which the connection calls on the socket's drain
            } else {
                readNext();
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
            workers.run(() -> {
                file.close();
                return null;
            });
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

    /** Starts sending an opened, checked message: the status line, then the body. */
    Transfer send(OpenedMessage file, String status, OptionalLong bodyLines) {
        Transfer transfer = new Transfer(file, bodyLines);
        transfer.start(status);
        return transfer;
    }
}

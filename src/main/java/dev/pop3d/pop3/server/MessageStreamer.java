package dev.pop3d.pop3.server;

import dev.pop3d.endpoint.WorkerPool;
import dev.pop3d.mailcodec.DotStuffer;
import dev.pop3d.mailstore.OpenedMessage;
import dev.pop3d.pop3.protocol.ReplyEncoder;
import dev.pop3d.pop3.protocol.TopLimiter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.OptionalLong;
import java.util.function.IntConsumer;

/**
 * Streams one opened message to a socket: {@code +OK} status line, the body, then the terminator.
 * The file was opened and checked by the store ({@link OpenedMessage}: no symlink, the snapshot's
 * inode and size). Two ways out:
 * <ul>
 * <li><b>Zero-copy</b>: a RETR of a message the store knows is already in wire form
 *     ({@link OpenedMessage#clean()}), from a {@link FileChannel}, on a plaintext socket and with no
 *     transformation, goes out as one Netty {@link DefaultFileRegion} over the channel the store
 *     opened (never re-opened by path), then the terminator. The kernel paces it: one region per
 *     transfer, nothing in memory.</li>
 * <li><b>Stuffed</b>: a worker reads up to {@link #CHUNKS_PER_HOP} chunks per hop into one reused
 *     array, passes them through {@link DotStuffer} (and {@link TopLimiter} for TOP) into one pooled
 *     buffer that is written as it is (a clean message, on TLS say, is copied without stuffing).
 *     The first hop runs in the task that opened the file and
 *     carries the status line, so a small message is open, read, closed and sent in one hop and one
 *     write; the file is closed in the hop that reads its end. While one batch drains, the next is
 *     read; a batch that finds the socket's queue full waits for its drain. Memory stays bounded
 *     and the event loop never blocks.</li>
 * </ul>
 * A file that ends early or grows while being sent fails the transfer: the connection is cut
 * without the terminator, so a changed body never passes for a whole one.
 */
final class MessageStreamer {
    /** Chunks a worker reads (and stuffs) in one hop before the batch goes to the socket. */
    static final int CHUNKS_PER_HOP = 4;

    private static final byte[] TERMINATOR = {'.', '\r', '\n'};
    private static final byte[] NOTHING = {};
    private static final ByteBufAllocator BUFFERS = PooledByteBufAllocator.DEFAULT;

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

    /** No TLS on the socket now: a file region may go to it as it is (call on the event loop). */
    boolean plaintext() {
        return !socket.isSsl();
    }

    /**
     * A transfer of an opened message, not started: {@link Transfer#prefetch()} on the worker that
     * opened it, then {@link Transfer#start()} on the event loop.
     *
     * @param zeroCopy the caller checked the conditions: RETR, clean message, plaintext, no transform
     */
    Transfer transfer(OpenedMessage file, String status, OptionalLong bodyLines, boolean zeroCopy) {
        return new Transfer(file, ReplyEncoder.status(status), bodyLines,
                zeroCopy && bodyLines.isEmpty() && file.clean() && file.channel() instanceof FileChannel);
    }

    /** What one worker hop produced: bytes to write, and whether they end the message (file closed). */
    private record Batch(ByteBuf bytes, boolean last, Throwable failure) {
        static Batch failed(Throwable failure) {
            return new Batch(null, true, failure);
        }
    }

    /** A transfer under way; {@link #abort()} stops it when the client goes away. */
    final class Transfer {
        private final Promise<Void> done = Promise.promise();
        private final OpenedMessage file;
        private final byte[] status;
        private final boolean zeroCopy;
        /** A clean RETR that is not a file region (TLS): copied as stored, without the stuffer. */
        private final boolean asStored;
        // worker side: touched by one hop at a time, each hop submitted after the previous completed
        private final DotStuffer stuffer = new DotStuffer();
        private final TopLimiter limiter;
        private final byte[] in;
        private final byte[] out;
        private long read;
        // event-loop side
        private Batch held;
        private boolean inFlight;
        private boolean fileClosed;
        private boolean finished;

        private Transfer(OpenedMessage file, byte[] status, OptionalLong bodyLines, boolean zeroCopy) {
            this.file = file;
            this.status = status;
            this.zeroCopy = zeroCopy;
            this.limiter = bodyLines.isPresent() ? new TopLimiter(bodyLines.getAsLong()) : null;
            this.asStored = file.clean() && limiter == null;
            this.in = zeroCopy ? NOTHING : new byte[chunkSize];
            this.out = zeroCopy ? NOTHING : new byte[DotStuffer.maxOutput(chunkSize)];
        }

        /** Succeeds when the terminator is written; fails if the file could not be read or changed. */
        Future<Void> done() {
            return done.future();
        }

        /** Whether the body goes out as a file region (no copy through the JVM). */
        boolean zeroCopy() {
            return zeroCopy;
        }

        /**
         * On the worker that opened the file: reads the first batch behind the status line. A read
         * that fails here throws (the file is closed): nothing was sent, the client may get -ERR.
         */
        void prefetch() throws Exception {
            if (zeroCopy) {
                return;
            }
            Batch first = readBatch(status);
            if (first.failure() != null) {
                throw first.failure() instanceof Exception e ? e : new IOException(first.failure());
            }
            held = first;
        }

        /** On the event loop, after {@link #prefetch()}: the status line and what was read go out. */
        void start() {
            if (finished) {
                return;
            }
            if (zeroCopy) {
                sendRegion();
                return;
            }
            Batch first = held;
            held = null;
            arrived(first);
        }

        void abort() {
            end(null);
        }

        /** The socket's queue drained: a batch that waited goes out. */
        void drained() {
            if (finished || held == null) {
                return;
            }
            Batch batch = held;
            held = null;
            write(batch);
        }

        // ---- stuffed: worker hops

        /** On a worker: up to {@link #CHUNKS_PER_HOP} chunks, behind {@code head}. Never throws. */
        private Batch readBatch(byte[] head) {
            ByteBuf bytes = null;
            try {
                long budget = (long) chunkSize * CHUNKS_PER_HOP;
                long expected = Math.min(budget, file.octets() - read);
                // stuffing adds a CR per bare LF and a dot now and then: the buffer grows if needed
                bytes = BUFFERS.directBuffer((int) (head.length + expected + expected / 32 + 8));
                bytes.writeBytes(head);
                while (true) {
                    // one octet more than expected is asked for, so that a grown file is noticed
                    int want = (int) Math.min(in.length, file.octets() - read + 1);
                    int n = file.channel().read(ByteBuffer.wrap(in, 0, want));
                    if (n < 0) {
                        if (read != file.octets()) {
                            throw new IOException("message shrank while sent: " + read + " of " + file.octets() + " octets");
                        }
                        return last(bytes);
                    }
                    read += n;
                    if (read > file.octets()) {
                        throw new IOException("message grew while sent: more than " + file.octets() + " octets");
                    }
                    if (asStored) {
                        bytes.writeBytes(in, 0, n); // already the wire form: nothing to stuff
                    } else {
                        int length = limiter == null ? n : limiter.accept(in, 0, n);
                        bytes.writeBytes(out, 0, stuffer.stuff(in, 0, length, out));
                    }
                    if (limiter != null && limiter.done()) {
                        return last(bytes); // TOP has its lines: the rest of the file is not read
                    }
                    budget -= n;
                    if (budget <= 0) {
                        return new Batch(bytes, false, null);
                    }
                }
            } catch (Throwable e) {
                if (bytes != null) {
                    bytes.release();
                }
                closeFile();
                return Batch.failed(e);
            }
        }

        /** The end of the message, in the hop that read it: terminator, and the file is closed. */
        private Batch last(ByteBuf bytes) {
            bytes.writeBytes(asStored ? TERMINATOR : stuffer.finish()); // a clean message ends with CRLF, or is empty
            closeFile();
            return new Batch(bytes, true, null);
        }

        /** On a worker. */
        private void closeFile() {
            try {
                file.close();
            } catch (IOException | RuntimeException ignored) {
                // read-only: nothing is lost
            }
        }

        // ---- stuffed: event loop

        private void readNext() {
            inFlight = true;
            workers.run(() -> readBatch(NOTHING)).onComplete(result -> {
                inFlight = false;
                Batch batch = result.succeeded() ? result.result() : null;
                if (batch == null) { // the pool refused the task: the file is still open
                    fileClosed = false;
                    end(result.cause());
                    return;
                }
                if (finished) {
                    if (batch.bytes() != null) {
                        batch.bytes().release();
                    }
                    if (!batch.last()) {
                        closeLater();
                    }
                    return;
                }
                arrived(batch);
            });
        }

        private void arrived(Batch batch) {
            if (batch.last()) {
                fileClosed = true; // by the hop that made it
            }
            if (batch.failure() != null) {
                end(batch.failure());
            } else if (socket.writeQueueFull()) {
                held = batch; // written by drained(), which the connection calls on the socket's drain
            } else {
                write(batch);
            }
        }

        private void write(Batch batch) {
            sent.accept(batch.bytes().readableBytes());
            ((NetSocketInternal) socket).writeMessage(batch.bytes()); // Netty releases it once written
            if (batch.last()) {
                end(null);
            } else {
                readNext(); // read the next batch while this one drains
            }
        }

        // ---- zero-copy

        private void sendRegion() {
            NetSocketInternal internal = (NetSocketInternal) socket;
            FileChannel channel = (FileChannel) file.channel();
            DefaultFileRegion region = new DefaultFileRegion(channel, 0, file.octets());
            region.retain(); // Netty's release after the write would close the file before its size is checked
            inFlight = true;
            sent.accept(status.length);
            internal.writeMessage(Unpooled.wrappedBuffer(status));
            internal.writeMessage(region).onComplete(result -> regionSent(region, channel, result));
        }

        private void regionSent(DefaultFileRegion region, FileChannel channel, AsyncResult<Void> result) {
            inFlight = false;
            long transferred = region.transferred();
            for (long left = transferred; left > 0; left -= Integer.MAX_VALUE) {
                sent.accept((int) Math.min(left, Integer.MAX_VALUE));
            }
            Throwable failure = result.failed() ? result.cause() : null;
            long size;
            try {
                size = channel.size();
            } catch (IOException e) {
                size = -1;
            }
            if (size >= 0 && size < file.octets()) {
                failure = new IOException("message shrank while sent: " + Math.min(size, transferred) + " of "
                        + file.octets() + " octets", failure);
            } else if (size > file.octets()) {
                failure = new IOException("message grew while sent: more than " + file.octets() + " octets", failure);
            } else if (failure == null && transferred != file.octets()) {
                failure = new IOException("message sent short: " + transferred + " of " + file.octets() + " octets");
            }
            workers.run(() -> {
                if (region.refCnt() > 0) {
                    region.release(); // closes the channel
                }
                closeFile();
                return null;
            });
            fileClosed = true;
            if (finished) {
                return;
            }
            if (failure != null) {
                end(failure);
                return;
            }
            sent.accept(TERMINATOR.length); // a clean message ends with CRLF (or is empty)
            internal().writeMessage(Unpooled.wrappedBuffer(TERMINATOR));
            end(null);
        }

        private NetSocketInternal internal() {
            return (NetSocketInternal) socket;
        }

        // ---- both

        private void end(Throwable failure) {
            if (finished) {
                return;
            }
            finished = true;
            if (held != null) {
                if (held.last()) {
                    fileClosed = true;
                }
                if (held.bytes() != null) {
                    held.bytes().release();
                }
                held = null;
            }
            if (!inFlight && !fileClosed) {
                closeLater(); // an in-flight hop or region closes it when it comes back
            }
            if (failure == null) {
                done.tryComplete();
            } else {
                done.tryFail(failure);
            }
        }

        private void closeLater() {
            fileClosed = true;
            workers.run(() -> {
                closeFile();
                return null;
            });
        }
    }
}

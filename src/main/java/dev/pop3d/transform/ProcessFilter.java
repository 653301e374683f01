package dev.pop3d.transform;

import dev.pop3d.mailcodec.CrlfOctets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a message through an external filter (CONF1 TFN, e.g. {@code sed s/a/4/g|sed s/e/3/g})
 * with {@code sh -c} in a session of its own ({@code setsid}), the message fed on its stdin and
 * its stdout copied by us into a spool file created {@code CREATE_NEW} without following links in
 * a spool folder only this user can write ({@link SpoolFolder}). The output is capped (a factor of
 * the input, with a floor) and counted, so RETR can announce its size; it is then streamed like
 * any stored message: transformed first, dot-stuffed after. On a timeout, a cap or any other end,
 * the filter's whole process group is killed, so a background job ({@code (sleep 30 &)}) is not
 * left behind. The stored message is only ever read. Blocking.
 */
public final class ProcessFilter {
    /** Stderr kept for the log line; the rest is drained and dropped. */
    private static final int MAX_STDERR_KEPT = 200;
    private static final int CHUNK = 64 * 1024;

    private final Duration timeout;
    private final SpoolFolder spool;
    private final Limits limits;

    /**
     * @param maxOutputFactor output beyond this many times the input fails the run
     * @param maxOutputMin    ... but never below this many octets
     */
    public record Limits(long maxOutputFactor, long maxOutputMin) {
        public static final Limits DEFAULTS = new Limits(4, 1 << 20);

        long cap(long inputOctets) {
            long scaled = inputOctets > Long.MAX_VALUE / Math.max(1, maxOutputFactor) ? Long.MAX_VALUE
                    : inputOctets * maxOutputFactor;
            return Math.max(maxOutputMin, scaled);
        }
    }

    public ProcessFilter(Duration timeout, Path spoolDir) {
        this(timeout, spoolDir, Limits.DEFAULTS);
    }

    public ProcessFilter(Duration timeout, Path spoolDir, Limits limits) {
        this.timeout = timeout;
        this.spool = new SpoolFolder(spoolDir);
        this.limits = limits;
    }

    /**
     * The filter's output, spooled: delete {@code file} when it has been sent.
     *
     * @param rawOctets what the filter wrote (the spool file's size)
     * @param octets    the same in CRLF form, as RETR announces it
     */
    public record Spooled(Path file, long rawOctets, long octets) {}

    /** Filters a file (opened without following a link). */
    public Spooled run(String command, Path message) throws FilterException {
        try (SeekableByteChannel in = Files.newByteChannel(message, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            return run(command, in, in.size());
        } catch (IOException e) {
            throw new FilterException("cannot read " + message, e);
        }
    }

    /** Filters what {@code message} holds ({@code inputOctets} long, which sets the output cap). */
    public Spooled run(String command, ReadableByteChannel message, long inputOctets) throws FilterException {
        Path out = spool.newFile();
        SeekableByteChannel sink;
        try {
            sink = Files.newByteChannel(out, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new FilterException("cannot create a spool file in " + spool.dir(), e);
        }
        boolean ok = false;
        Process process = null;
        try (sink) {
            process = ProcessGroup.start(command);
            long cap = limits.cap(inputOctets);
            AtomicBoolean overCap = new AtomicBoolean();
            AtomicLong written = new AtomicLong();
            StringBuilder stderr = new StringBuilder();
            Process running = process;
            Thread feeder = daemon("pop3d-filter-in", () -> feed(message, running.getOutputStream()));
            Thread drainer = daemon("pop3d-filter-err", () -> drainErr(running.getErrorStream(), stderr));
            Thread copier = daemon("pop3d-filter-out", () -> copy(running.getInputStream(), sink, cap, written, overCap, running));
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            ProcessGroup.kill(process); // whatever it left running (a background job holding stdout)
            copier.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + 1000);
            drainer.join(1000);
            feeder.join(1000);
            if (overCap.get()) {
                throw new FilterException("filter output exceeds " + cap + " octets (pop3.transform.max-output-*)");
            }
            if (!exited) {
                throw new FilterException("filter timed out after " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new FilterException("filter exited with " + process.exitValue() + ": " + firstLine(stderr));
            }
            if (stderr.length() > 0) {
                throw new FilterException("filter wrote to stderr: " + firstLine(stderr));
            }
            Spooled spooled = new Spooled(out, written.get(), count(out));
            ok = true;
            return spooled;
        } catch (IOException e) {
            throw new FilterException("filter could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FilterException("interrupted", e);
        } finally {
            if (process != null && process.isAlive()) {
                ProcessGroup.kill(process);
            }
            if (!ok) {
                delete(out);
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void feed(ReadableByteChannel message, OutputStream stdin) {
        try (OutputStream to = stdin) {
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            while (message.read(chunk) >= 0) {
                to.write(chunk.array(), 0, chunk.position());
                chunk.clear();
            }
        } catch (IOException e) {
            // the filter need not read all its input (head, a crash): a broken pipe is its business
        }
    }

    private static void drainErr(InputStream err, StringBuilder kept) {
        byte[] chunk = new byte[4096];
        try (InputStream in = err) {
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                synchronized (kept) {
                    int room = MAX_STDERR_KEPT - kept.length();
                    if (n > 0) {
                        kept.append(new String(chunk, 0, Math.max(0, Math.min(n, room)), java.nio.charset.StandardCharsets.UTF_8));
                        if (kept.length() == 0) {
                            kept.append(' '); // something was written: the run fails
                        }
                    }
                }
            }
        } catch (IOException e) {
            // killed
        }
    }

    private static void copy(InputStream stdout, SeekableByteChannel sink, long cap, AtomicLong written,
                             AtomicBoolean overCap, Process process) {
        byte[] chunk = new byte[CHUNK];
        try (InputStream in = stdout) {
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                if (written.get() + n > cap) {
                    overCap.set(true);
                    ProcessGroup.kill(process);
                    return;
                }
                ByteBuffer bytes = ByteBuffer.wrap(chunk, 0, n);
                while (bytes.hasRemaining()) {
                    sink.write(bytes);
                }
                written.addAndGet(n);
            }
        } catch (IOException e) {
            // killed, or the spool closed after a timeout
        }
    }

    private static long count(Path file) throws IOException {
        CrlfOctets counter = new CrlfOctets();
        byte[] chunk = new byte[CHUNK];
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(file, Set.of(StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)))) {
            for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
                counter.update(chunk, 0, n);
            }
        }
        return counter.octets();
    }

    private static String firstLine(StringBuilder stderr) {
        synchronized (stderr) {
            String text = stderr.toString().strip();
            int newline = text.indexOf('\n');
            return newline < 0 ? text : text.substring(0, newline);
        }
    }

    /** At shutdown: the spool folder goes, with whatever a cut transfer left in it. */
    public void removeSpool() {
        spool.remove();
    }

    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale spool file in the private spool folder is harmless
        }
    }
}

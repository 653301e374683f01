package dev.pop3d.observe;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * One {@code key=value} line per session event (connect, auth, quit, disconnect), to the console
 * (category {@code pop3d.access}) and to {@code access.log} in the log folder. File writes run on
 * one background thread behind a bounded queue ({@link #MAX_QUEUED} lines): when the disk or the
 * file stalls, further lines are dropped and counted ({@link #dropped()},
 * {@code pop3d_access_log_dropped_total}), and callers on an event loop never wait. A line the
 * file refuses (a folder that is not writable, a full disk) is counted too, and told once per
 * folder; writing resumes by itself once the folder is writable again. Only a regular
 * file is written: an {@code access.log} that is a symlink, a FIFO or a device is refused (a FIFO
 * would block the writer forever). Callers pass only safe values: never a password or token.
 */
public final class AccessLog implements AutoCloseable {
    public static final String FILE_NAME = "access.log";
    /** Lines waiting for the disk at most; beyond, lines are dropped (the console still has them). */
    static final int MAX_QUEUED = 10_000;
    private static final Logger CONSOLE = Logger.getLogger("pop3d.access");
    private static final Logger LOG = Logger.getLogger(AccessLog.class);

    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor writerThread;
    private final AtomicReference<Path> folder;
    private Path openFolder;
    private BufferedWriter writer;
    private Path refusedFolder;

    public AccessLog(Path folder) {
        this(folder, MAX_QUEUED);
    }

    AccessLog(Path folder, int maxQueued) {
        this.folder = new AtomicReference<>(folder);
        this.writerThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxQueued), r -> {
                    Thread thread = new Thread(r, "pop3d-access-log");
                    thread.setDaemon(true);
                    return thread;
                }, (task, executor) -> dropped.incrementAndGet());
    }

    /** Lines not written to the file: the queue was full, or the file refused them (since start). */
    public long dropped() {
        return dropped.get();
    }

    /** Logs {@code event} with alternating keys and values; values are quoted when needed. */
    public void event(String event, Object... keyValues) {
        StringBuilder line = new StringBuilder(128).append("event=").append(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=').append(quote(String.valueOf(keyValues[i + 1])));
        }
        String text = line.toString();
        CONSOLE.info(text);
        writerThread.execute(() -> append(text));
    }

    /** Runs {@code task} on the writer thread, after what is queued (tests stall the writer with it). */
    void onWriter(Runnable task) {
        writerThread.execute(task);
    }

    /** From now on, write into {@code newFolder} (created if missing); old files stay. */
    public void moveTo(Path newFolder) {
        folder.set(newFolder);
    }

    public Path folder() {
        return folder.get();
    }

    private void append(String text) {
        try {
            Path wanted = folder.get();
            if (!wanted.equals(openFolder)) {
                closeWriter();
                writer = open(wanted);
                openFolder = wanted;
                refusedFolder = null;
            }
            writer.write(text);
            writer.write('\n');
            if (writerThread.getQueue().isEmpty()) {
                // lines queued behind this one go out in the same write(2): one per burst, not per line
                writer.flush();
            }
        } catch (IOException e) {
            dropped.incrementAndGet(); // every line is written or counted, also when the folder refuses it
            if (!folder.get().equals(refusedFolder)) { // one line per folder, not one per event
                LOG.warnf("access log not written to %s: %s", folder.get(),
                        e instanceof java.nio.file.AccessDeniedException ? e.getMessage() + ": permission denied" : e.getMessage());
                refusedFolder = folder.get();
            }
            openFolder = null;
        }
    }

    /**
     * Opens {@code access.log} only if it is (or becomes) a regular file: O_NOFOLLOW, and opened
     * read-write, which never blocks even on a FIFO swapped in at the last moment; the type is
     * checked again after the open, so a FIFO is refused before anything is written to it.
     */
    private static BufferedWriter open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        requireRegularOrAbsent(file);
        SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        try {
            if (!Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
                throw new IOException(file + " is not a regular file");
            }
            channel.position(channel.size());
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(new AppendingChannel(channel)),
                StandardCharsets.UTF_8));
    }

    private static void requireRegularOrAbsent(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new IOException(file + " is not a regular file (a FIFO, a symlink?): refused");
            }
        } catch (java.nio.file.NoSuchFileException absent) {
            // created below
        }
    }

    private void closeWriter() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }

    /** Writes what is queued (waiting 5 s at most), then closes the file. */
    @Override
    public void close() {
        writerThread.shutdown();
        try {
            if (writerThread.awaitTermination(5, TimeUnit.SECONDS)) {
                closeWriter();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warnf("access log not closed: %s", e.getMessage());
        }
    }

    static String quote(String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c < 0x7f && c != '"' && c != '=' && c != '\\';
        }
        if (plain) {
            return value;
        }
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < ' ' || c == 0x7f) {
                quoted.append(String.format("\\x%02x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}

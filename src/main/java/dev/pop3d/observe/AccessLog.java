package dev.pop3d.observe;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * One {@code key=value} line per session event (connect, auth, quit, disconnect), to the console
 * (category {@code pop3d.access}) and to {@code access.log} in the log folder. File writes run on
 * one background thread, so callers on an event loop never wait for the disk. Callers pass only
 * safe values: never a password or token.
 */
public final class AccessLog implements AutoCloseable {
    public static final String FILE_NAME = "access.log";
    private static final Logger CONSOLE = Logger.getLogger("pop3d.access");
    private static final Logger LOG = Logger.getLogger(AccessLog.class);

    private final ExecutorService writerThread = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "pop3d-access-log");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<Path> folder;
    private Path openFolder;
    private BufferedWriter writer;

    public AccessLog(Path folder) {
        this.folder = new AtomicReference<>(folder);
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
                Files.createDirectories(wanted);
                // O_NOFOLLOW: an access.log swapped for a symlink is refused, never written through
                writer = new java.io.BufferedWriter(new java.io.OutputStreamWriter(java.nio.channels.Channels.newOutputStream(
                        Files.newByteChannel(wanted.resolve(FILE_NAME), java.util.Set.of(StandardOpenOption.CREATE,
                                StandardOpenOption.APPEND, StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS))),
                        StandardCharsets.UTF_8));
                openFolder = wanted;
            }
            writer.write(text);
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            LOG.warnf("access log not written to %s: %s", folder.get(), e.getMessage());
            openFolder = null;
        }
    }

    private void closeWriter() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() {
        writerThread.execute(() -> {
            try {
                closeWriter();
            } catch (IOException e) {
                LOG.warnf("access log not closed: %s", e.getMessage());
            }
        });
        writerThread.shutdown();
        try {
            writerThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

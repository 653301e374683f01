package dev.pop3d.observe;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The counters an operator expects to survive a restart (CONF1 HTU and BTF), kept in memory and
 * written to {@code <data-dir>/stats/<instance>.counters} by {@link #save()} (periodically and at
 * shutdown). One file per instance (pod), never shared between replicas.
 */
public final class PersistentCounters {
    private static final Logger LOG = Logger.getLogger(PersistentCounters.class);

    private final Path file;
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private volatile String lastSaved = "";

    public PersistentCounters(Path dataDir, String instance) {
        this.file = dataDir.resolve("stats").resolve(instance.replaceAll("[^A-Za-z0-9._-]", "_") + ".counters");
        load();
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            Properties values = new Properties();
            values.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            logins.set(Long.parseLong(values.getProperty("historic-logins", "0")));
            bytesSent.set(Long.parseLong(values.getProperty("bytes-sent", "0")));
        } catch (IOException | NumberFormatException e) {
            LOG.warnf("counters in %s unreadable (%s): starting from 0", file, e.getMessage());
        }
    }

    /** Successful logins since the data directory was created (CONF1 HTU). */
    public AtomicLong logins() {
        return logins;
    }

    /** Every octet written to POP3 clients (CONF1 BTF). */
    public AtomicLong bytesSent() {
        return bytesSent;
    }

    /** Writes the counters if they changed (temp file, then atomic rename). Blocking. */
    public synchronized void save() {
        String text = "historic-logins=" + logins.get() + "\nbytes-sent=" + bytesSent.get() + "\n";
        if (text.equals(lastSaved)) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            lastSaved = text;
        } catch (IOException e) {
            LOG.warnf("counters not saved to %s: %s", file, e.getMessage());
        }
    }

    public Path file() {
        return file;
    }
}

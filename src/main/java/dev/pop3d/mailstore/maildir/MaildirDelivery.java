package dev.pop3d.mailstore.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores a message the crash-safe Maildir way: write into {@code tmp/}, fsync, rename into
 * {@code new/}, fsync the directory. Names are unique and time-ordered
 * ({@code <seconds>.M<micros>P<pid>Q<n>.<host>}), so message numbers follow delivery order.
 */
public final class MaildirDelivery {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final AtomicLong LAST_MICROS = new AtomicLong();

    private MaildirDelivery() {}

    /** Delivers {@code message} into {@code maildir} (created if missing); returns the new file. */
    public static Path deliver(Path maildir, InputStream message) throws IOException {
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(maildir.resolve(sub));
        }
        String name = uniqueName();
        Path temp = maildir.resolve("tmp").resolve(name);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(channel)) {
            message.transferTo(out);
            out.flush();
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Path target = maildir.resolve("new").resolve(name);
        Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Fsync.directory(maildir.resolve("new"));
        return target;
    }

    static String uniqueName() {
        java.time.Instant now = java.time.Instant.now();
        long wall = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
        // strictly increasing within this process, so two deliveries never sort out of order
        long micros = LAST_MICROS.updateAndGet(last -> Math.max(last + 1, wall));
        long seconds = micros / 1_000_000;
        return String.format("%d.M%06dP%dQ%d.%s", seconds, micros % 1_000_000, ProcessHandle.current().pid(),
                SEQUENCE.incrementAndGet(), host());
    }

    /** Maildir escapes '/' and ':' in the host part. */
    private static String host() {
        String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        return host.replace("/", "\\057").replace(":", "\\072");
    }
}

package dev.pop3d.mailstore.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores a message the crash-safe Maildir way: write into {@code tmp/}, fsync, rename into
 * {@code new/}, fsync the directory. Names are unique and time-ordered
 * ({@code <seconds>.M<micros>P<pid>Q<n>.<host>}), so message numbers follow delivery order. A
 * crash leaves either no message in {@code new/} or a whole one; what it leaves in {@code tmp/} is
 * removed by a later delivery to that Maildir once it is {@link #STALE_TMP} old (the Maildir
 * convention), at most {@link #MAX_CLEANED_PER_DELIVERY} files at a time.
 */
public final class MaildirDelivery {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final AtomicLong LAST_MICROS = new AtomicLong();
    /** A tmp/ file untouched this long is a crashed delivery's (qmail's maildir(5): 36 hours). */
    static final Duration STALE_TMP = Duration.ofHours(36);
    static final int MAX_CLEANED_PER_DELIVERY = 100;

    private MaildirDelivery() {}

    /** Delivers {@code message} into {@code maildir} (created if missing); returns the new file. */
    public static Path deliver(Path maildir, InputStream message) throws IOException {
        createFolders(maildir);
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
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        Fsync.directory(maildir.resolve("new"));
        return target;
    }

    private static void createFolders(Path maildir) throws IOException {
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(maildir.resolve(sub));
        }
    }

    /** One copy of a message: its Maildir and the lines written before the message (its own headers). */
    public record Copy(Path maildir, byte[] prefix) {}

    /** What became of one copy. */
    public enum Result { STORED, NO_SPACE, FAILED }

    /**
     * Starts copies of one message, one file per copy in each {@code tmp/} (no hard links: each
     * copy has its own prefix). A copy that cannot be created fails alone. Blocking.
     */
    public static Batch open(List<Copy> copies, Instant now) {
        List<Batch.File> files = new ArrayList<>();
        for (Copy copy : copies) {
            Batch.File file = new Batch.File(copy.maildir());
            try {
                createFolders(copy.maildir());
                cleanTmp(copy.maildir().resolve("tmp"), now);
                file.name = uniqueName();
                file.temp = copy.maildir().resolve("tmp").resolve(file.name);
                file.channel = FileChannel.open(file.temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                file.write(ByteBuffer.wrap(copy.prefix()));
            } catch (IOException e) {
                file.fail(e);
            }
            files.add(file);
        }
        return new Batch(files);
    }

    /**
     * Copies of one message being written: {@link #write} appends to every copy not failed yet,
     * {@link #commit} makes them durable and visible, {@link #abort} removes them. Blocking, and
     * used by one thread at a time.
     */
    public static final class Batch {
        private final List<File> files;
        private boolean finished;

        private Batch(List<File> files) {
            this.files = files;
        }

        public void write(byte[] bytes, int offset, int length) {
            for (File file : files) {
                if (file.failure == null) {
                    try {
                        file.write(ByteBuffer.wrap(bytes, offset, length));
                    } catch (IOException e) {
                        file.fail(e);
                    }
                }
            }
        }

        /**
         * fsync every copy, then renames each into {@code new/} and fsyncs that folder. With
         * {@code allOrNothing} (SMTP: one reply for all), one failed copy fails and removes them all
         * before any is renamed. One result per copy, in order.
         */
        public List<Result> commit(boolean allOrNothing) {
            finished = true;
            for (File file : files) {
                if (file.failure == null) {
                    try {
                        file.channel.force(true);
                        file.channel.close();
                    } catch (IOException e) {
                        file.fail(e);
                    }
                }
            }
            Result worst = files.stream().map(File::result).filter(r -> r != Result.STORED).findFirst()
                    .orElse(Result.STORED);
            if (allOrNothing && worst != Result.STORED) {
                files.forEach(File::remove);
                return files.stream().map(f -> worst).toList();
            }
            List<Result> results = new ArrayList<>();
            for (File file : files) {
                if (file.failure == null) {
                    try {
                        Files.move(file.temp, file.maildir.resolve("new").resolve(file.name), StandardCopyOption.ATOMIC_MOVE);
                        file.temp = null;
                        Fsync.directory(file.maildir.resolve("new"));
                    } catch (IOException e) {
                        file.fail(e);
                    }
                }
                results.add(file.result());
            }
            return results;
        }

        /** Removes every copy; nothing of this message stays. Idempotent. */
        public void abort() {
            if (!finished) {
                finished = true;
                files.forEach(File::remove);
            }
        }

        /** One copy's file, and why it failed (if it did). */
        private static final class File {
            final Path maildir;
            String name;
            Path temp;
            FileChannel channel;
            IOException failure;

            File(Path maildir) {
                this.maildir = maildir;
            }

            void write(ByteBuffer buffer) throws IOException {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }

            void fail(IOException e) {
                failure = e;
                remove();
            }

            void remove() {
                try {
                    if (channel != null) {
                        channel.close();
                    }
                    if (temp != null) {
                        Files.deleteIfExists(temp);
                        temp = null;
                    }
                } catch (IOException ignored) {
                    // a full or failing disk: the stale tmp/ file is removed by a later delivery
                }
            }

            Result result() {
                if (failure == null) {
                    return Result.STORED;
                }
                return noSpace(failure) ? Result.NO_SPACE : Result.FAILED;
            }
        }
    }

    /** ENOSPC and EDQUOT, as the JDK words them. */
    static boolean noSpace(IOException e) {
        String text = String.valueOf(e.getMessage());
        return text.contains("No space left on device") || text.contains("Disk quota exceeded");
    }

    /** Removes crashed deliveries' files from {@code tmp}: regular files older than {@link #STALE_TMP}. */
    static int cleanTmp(Path tmp, Instant now) {
        int removed = 0;
        int seen = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path entry : entries) {
                if (++seen > 10 * MAX_CLEANED_PER_DELIVERY || removed >= MAX_CLEANED_PER_DELIVERY) {
                    break;
                }
                BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (attributes.isRegularFile()
                        && attributes.lastModifiedTime().toInstant().isBefore(now.minus(STALE_TMP))) {
                    Files.deleteIfExists(entry);
                    removed++;
                }
            }
        } catch (IOException e) {
            // best effort: the delivery itself does not depend on it
        }
        return removed;
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

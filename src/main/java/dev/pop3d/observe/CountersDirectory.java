package dev.pop3d.observe;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of {@code <data-dir>/stats/}, shared by every instance on one volume (ADR 0008):
 * {@code <name>.counters} (one instance's share not yet retired, with the id of that write),
 * {@code retired.counters} (the sum of folded shares, and per folded name the id and values of
 * its last fold) and {@code counters.lock} (an advisory {@code fcntl} lock every writer holds).
 * Writes are crash-safe: temp file, fsync, rename, fsync of the directory. Blocking; not
 * thread-safe (one caller at a time, under the lock).
 */
final class CountersDirectory {
    static final String SUFFIX = ".counters";
    static final String RETIRED = "retired" + SUFFIX;
    static final String LOCK = "counters.lock";
    private static final String TEMP = ".tmp";

    /** Two counters; HTU and BTF. */
    record Values(long logins, long bytesSent) {
        static final Values ZERO = new Values(0, 0);

        Values plus(Values other) {
            return new Values(logins + other.logins, bytesSent + other.bytesSent);
        }

        Values minus(Values other) {
            return new Values(logins - other.logins, bytesSent - other.bytesSent);
        }
    }

    /**
     * One instance's file: the write's id, what it holds, when it was last written, and whether
     * its instance stopped cleanly (released: foldable at once, and its name free to take).
     */
    record Share(String version, Values values, Instant modified, boolean released) {}

    /** The last fold of one name: the id of the file folded, the sum ever folded for that name, when. */
    record Fold(String version, Values total, Instant at) {}

    /** retired.counters. */
    record Retired(Values total, Map<String, Fold> folds) {
        static final Retired EMPTY = new Retired(Values.ZERO, Map.of());

        Values foldedFor(String name) {
            Fold fold = folds.get(name);
            return fold == null ? Values.ZERO : fold.total();
        }

        /** Whether this file is one already added to the total (a fold interrupted before its delete). */
        boolean holds(String name, Share share) {
            Fold fold = folds.get(name);
            return fold != null && fold.version().equals(share.version());
        }

        Retired fold(String name, Share share, Instant now) {
            Map<String, Fold> next = new TreeMap<>(folds);
            next.put(name, new Fold(share.version(), foldedFor(name).plus(share.values()), now));
            return new Retired(total.plus(share.values()), next);
        }
    }

    /** How taking the lock went. */
    enum Lock { HELD, BUSY, UNSUPPORTED }

    private final Path dir;

    CountersDirectory(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path shareFile(String name) {
        return dir.resolve(name + SUFFIX);
    }

    /** Runs {@code action} holding the lock file's lock, if it is free now. */
    Lock tryLocked(IoAction action) throws IOException {
        Files.createDirectories(dir);
        try (FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return Lock.BUSY; // held by another instance in this JVM (tests)
            } catch (IOException e) {
                return Lock.UNSUPPORTED; // ENOLCK: a volume mounted without locking
            }
            if (lock == null) {
                return Lock.BUSY;
            }
            try {
                action.run();
            } finally {
                lock.release();
            }
            return Lock.HELD;
        }
    }

    interface IoAction {
        void run() throws IOException;
    }

    /** Every share on the volume by name; unreadable ones are reported to {@code unreadable} and left out. */
    Map<String, Share> shares(java.util.function.BiConsumer<String, String> unreadable) throws IOException {
        Map<String, Share> shares = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return shares;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String fileName = file.getFileName().toString();
                if (!fileName.endsWith(SUFFIX) || fileName.equals(RETIRED)) {
                    continue;
                }
                String name = fileName.substring(0, fileName.length() - SUFFIX.length());
                try {
                    share(name).ifPresent(s -> shares.put(name, s));
                } catch (IOException e) {
                    unreadable.accept(name, String.valueOf(e.getMessage()));
                }
            }
        }
        return shares;
    }

    Optional<Share> share(String name) throws IOException {
        Path file = shareFile(name);
        try {
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            Properties p = properties(Files.readString(file, StandardCharsets.UTF_8));
            return Optional.of(new Share(p.getProperty("version", "0").trim(), values(p), modified,
                    Boolean.parseBoolean(p.getProperty("released", "false").trim())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new IOException(file + " is damaged (" + e + ")", e);
        }
    }

    void writeShare(String name, String version, Values values, boolean released) throws IOException {
        replace(shareFile(name), "# pop3d counters of one instance, not yet folded into " + RETIRED + " (docs/adr/0008)\n"
                + "version=" + version + "\n" + text(values) + (released ? "released=true\n" : ""));
    }

    /** retired.counters, or empty if none; a damaged file is an IOException (never overwritten). */
    Retired retired() throws IOException {
        Path file = dir.resolve(RETIRED);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Retired.EMPTY;
        }
        try {
            Properties p = properties(text);
            Map<String, Fold> folds = new TreeMap<>();
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("folded.")) {
                    String[] f = p.getProperty(key).trim().split(" ");
                    folds.put(key.substring("folded.".length()), new Fold(f[0],
                            new Values(Long.parseLong(f[1]), Long.parseLong(f[2])), Instant.ofEpochMilli(Long.parseLong(f[3]))));
                }
            }
            return new Retired(values(p), folds);
        } catch (RuntimeException e) {
            throw new IOException(file + " is damaged (" + e + "): fix or remove it while every instance is stopped", e);
        }
    }

    void writeRetired(Retired retired) throws IOException {
        StringBuilder text = new StringBuilder("# pop3d counters of instances that stopped (docs/adr/0008);\n"
                + "# folded.NAME=VERSION LOGINS BYTES EPOCH-MS: the last file of NAME added here\n");
        text.append(text(retired.total()));
        retired.folds().forEach((name, f) -> text.append("folded.").append(name).append('=').append(f.version()).append(' ')
                .append(f.total().logins()).append(' ').append(f.total().bytesSent()).append(' ')
                .append(f.at().toEpochMilli()).append('\n'));
        replace(dir.resolve(RETIRED), text.toString());
    }

    void delete(String name) throws IOException {
        Files.deleteIfExists(shareFile(name));
    }

    /** Temp files left by a crash; only called under the lock, when no write of ours is under way. */
    void removeLeftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(SUFFIX + TEMP)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the files themselves are synced
        }
    }

    private void replace(Path target, String text) throws IOException {
        Files.createDirectories(dir);
        Path temp = target.resolveSibling(target.getFileName() + TEMP);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
    }

    private static String text(Values values) {
        return "historic-logins=" + values.logins() + "\nbytes-sent=" + values.bytesSent() + "\n";
    }

    private static Values values(Properties p) {
        return new Values(Long.parseLong(p.getProperty("historic-logins", "0").trim()),
                Long.parseLong(p.getProperty("bytes-sent", "0").trim()));
    }

    private static Properties properties(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }
}

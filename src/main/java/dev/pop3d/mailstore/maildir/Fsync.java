package dev.pop3d.mailstore.maildir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** Durable file operations: what is written survives a crash once these return. */
final class Fsync {
    private Fsync() {}

    /** fsync(2) on a directory, so that renames and unlinks in it are durable. */
    static void directory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open or sync directories; the data itself is synced.
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /** Writes {@code text} to a temporary file beside {@code target}, syncs it, renames it over. */
    static void replace(Path target, String text) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp." + UUID.randomUUID());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            CrashPoints.reachForIndex(CrashPoints.INDEX_WRITTEN, target);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            CrashPoints.reachForIndex(CrashPoints.INDEX_RENAMED, target);
            directory(target.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}

package dev.pop3d.mailstore.maildir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted for a test (the machine runs tests as root): a real full disk, since root
 * ignores file modes and a read-only folder proves nothing. Skipped where mounting is refused.
 */
final class Tmpfs implements AutoCloseable {
    final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    static Tmpfs mount(Path dir, String size) throws Exception {
        Files.createDirectories(dir);
        int exit = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",nr_inodes=4096,mode=0700", "tmpfs", dir.toString());
        Assumptions.assumeTrue(exit == 0, "cannot mount a tmpfs here (not root?): the full-disk test is skipped");
        return new Tmpfs(dir);
    }

    /** Writes a filler file until the disk is full; returns the free octets left (0 on tmpfs). */
    long fill() throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(dir.resolve("filler"))) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException expected) {
            // No space left on device
        }
        return Files.getFileStore(dir).getUsableSpace();
    }

    long free() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Override
    public void close() throws Exception {
        run("umount", "-l", dir.toString());
    }
}

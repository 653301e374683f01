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

    /** A small ext4 (no reserved blocks) on a loop device: symlinks of 60 octets or more need a block there. */
    static Tmpfs ext4(Path dir, Path image) throws Exception {
        Files.createDirectories(dir);
        int made = run("sh", "-c", "truncate -s 8M '" + image + "' && mkfs.ext4 -q -F -m 0 '" + image + "'");
        Assumptions.assumeTrue(made == 0, "cannot make an ext4 image here: the ext4 test is skipped");
        int exit = run("mount", "-o", "loop", image.toString(), dir.toString());
        Assumptions.assumeTrue(exit == 0, "cannot loop-mount ext4 here (not root?): the ext4 test is skipped");
        return new Tmpfs(dir);
    }

    /** Writes filler files until not one more octet fits; returns the free octets left (0). */
    long fill() throws IOException {
        for (int size : new int[] {4096, 1}) { // ext4 on a small image uses 1 KiB blocks
            byte[] block = new byte[size];
            try (OutputStream out = Files.newOutputStream(dir.resolve("filler-" + size))) {
                while (true) {
                    out.write(block);
                    out.flush();
                }
            } catch (IOException expected) {
                // No space left on device
            }
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
        run("umount", dir.toString());
    }
}

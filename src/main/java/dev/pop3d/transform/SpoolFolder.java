package dev.pop3d.transform;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The folder filter output is spooled into. Only this user may write into it: it is created 0700
 * if missing, and an existing one must be a real directory (no symlink) owned by this user with
 * no permission for group or others; otherwise every run is refused (a folder another user
 * pre-created in a shared /tmp could let them swap spool files for links).
 */
final class SpoolFolder {
    private static final Set<PosixFilePermission> FOREIGN = EnumSet.complementOf(
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));

    private final Path dir;

    SpoolFolder(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** A fresh name in the checked folder (the caller creates it {@code CREATE_NEW}). */
    Path newFile() throws FilterException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException exists) {
            // checked below
        } catch (IOException | UnsupportedOperationException e) {
            throw new FilterException("cannot create the spool folder " + dir, e);
        }
        check();
        return dir.resolve("filter-" + UUID.randomUUID() + ".out");
    }

    /** Removes the folder and any spool file left in it (at shutdown); a folder not ours is left. */
    void remove() {
        try {
            check();
            try (var files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        } catch (FilterException | IOException | RuntimeException e) {
            // a missing folder, or one we refuse to touch: nothing to clean
        }
    }

    private void check() throws FilterException {
        try {
            PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isDirectory()) {
                throw new FilterException("spool folder " + dir + " is not a directory (a symlink?): refused");
            }
            String me = Files.getOwner(Path.of("/proc/self")).getName();
            if (!attributes.owner().getName().equals(me)) {
                throw new FilterException("spool folder " + dir + " belongs to " + attributes.owner().getName()
                        + ", not " + me + ": refused");
            }
            Set<PosixFilePermission> open = EnumSet.copyOf(attributes.permissions().isEmpty()
                    ? EnumSet.noneOf(PosixFilePermission.class) : attributes.permissions());
            open.retainAll(FOREIGN);
            if (!open.isEmpty()) {
                throw new FilterException("spool folder " + dir + " is open to others ("
                        + PosixFilePermissions.toString(attributes.permissions()) + "): refused");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new FilterException("cannot check the spool folder " + dir, e);
        }
    }
}

package dev.pop3d.conf1.objects;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where CONF1 may point the log folder (LGF) and the maildir root (MDF): a real directory under the
 * data directory — no symlink on the way, nothing outside it — that is not a Maildir nor inside one
 * (else {@code SET LGF mail/erin/Maildir/new} would deliver everyone's logins to erin as mail).
 */
final class SafeFolders {
    private SafeFolders() {}

    /** Empty when {@code candidate} (already resolved against {@code dataDir}) is acceptable, else why not. */
    static Optional<String> problem(Path dataDir, Path candidate, String argument) {
        Path base = dataDir.toAbsolutePath().normalize();
        Path target = candidate.toAbsolutePath().normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            return Optional.of("Folder must be inside the data directory: " + argument);
        }
        Path real;
        Path realBase;
        try {
            realBase = base.toRealPath();
            real = target.toRealPath();
        } catch (IOException e) {
            return Optional.of("Not an existing directory: " + argument);
        }
        // the real path must be the lexical one: no component is a symlink
        if (!real.equals(realBase.resolve(base.relativize(target)))) {
            return Optional.of("Folder must not be or pass through a symlink: " + argument);
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of("Not a directory: " + argument);
        }
        for (Path p = real; p != null && !p.equals(realBase); p = p.getParent()) {
            if (isMaildir(p)) {
                return Optional.of("Folder must not be inside a Maildir: " + argument);
            }
        }
        return Optional.empty();
    }

    /** A Maildir by name or by shape (cur/, new/ and tmp/), or one of those three inside one. */
    private static boolean isMaildir(Path dir) {
        String name = dir.getFileName().toString();
        if (name.equals("Maildir")) {
            return true;
        }
        return Files.isDirectory(dir.resolve("cur"), LinkOption.NOFOLLOW_LINKS)
                && Files.isDirectory(dir.resolve("new"), LinkOption.NOFOLLOW_LINKS)
                && Files.isDirectory(dir.resolve("tmp"), LinkOption.NOFOLLOW_LINKS);
    }
}

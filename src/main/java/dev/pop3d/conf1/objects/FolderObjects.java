package dev.pop3d.conf1.objects;

import dev.pop3d.endpoint.Conf1Object;
import dev.pop3d.endpoint.Conf1Reply;
import dev.pop3d.live.LiveSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/** LGF (log folder) and MDF (Maildir root): relative paths are relative to the data directory. */
public final class FolderObjects {
    private FolderObjects() {}

    /** LGF: a real directory under the data directory outside every Maildir, created if missing; the access log moves there. */
    public static Conf1Object lgf(LiveSettings live, Consumer<Path> moveLogs) {
        return new Conf1Object() {
            public String code() { return "LGF"; }

            public boolean writable() { return true; }

            public boolean blocking() { return true; }

            public Conf1Reply get() { return Conf1Reply.suc("Log folder: " + live.current().logFolderText()); }

            public Conf1Reply set(String argument) {
                Optional<String> problem = Arguments.checkString("LGF", argument);
                if (problem.isPresent()) {
                    return Conf1Reply.err(problem.get());
                }
                Path folder = live.resolve(argument);
                if (!folder.toAbsolutePath().normalize().startsWith(live.dataDir().toAbsolutePath().normalize())) {
                    return Conf1Reply.err("Folder must be inside the data directory: " + argument);
                }
                try {
                    Files.createDirectories(folder);
                } catch (IOException e) {
                    return Conf1Reply.err("Cannot create log folder: " + argument);
                }
                Optional<String> unsafe = SafeFolders.problem(live.dataDir(), folder, argument);
                if (unsafe.isPresent()) {
                    return Conf1Reply.err(unsafe.get());
                }
                if (!Files.isWritable(folder)) {
                    return Conf1Reply.err("Log folder is not writable: " + argument);
                }
                live.update(s -> s.withLogFolder(argument, folder));
                moveLogs.accept(folder);
                return Conf1Reply.suc("New log folder: " + argument);
            }
        };
    }

    /**
     * MDF: the configured root, or an existing real directory under the data directory outside every
     * Maildir, that the server can read and write; new logins use it.
     */
    public static Conf1Object mdf(LiveSettings live) {
        Path configuredRoot = live.current().maildirRoot();
        return new Conf1Object() {
            public String code() { return "MDF"; }

            public boolean writable() { return true; }

            public boolean blocking() { return true; }

            public Conf1Reply get() { return Conf1Reply.suc("Maildir folder: " + live.current().maildirRootText()); }

            public Conf1Reply set(String argument) {
                Optional<String> problem = Arguments.checkString("MDF", argument);
                if (problem.isPresent()) {
                    return Conf1Reply.err(problem.get());
                }
                Path root = live.resolve(argument);
                boolean configured = root.toAbsolutePath().normalize().equals(configuredRoot.toAbsolutePath().normalize());
                Optional<String> unsafe = configured ? Optional.empty() : SafeFolders.problem(live.dataDir(), root, argument);
                if (unsafe.isPresent()) {
                    return Conf1Reply.err(unsafe.get());
                }
                if (!Files.isDirectory(root) || !Files.isReadable(root) || !Files.isWritable(root)) {
                    return Conf1Reply.err("Not a readable and writable directory: " + argument);
                }
                live.update(s -> s.withMaildirRoot(argument, root));
                return Conf1Reply.suc("New maildir folder: " + argument);
            }
        };
    }
}

package dev.pop3d.live;

import dev.pop3d.config.Pop3Config;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The values CONF1 can change while the server runs, as one immutable {@link Snapshot} behind an
 * {@link AtomicReference}: readers take a consistent snapshot, writers replace it whole. At
 * start-up (and after a restart) the configuration wins again.
 */
@ApplicationScoped
public class LiveSettings {
    /**
     * Until the CONF1 endpoint settles the token ({@code Conf1Token}) at start-up: matches no request,
     * and stays so when CONF1 is disabled.
     */
    static final String NO_TOKEN = "";

    /**
     * @param maildirRootText as the operator wrote it (GET MDF shows this)
     * @param maildirRoot     resolved against the data directory
     * @param tokenConfigured a token is in force (settled at start-up or SET by ATT)
     */
    public record Snapshot(String maildirRootText, Path maildirRoot, String logFolderText, Path logFolder,
                           String token, boolean tokenConfigured, boolean transformEnabled,
                           Optional<String> transformCommand, int maxConnections, Duration idleTimeout) {
        public Snapshot withMaildirRoot(String text, Path root) {
            return new Snapshot(text, root, logFolderText, logFolder, token, tokenConfigured, transformEnabled,
                    transformCommand, maxConnections, idleTimeout);
        }

        public Snapshot withLogFolder(String text, Path folder) {
            return new Snapshot(maildirRootText, maildirRoot, text, folder, token, tokenConfigured, transformEnabled,
                    transformCommand, maxConnections, idleTimeout);
        }

        public Snapshot withToken(String newToken) {
            return new Snapshot(maildirRootText, maildirRoot, logFolderText, logFolder, newToken, true,
                    transformEnabled, transformCommand, maxConnections, idleTimeout);
        }

        public Snapshot withTransformEnabled(boolean enabled) {
            return new Snapshot(maildirRootText, maildirRoot, logFolderText, logFolder, token, tokenConfigured,
                    enabled, transformCommand, maxConnections, idleTimeout);
        }

        public Snapshot withTransformCommand(String command) {
            return new Snapshot(maildirRootText, maildirRoot, logFolderText, logFolder, token, tokenConfigured,
                    transformEnabled, Optional.of(command), maxConnections, idleTimeout);
        }

        public Snapshot withMaxConnections(int max) {
            return new Snapshot(maildirRootText, maildirRoot, logFolderText, logFolder, token, tokenConfigured,
                    transformEnabled, transformCommand, max, idleTimeout);
        }

        public Snapshot withIdleTimeout(Duration timeout) {
            return new Snapshot(maildirRootText, maildirRoot, logFolderText, logFolder, token, tokenConfigured,
                    transformEnabled, transformCommand, maxConnections, timeout);
        }

        @Override
        public String toString() {
            return "Snapshot[maildir=" + maildirRoot + ", logs=" + logFolder + ", token=***, transform="
                    + transformEnabled + "]";
        }
    }

    private final Path dataDir;
    private final AtomicReference<Snapshot> current;

    /** For plain unit tests of the objects that change these settings. */
    public LiveSettings(Path dataDir, Snapshot initial) {
        this.dataDir = dataDir;
        this.current = new AtomicReference<>(initial);
    }

    @jakarta.inject.Inject
    public LiveSettings(Pop3Config pop3) {
        this.dataDir = pop3.dataDir();
        current = new AtomicReference<>(new Snapshot(
                pop3.maildir().root().toString(), pop3.maildir().root(),
                pop3.logFolder(), dataDir.resolve(pop3.logFolder()).normalize(),
                NO_TOKEN, false,
                pop3.transform().enabled(), pop3.transform().command(),
                pop3.limits().maxConnections(), pop3.limits().idleTimeout()));
    }

    public Snapshot current() {
        return current.get();
    }

    public void update(UnaryOperator<Snapshot> change) {
        current.updateAndGet(change);
    }

    /** Relative paths are relative to the data directory. */
    public Path resolve(String path) {
        return dataDir.resolve(path).normalize();
    }

    public Path dataDir() {
        return dataDir;
    }
}

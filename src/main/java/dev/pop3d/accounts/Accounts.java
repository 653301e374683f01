package dev.pop3d.accounts;

import dev.pop3d.auth.InvalidUsersException;
import dev.pop3d.auth.UserDirectory;
import dev.pop3d.auth.UserStore;
import dev.pop3d.config.Pop3Config;
import dev.pop3d.live.LiveSettings;
import dev.pop3d.mailstore.maildir.DemoMaildrop;
import dev.pop3d.mailstore.maildir.MaildirStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The one user directory of the process, shared by every endpoint that needs to know who exists:
 * POP3 (logins), mail intake (who can receive) and the admin API. Loaded once, on first use (from
 * {@code pop3.users} / {@code pop3.users-file}, or the demo user when neither names anyone and the
 * demo is on); the users file is reloaded by its watcher in the POP3 listener.
 */
@ApplicationScoped
public class Accounts {
    private static final Logger LOG = Logger.getLogger(Accounts.class);

    private final Pop3Config config;
    private final LiveSettings live;
    private volatile UserDirectory users;

    public Accounts(Pop3Config config, LiveSettings live) {
        this.config = config;
        this.live = live;
    }

    /** The directory, loaded on first call (blocking: it may read the users file). */
    public UserDirectory users() throws IOException, InvalidUsersException {
        UserDirectory loaded = users;
        if (loaded == null) {
            synchronized (this) {
                loaded = users;
                if (loaded == null) {
                    loaded = load();
                    users = loaded;
                }
            }
        }
        return loaded;
    }

    /**
     * The user that receives mail addressed to {@code localPart}, or empty when there is none (the
     * intake answers {@code 550 5.1.1}). Blocking; call on a worker.
     */
    public Optional<String> recipient(String localPart) throws IOException, InvalidUsersException {
        return users().current().users().contains(localPart) ? Optional.of(localPart) : Optional.empty();
    }

    /** The Maildir of {@code user} under the live Maildir root (CONF1 SET MDF moves it). */
    public Path maildir(String user) {
        return MaildirStore.maildir(live.current().maildirRoot(), user);
    }

    private UserDirectory load() throws IOException, InvalidUsersException {
        UserDirectory loaded = UserDirectory.load(config.users(), config.usersFile());
        if (!loaded.current().isEmpty() || config.usersFile().isPresent()) {
            return loaded;
        }
        if (!config.demo().enabled()) {
            throw new IllegalStateException("No users configured: set pop3.users or pop3.users-file "
                    + "(or pop3.demo.enabled=true for the demo user)");
        }
        boolean created = DemoMaildrop.ensure(config.maildir().root(), config.port() == 0 ? 1110 : config.port());
        LOG.warnf("No users configured: serving the DEMO user '%s' (password '%s')%s. Configure "
                        + "pop3.users-file before real use; pop3.demo.enabled=false turns this off.",
                DemoMaildrop.USER, DemoMaildrop.PASSWORD, created ? ", demo maildrop created" : "");
        return UserDirectory.fixed(UserStore.of(Map.of(DemoMaildrop.USER, "{PLAIN}" + DemoMaildrop.PASSWORD)));
    }
}

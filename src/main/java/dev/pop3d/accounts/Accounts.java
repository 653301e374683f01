package dev.pop3d.accounts;

import dev.pop3d.auth.InvalidUsersException;
import dev.pop3d.auth.TestUsers;
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
 *
 * <p>With the admin API or auto-creation on (the test-server mode, ADR 0019), the test users of
 * {@code <data-dir>/test-users} join the directory under names the configured users do not take,
 * and an empty configuration is allowed (users come at run time).
 */
@ApplicationScoped
public class Accounts {
    private static final Logger LOG = Logger.getLogger(Accounts.class);

    private final Pop3Config config;
    private final LiveSettings live;
    private volatile UserDirectory users;
    /** Present when users may be added at run time (admin API or auto-creation). */
    private volatile TestUsers testUsers;
    /** One change of the test users at a time: the file and the directory change together. */
    private final Object changes = new Object();

    /** What {@link #createTestUser} did. */
    public enum Create { CREATED, REPLACED, CONFIGURED_USER, FULL }

    /** What {@link #removeTestUser} did. */
    public enum Remove { REMOVED, CONFIGURED_USER, UNKNOWN }

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
        UserDirectory directory = users();
        if (directory.current().users().contains(localPart)) {
            return Optional.of(localPart);
        }
        if (!config.test().autoCreateUsers() || TestUsers.nameProblem(localPart).isPresent()) {
            return Optional.empty();
        }
        // pop3.test.auto-create-users: the local part is the user and its password
        // (zed@example.org and zed@example.net share one mailbox)
        Create created = createTestUser(localPart, localPart, false);
        switch (created) {
            case CREATED -> LOG.infof("test user %s auto-created (pop3.test.auto-create-users)", localPart);
            case FULL -> LOG.warnf("test user %s not auto-created: %d test users already (the cap)", localPart,
                    TestUsers.MAX_USERS);
            case REPLACED, CONFIGURED_USER -> { }
        }
        return created == Create.FULL ? Optional.empty() : Optional.of(localPart);
    }

    /** Whether {@code name} can log in now (configured or test user). Blocking on first use. */
    public boolean exists(String name) throws IOException, InvalidUsersException {
        return users().current().users().contains(name);
    }

    /** Whether {@code name} is a test user (created at run time), not a configured one. */
    public boolean isTestUser(String name) throws IOException, InvalidUsersException {
        UserDirectory directory = users();
        TestUsers store = testUsers;
        return store != null && store.contains(name) && !directory.configured().users().contains(name);
    }

    /** Whether test users can be added at run time (pop3.admin.enabled or pop3.test.auto-create-users). */
    public boolean runtimeUsers() {
        return config.admin().enabled() || config.test().autoCreateUsers();
    }

    /**
     * Creates the test user {@code name} (or sets its password, when it is one already); a
     * configured user is never overridden. Name and password must pass {@link TestUsers}' checks.
     * Blocking.
     */
    public Create createTestUser(String name, String password) throws IOException, InvalidUsersException {
        return createTestUser(name, password, true);
    }

    private Create createTestUser(String name, String password, boolean replace)
            throws IOException, InvalidUsersException {
        UserDirectory directory = users();
        TestUsers store = requireTestUsers();
        synchronized (changes) {
            if (directory.configured().users().contains(name)) {
                return Create.CONFIGURED_USER;
            }
            if (!replace && store.contains(name)) {
                return Create.REPLACED; // created meanwhile (two deliveries at once): left as it is
            }
            TestUsers.Put put = store.put(name, password);
            directory.testUsers(store.secrets());
            return switch (put) {
                case CREATED -> Create.CREATED;
                case REPLACED -> Create.REPLACED;
                case FULL -> Create.FULL;
            };
        }
    }

    /** Removes the test user {@code name}; configured users are never removed here. Blocking. */
    public Remove removeTestUser(String name) throws IOException, InvalidUsersException {
        UserDirectory directory = users();
        TestUsers store = requireTestUsers();
        synchronized (changes) {
            if (store.remove(name)) {
                directory.testUsers(store.secrets());
                return Remove.REMOVED;
            }
            return directory.configured().users().contains(name) ? Remove.CONFIGURED_USER : Remove.UNKNOWN;
        }
    }

    /** Removes every test user (POST /api/reset). Blocking. */
    public void clearTestUsers() throws IOException, InvalidUsersException {
        UserDirectory directory = users();
        TestUsers store = requireTestUsers();
        synchronized (changes) {
            store.clear();
            directory.testUsers(store.secrets());
        }
    }

    private TestUsers requireTestUsers() {
        TestUsers store = testUsers;
        if (store == null) {
            throw new IllegalStateException("test users need pop3.admin.enabled or pop3.test.auto-create-users");
        }
        return store;
    }

    /** The Maildir of {@code user} under the live Maildir root (CONF1 SET MDF moves it). */
    public Path maildir(String user) {
        return MaildirStore.maildir(live.current().maildirRoot(), user);
    }

    private UserDirectory load() throws IOException, InvalidUsersException {
        UserDirectory loaded = UserDirectory.load(config.users(), config.usersFile());
        if (runtimeUsers()) {
            TestUsers stored = TestUsers.load(config.dataDir().resolve(TestUsers.FILE_NAME));
            loaded.testUsers(stored.secrets());
            testUsers = stored;
            if (loaded.current().isEmpty() && config.usersFile().isEmpty()) {
                LOG.infof("No users configured: users come at run time (%s)", config.admin().enabled()
                        ? "the admin API" + (config.test().autoCreateUsers() ? " and auto-creation" : "")
                        : "auto-creation");
            }
            return loaded;
        }
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

package dev.pop3d.mailstore.maildir;

import dev.pop3d.auth.InvalidUsersException;
import dev.pop3d.auth.UserStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code deliver USER < message}: stores one message in the user's Maildir the crash-safe way
 * (tmp/, fsync, rename into new/, fsync), as a local delivery agent for an MTA. Configuration
 * comes from the same keys as the server, as system properties or environment variables
 * ({@code pop3.maildir.root} / {@code POP3_MAILDIR_ROOT}, {@code pop3.data-dir},
 * {@code pop3.users-file}, {@code pop3.users}). Exit codes as sendmail delivery agents use them:
 * 0 delivered, 64 usage, 67 unknown user, 75 temporary failure (try again). Starts no listener.
 */
public final class DeliverCommand {
    static final int EX_OK = 0;
    static final int EX_USAGE = 64;
    static final int EX_NOUSER = 67;
    static final int EX_TEMPFAIL = 75;

    private DeliverCommand() {}

    public static int run(String[] args, InputStream message, PrintStream err, Properties system, Map<String, String> env) {
        if (args.length != 1) {
            err.println("usage: pop3d deliver USER < message");
            return EX_USAGE;
        }
        String user = args[0];
        Optional<String> usersFile = setting("pop3.users-file", system, env);
        Optional<String> inline = setting("pop3.users", system, env);
        try {
            UserStore users = UserStore.load(inline, usersFile.map(Path::of));
            boolean known = users.isEmpty() ? user.equals(DemoMaildrop.USER) : users.users().contains(user);
            if (!known || !MaildirStore.acceptableUser(user)) {
                err.println("deliver: unknown user " + user);
                return EX_NOUSER;
            }
        } catch (InvalidUsersException e) {
            err.println("deliver: " + e.getMessage());
            return EX_TEMPFAIL;
        } catch (IOException e) {
            err.println("deliver: users file unreadable: " + e.getMessage());
            return EX_TEMPFAIL;
        }
        Path dataDir = Path.of(setting("pop3.data-dir", system, env).orElse("data"));
        Path root = setting("pop3.maildir.root", system, env).map(Path::of).orElse(dataDir.resolve("mail"));
        try {
            Path stored = MaildirDelivery.deliver(MaildirStore.maildir(root, user), message);
            err.println("deliver: stored " + stored);
            return EX_OK;
        } catch (IOException e) {
            err.println("deliver: not stored, try again: " + e.getMessage());
            return EX_TEMPFAIL;
        }
    }

    /** A key as a system property, or as an environment variable in Quarkus' naming (POP3_USERS_FILE). */
    static Optional<String> setting(String key, Properties system, Map<String, String> env) {
        String value = system.getProperty(key);
        if (value == null) {
            value = env.get(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}

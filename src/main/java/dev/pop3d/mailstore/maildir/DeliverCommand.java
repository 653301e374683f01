package dev.pop3d.mailstore.maildir;

import dev.pop3d.auth.UserStore;
import dev.pop3d.config.ConfigFailure;
import dev.pop3d.config.ConfigLoader;
import dev.pop3d.config.Pop3Config;
import dev.pop3d.startup.ConfigChecks;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deliver USER < message}: stores one message in the user's Maildir the crash-safe way
 * (tmp/, fsync, rename into new/, fsync), as a local delivery agent for an MTA. The configuration
 * is the server's ({@link ConfigLoader}: same sources, profile and checks of the users). Exit codes
 * as sendmail delivery agents use them: 0 delivered, 64 usage, 67 unknown user, 75 temporary
 * failure (also a configuration that does not hold: the MTA retries once it is fixed). Starts no
 * listener.
 */
@Command(name = "deliver", description = "Store the message on standard input in USER's Maildir.",
        footer = {"", "Exit codes: 0 delivered, 64 usage, 67 unknown user, 75 temporary failure (try again)."})
public final class DeliverCommand implements Callable<Integer> {
    static final int EX_OK = 0;
    static final int EX_NOUSER = 67;
    static final int EX_TEMPFAIL = 75;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Parameters(paramLabel = "USER", description = "The recipient, a configured user (or demo in demo mode).")
    private String user;

    private final InputStream message;
    private final PrintStream err;
    private final ConfigLoader.Sources sources;

    public DeliverCommand(InputStream message, PrintStream err, ConfigLoader.Sources sources) {
        this.message = message;
        this.err = err;
        this.sources = sources;
    }

    @Override
    public Integer call() {
        Pop3Config config;
        UserStore users;
        try {
            config = ConfigLoader.load(sources).getConfigMapping(Pop3Config.class);
            users = ConfigChecks.users(config);
        } catch (RuntimeException e) {
            List<String> problems = ConfigFailure.problems(e);
            if (problems.isEmpty()) {
                throw e;
            }
            problems.forEach(problem -> err.println(ConfigFailure.line(problem)));
            return EX_TEMPFAIL;
        }
        // no users left: demo mode (ConfigChecks refuses no users without it), as the server
        boolean known = users.isEmpty() ? user.equals(DemoMaildrop.USER) : users.users().contains(user);
        if (!known || !MaildirStore.acceptableUser(user)) {
            err.println("deliver: unknown user " + user);
            return EX_NOUSER;
        }
        Path root = config.maildir().root();
        try {
            Path stored = MaildirDelivery.deliver(MaildirStore.maildir(root, user), message);
            err.println("deliver: stored " + stored);
            return EX_OK;
        } catch (IOException e) {
            err.println("deliver: not stored, try again: " + e.getMessage());
            return EX_TEMPFAIL;
        }
    }
}

package dev.pop3d.pop3.server;

import dev.pop3d.auth.UserDirectory;
import dev.pop3d.mailstore.MailStore;
import dev.pop3d.mailstore.MailboxInUseException;
import dev.pop3d.mailstore.MailstoreException;
import dev.pop3d.pop3.session.AuthOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.logging.Logger;

/**
 * Runs a login on a worker thread: credentials, RFC 2449 LOGIN-DELAY, then the maildrop lock.
 * Blocking (bcrypt, disk). The outcome never says whether the user exists.
 */
final class LoginGate {
    private static final Logger LOG = Logger.getLogger(LoginGate.class);

    private final UserDirectory users;
    private final MailStore store;
    private final Duration loginDelay;
    private final InstantSource clock;
    private final ConcurrentMap<String, Instant> lastLogin = new ConcurrentHashMap<>();

    LoginGate(UserDirectory users, MailStore store, Duration loginDelay, InstantSource clock) {
        this.users = users;
        this.store = store;
        this.loginDelay = loginDelay;
        this.clock = clock;
    }

    AuthOutcome login(String user, String password, String sessionId) {
        if (!users.verify(user, password)) {
            return new AuthOutcome.BadCredentials();
        }
        Instant now = clock.instant();
        Instant previous = lastLogin.get(user);
        if (!loginDelay.isZero() && previous != null && previous.plus(loginDelay).isAfter(now)) {
            return new AuthOutcome.TooSoon();
        }
        try {
            AuthOutcome.Success success = new AuthOutcome.Success(store.open(user));
            lastLogin.put(user, now);
            return success;
        } catch (MailboxInUseException e) {
            return new AuthOutcome.InUse();
        } catch (MailstoreException | RuntimeException e) {
            LOG.errorf(e, "session=%s maildrop of %s could not be opened", sessionId, user);
            return new AuthOutcome.Unavailable();
        }
    }
}

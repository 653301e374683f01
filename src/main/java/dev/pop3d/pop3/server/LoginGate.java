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
 * A login in two blocking steps, each for its own worker pool: {@link #verify} the credentials
 * (bcrypt: the auth pool), then {@link #open} the maildrop (RFC 2449 LOGIN-DELAY, the lock: the
 * store pool). The outcome never says whether the user exists.
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

    /** Whether the check is expensive (bcrypt, PBKDF2): it then runs on the bounded auth pool. */
    boolean costly(String user) {
        return users.costly(user);
    }

    /** Blocking, on the auth pool: comparable work for unknown users and wrong passwords. */
    boolean verify(String user, String password) {
        return users.verify(user, password);
    }

    /** Both steps on the calling thread (tests, and callers without pools). */
    AuthOutcome login(String user, String password, String sessionId) {
        return verify(user, password) ? open(user, sessionId) : new AuthOutcome.BadCredentials();
    }

    /** Blocking, on the store pool, after {@link #verify} said yes. */
    AuthOutcome open(String user, String sessionId) {
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
        } catch (MailstoreException e) {
            if (e.getCause() instanceof RuntimeException) { // a bug: its stack trace helps
                LOG.errorf(e, "session=%s maildrop of %s could not be opened", sessionId, user);
            } else { // I/O, often a file mode: one line says which file and why
                LOG.errorf("session=%s maildrop of %s could not be opened: %s", sessionId, user, e.oneLine());
            }
            return new AuthOutcome.Unavailable();
        } catch (RuntimeException e) {
            LOG.errorf(e, "session=%s maildrop of %s could not be opened", sessionId, user);
            return new AuthOutcome.Unavailable();
        }
    }
}

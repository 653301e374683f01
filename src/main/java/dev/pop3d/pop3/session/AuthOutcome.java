package dev.pop3d.pop3.session;

import dev.pop3d.mailstore.Maildrop;

/** What the connection learned when it ran {@link Action.Authenticate}. */
public sealed interface AuthOutcome {
    /** Credentials right and maildrop locked. */
    record Success(Maildrop drop) implements AuthOutcome {}

    /** Unknown user or wrong password: the client cannot tell which. */
    record BadCredentials() implements AuthOutcome {}

    /** Another session holds the maildrop. */
    record InUse() implements AuthOutcome {}

    /** RFC 2449 LOGIN-DELAY: this user logged in too recently. */
    record TooSoon() implements AuthOutcome {}

    /** The maildrop could not be opened (I/O). */
    record Unavailable() implements AuthOutcome {}
}

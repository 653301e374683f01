package dev.pop3d.pop3.session;

import dev.pop3d.mailstore.Maildrop;

/** What the connection learned when it ran {@link Action.Authenticate}. */
public sealed interface AuthOutcome {
    /** One constant per record, so that every dispatch is an exhaustive {@code switch}. */
    enum Kind { SUCCESS, BAD_CREDENTIALS, IN_USE, TOO_SOON, UNAVAILABLE }

    Kind kind();

    /** Credentials right and maildrop locked. */
    record Success(Maildrop drop) implements AuthOutcome {
        public Kind kind() { return Kind.SUCCESS; }
    }

    /** Unknown user or wrong password: the client cannot tell which. */
    record BadCredentials() implements AuthOutcome {
        public Kind kind() { return Kind.BAD_CREDENTIALS; }
    }

    /** Another session holds the maildrop. */
    record InUse() implements AuthOutcome {
        public Kind kind() { return Kind.IN_USE; }
    }

    /** RFC 2449 LOGIN-DELAY: this user logged in too recently. */
    record TooSoon() implements AuthOutcome {
        public Kind kind() { return Kind.TOO_SOON; }
    }

    /** The maildrop could not be opened (I/O). */
    record Unavailable() implements AuthOutcome {
        public Kind kind() { return Kind.UNAVAILABLE; }
    }
}

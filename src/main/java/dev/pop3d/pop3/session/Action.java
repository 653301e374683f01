package dev.pop3d.pop3.session;

import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MessageRef;
import java.util.Set;

/**
 * Work a step asks the connection to do after writing its reply (if any): everything that waits
 * on a disk, a hash or the network. While an action runs, the connection reads no further
 * command; pipelined commands wait their turn (RFC 2449 §6.6).
 */
public sealed interface Action {
    /** One constant per record, so that every dispatch is an exhaustive {@code switch}. */
    enum Kind { NONE, AUTHENTICATE, STREAM, COMMIT, CLOSE, START_TLS, RELEASE }

    Kind kind();

    record None() implements Action {
        public Kind kind() { return Kind.NONE; }
    }

    /**
     * Decide a login (penalties, the check, the failure delay) and open the maildrop, then call
     * {@link SessionMachine#authenticated}. USER/PASS and SASL PLAIN/LOGIN bring a password to check;
     * SCRAM has already proven it (or failed) inside the pure exchange.
     */
    record Authenticate(String user, Check check) implements Action {
        public Authenticate(String user, String password) {
            this(user, new Check.Password(password));
        }

        public Kind kind() { return Kind.AUTHENTICATE; }
    }

    /** What is left to check for a login. */
    sealed interface Check {
        /** A password to verify against the stored secret (blocking: the auth pool). */
        record Password(String password) implements Check {
            @Override
            public String toString() { return "Password[***]"; }
        }

        /** The SASL mechanism proved the password; {@code finalServerData} goes out before {@code +OK}. */
        record Proven(java.util.Optional<byte[]> finalServerData) implements Check {}

        /** The SASL exchange failed: answered like a wrong password, after the same delay. */
        record Refused() implements Check {}
    }

    /** Unlock a maildrop that will not be used (a SASL exchange abandoned after its success). */
    record Release(Maildrop drop) implements Action {
        public Kind kind() { return Kind.RELEASE; }
    }

    /**
     * Send {@code status} ({@code +OK ...}), then the message body, dot-stuffed and terminated;
     * with {@code bodyLines} set (TOP), only the headers and that many body lines.
     */
    record Stream(Maildrop drop, MessageRef message, String status, java.util.OptionalLong bodyLines)
            implements Action {
        public Kind kind() { return Kind.STREAM; }
    }

    /** RFC 1939 §6 UPDATE: remove the marked messages, then answer and close. */
    record Commit(Maildrop drop, Set<Integer> marked) implements Action {
        public Kind kind() { return Kind.COMMIT; }
    }

    /**
     * RFC 2595 §4: after the reply, negotiate TLS; input sent before the handshake is discarded, and
     * the session goes on in AUTHORIZATION with the capabilities of a secure channel.
     */
    record StartTls() implements Action {
        public Kind kind() { return Kind.START_TLS; }
    }

    /** Close the connection after the reply. */
    record Close() implements Action {
        public Kind kind() { return Kind.CLOSE; }
    }

    None NONE = new None();
}

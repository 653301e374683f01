package dev.pop3d.auth.sasl;

import java.util.Objects;
import java.util.Optional;

/**
 * What a SASL mechanism answers to one client message (RFC 4422 §3.4, §5). Mechanisms see raw
 * octets: the POP3 shell does base64, {@code *} cancel and line limits (RFC 5034 §4).
 *
 * <ul>
 *   <li>{@link Challenge}: send {@code + base64(data)} and feed the client's next line to
 *       {@link Challenge#next}.
 *   <li>{@link Verify}: the exchange is over; check the password on the password pool exactly as
 *       PASS does (failure delay, penalties, lockout) and answer {@code +OK} or {@code -ERR}.
 *   <li>{@link Success}: the mechanism has authenticated {@code user}. With final server data
 *       (SCRAM's {@code v=}) send it as {@code + base64} and wait for the client's empty line
 *       before {@code +OK} (RFC 5034 §4).
 *   <li>{@link Failure}: answer {@code -ERR}; see {@link Reason}.
 * </ul>
 *
 * Byte arrays are copied in and out; {@code toString} never shows SASL data or passwords.
 */
public sealed interface SaslStep {
    /** For exhaustive switches on Java 17. */
    enum Kind { CHALLENGE, VERIFY, SUCCESS, FAILURE }

    Kind kind();

    /** What the mechanism does with the client's answer to a challenge. */
    @FunctionalInterface
    interface Continuation {
        SaslStep respond(byte[] response);
    }

    record Challenge(byte[] data, Continuation continuation) implements SaslStep {
        public Challenge {
            data = data.clone();
            Objects.requireNonNull(continuation);
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        /** The client's decoded answer to this challenge. */
        public SaslStep next(byte[] response) {
            return continuation.respond(response.clone());
        }

        @Override
        public Kind kind() {
            return Kind.CHALLENGE;
        }

        @Override
        public String toString() {
            return "Challenge[" + data.length + " octets]";
        }
    }

    /** A plaintext password for {@code user} (authcid) to check; blocking, so the shell's call. */
    record Verify(String user, String password) implements SaslStep {
        public Verify {
            Objects.requireNonNull(user);
            Objects.requireNonNull(password);
        }

        @Override
        public Kind kind() {
            return Kind.VERIFY;
        }

        @Override
        public String toString() {
            return "Verify[user=" + user + ", password=***]";
        }
    }

    record Success(String user, Optional<byte[]> finalServerData) implements SaslStep {
        public Success {
            Objects.requireNonNull(user);
            finalServerData = finalServerData.map(byte[]::clone);
        }

        @Override
        public Optional<byte[]> finalServerData() {
            return finalServerData.map(byte[]::clone);
        }

        @Override
        public Kind kind() {
            return Kind.SUCCESS;
        }

        @Override
        public String toString() {
            return "Success[user=" + user + ", finalServerData="
                    + finalServerData.map(data -> data.length + " octets").orElse("none") + "]";
        }
    }

    record Failure(Reason reason) implements SaslStep {
        public Failure {
            Objects.requireNonNull(reason);
        }

        @Override
        public Kind kind() {
            return Kind.FAILURE;
        }
    }

    /** Why an exchange failed; the shell picks the reply, never the mechanism. */
    enum Reason {
        /**
         * Unknown user, wrong password or proof, a user without the keys the mechanism needs, or an
         * authorization identity other than the user's (RFC 4616 §2, RFC 5802 §5.1 {@code a=}).
         * Answer exactly like a wrong PASS, after the same delay, and count it as a failed login.
         */
        REJECTED,
        /**
         * The message is not of the mechanism's syntax (bad UTF-8, missing fields, a channel binding
         * we do not offer, nonces that do not match). RFC 5034 §4: {@code -ERR}, the session goes on.
         * No password was tried.
         */
        MALFORMED
    }
}

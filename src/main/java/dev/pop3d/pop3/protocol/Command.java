package dev.pop3d.pop3.protocol;

import java.util.OptionalLong;

/** A well-formed POP3 command. Message numbers are kept as parsed; the session checks them. */
public sealed interface Command extends ParsedLine {
    Verb verb();

    record User(String name) implements Command {
        public Verb verb() { return Verb.USER; }
    }

    /** The password never appears in {@code toString()}, so it cannot reach a log. */
    record Pass(String password) implements Command {
        public Verb verb() { return Verb.PASS; }

        @Override
        public String toString() { return "Pass[***]"; }
    }

    record Quit() implements Command {
        public Verb verb() { return Verb.QUIT; }
    }

    record Stat() implements Command {
        public Verb verb() { return Verb.STAT; }
    }

    /** LIST with an optional message number. */
    record List(OptionalLong number) implements Command {
        public Verb verb() { return Verb.LIST; }
    }

    record Retr(long number) implements Command {
        public Verb verb() { return Verb.RETR; }
    }

    record Dele(long number) implements Command {
        public Verb verb() { return Verb.DELE; }
    }

    record Noop() implements Command {
        public Verb verb() { return Verb.NOOP; }
    }

    record Rset() implements Command {
        public Verb verb() { return Verb.RSET; }
    }

    /** TOP msg n (RFC 1939 §7): headers, the blank line, then {@code lines} body lines. */
    record Top(long number, long lines) implements Command {
        public Verb verb() { return Verb.TOP; }
    }

    /** UIDL with an optional message number. */
    record Uidl(OptionalLong number) implements Command {
        public Verb verb() { return Verb.UIDL; }
    }

    record Capa() implements Command {
        public Verb verb() { return Verb.CAPA; }
    }

    /**
     * RFC 5034 §4: {@code AUTH mechanism [initial-response]}; {@code AUTH} alone lists the mechanisms
     * (as Dovecot does). The initial response stays base64 text ({@code =} for an empty one).
     */
    record Auth(java.util.Optional<String> mechanism, java.util.Optional<String> initialResponse) implements Command {
        public Verb verb() { return Verb.AUTH; }

        @Override
        public String toString() {
            return "Auth[" + mechanism.orElse("") + (initialResponse.isPresent() ? ", ***" : "") + "]";
        }
    }

    /** RFC 2595 §4: begin TLS negotiation. */
    record Stls() implements Command {
        public Verb verb() { return Verb.STLS; }
    }
}

package dev.pop3d.pop3.session;

import dev.pop3d.mailstore.Maildrop;

/** The session's lifecycle (RFC 1939 §3): AUTHORIZATION, TRANSACTION, then UPDATE and close. */
public sealed interface State {
    /** AUTHORIZATION, no user named yet. */
    record Authorization() implements State {}

    /** AUTHORIZATION after a successful USER; PASS must follow. */
    record AwaitingPassword(String user) implements State {}

    /** TRANSACTION: the maildrop is locked; {@code marks} holds the DELE marks of this session. */
    record Transaction(Maildrop drop, DeletionMarks marks) implements State {}

    /** AUTHORIZATION inside a SASL exchange (RFC 5034 §4): the next line answers {@code challenge}. */
    record SaslExchange(String mechanism, dev.pop3d.auth.sasl.SaslStep.Challenge challenge) implements State {}

    /**
     * The mechanism succeeded and its final data ({@code + v=...}) is out: the maildrop is locked, and
     * an empty line from the client completes the login (RFC 5034 §4).
     */
    record SaslFinal(Maildrop drop) implements State {}

    /** Nothing more is read; the connection closes once the last reply is written. */
    record Closed() implements State {}
}

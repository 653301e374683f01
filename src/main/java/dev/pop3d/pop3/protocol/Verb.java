package dev.pop3d.pop3.protocol;

import java.util.Locale;
import java.util.Optional;

/** The POP3 commands this server knows (RFC 1939 §4–7, RFC 2449 §5, RFC 2595 §4, RFC 5034). */
public enum Verb {
    USER, PASS, QUIT, STAT, LIST, RETR, DELE, NOOP, RSET, TOP, UIDL, CAPA, STLS, AUTH;

    /** Commands are case-insensitive (RFC 1939 §3). */
    public static Optional<Verb> of(String keyword) {
        String upper = keyword.toUpperCase(Locale.ROOT);
        for (Verb verb : values()) {
            if (verb.name().equals(upper)) {
                return Optional.of(verb);
            }
        }
        return Optional.empty();
    }
}

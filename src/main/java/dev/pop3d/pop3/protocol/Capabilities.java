package dev.pop3d.pop3.protocol;

import java.util.List;

/**
 * The one source of what the server offers: the CAPA list (RFC 2449 §5–6) is derived from the
 * same settings the session machine uses, so nothing is advertised that does not work.
 *
 * @param loginDelaySeconds RFC 2449 §6.5 LOGIN-DELAY value, enforced at login
 */
public record Capabilities(long loginDelaySeconds) {
    public static final String IMPLEMENTATION = "pop3d";

    /** The capability lines, in the order Dovecot lists the common ones. */
    public List<String> lines() {
        return List.of(
                "CAPA",
                "TOP",
                "UIDL",
                "RESP-CODES",
                "PIPELINING",
                "AUTH-RESP-CODE",
                "USER",
                "EXPIRE NEVER",
                "LOGIN-DELAY " + loginDelaySeconds,
                "IMPLEMENTATION " + IMPLEMENTATION);
    }
}

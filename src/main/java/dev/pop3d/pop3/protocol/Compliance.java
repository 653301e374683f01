package dev.pop3d.pop3.protocol;

import java.util.EnumSet;
import java.util.Set;

/**
 * Deviations from the letter of the RFCs that we tolerate from clients, each tied to the rule it
 * bends. {@link #DEFAULTS} is the one place where the server's leniency is decided.
 */
public enum Compliance {
    /**
     * RFC 1939 §3: commands end in CRLF. Some clients and hand-typed sessions ({@code nc})
     * send a bare LF; the line still ends at the LF, and a CR before it is removed.
     */
    BARE_LF_IN_COMMAND("RFC 1939 §3", "hand-typed sessions and some clients end lines with LF"),
    /**
     * RFC 1939 §3: arguments are printable ASCII. Real users have UTF-8 passwords and names;
     * 8-bit octets are accepted in USER and PASS arguments only.
     */
    EIGHT_BIT_CREDENTIALS("RFC 1939 §3", "UTF-8 user names and passwords exist in the wild");

    private final String rfc;
    private final String reason;

    Compliance(String rfc, String reason) {
        this.rfc = rfc;
        this.reason = reason;
    }

    public String rfc() { return rfc; }

    public String reason() { return reason; }

    /** What the server tolerates unless configured otherwise. */
    public static final Set<Compliance> DEFAULTS =
            EnumSet.of(BARE_LF_IN_COMMAND, EIGHT_BIT_CREDENTIALS);
}

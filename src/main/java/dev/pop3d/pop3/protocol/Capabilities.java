package dev.pop3d.pop3.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The one source of what the server offers: the CAPA list (RFC 2449 §5–6) and the commands a
 * session may use are derived from the same facts ({@link #facts}), per session and recomputed
 * after STLS, so nothing is advertised that does not work and nothing works that is hidden.
 *
 * @param loginDelaySeconds   RFC 2449 §6.5 LOGIN-DELAY value, enforced at login
 * @param tlsConfigured       a certificate is configured: STLS is offered on plaintext channels
 * @param plaintextNeedsTls   USER/PASS and SASL PLAIN/LOGIN are refused before TLS (RFC 2595 §2.2)
 * @param plaintextMechanisms SASL mechanisms that carry the password (PLAIN, LOGIN)
 * @param otherMechanisms     SASL mechanisms that do not (SCRAM-SHA-256), allowed on any channel
 */
public record Capabilities(long loginDelaySeconds, boolean tlsConfigured, boolean plaintextNeedsTls,
                           List<String> plaintextMechanisms, List<String> otherMechanisms) {
    public static final String IMPLEMENTATION = "pop3d";

    public Capabilities {
        plaintextMechanisms = List.copyOf(plaintextMechanisms);
        otherMechanisms = List.copyOf(otherMechanisms);
    }

    /** No TLS, no SASL: the core server of RFC 1939/2449. */
    public Capabilities(long loginDelaySeconds) {
        this(loginDelaySeconds, false, false, List.of(), List.of());
    }

    /** What a session on a channel that is (or is not) {@code secure} may do now. */
    public SessionFacts facts(boolean secure) {
        boolean plaintext = secure || !plaintextNeedsTls;
        List<String> mechanisms = new ArrayList<>(otherMechanisms);
        if (plaintext) {
            mechanisms.addAll(0, plaintextMechanisms);
        }
        return new SessionFacts(secure, tlsConfigured && !secure, plaintext, mechanisms);
    }

    /** The capability lines for {@code facts}, in the order Dovecot lists the common ones. */
    public List<String> lines(SessionFacts facts) {
        List<String> lines = new ArrayList<>(List.of("CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE"));
        if (facts.stlsOffered()) {
            lines.add("STLS");
        }
        if (facts.plaintextAllowed()) {
            lines.add("USER");
        }
        if (!facts.mechanisms().isEmpty()) {
            lines.add("SASL " + String.join(" ", facts.mechanisms()));
        }
        lines.add("EXPIRE NEVER");
        lines.add("LOGIN-DELAY " + loginDelaySeconds);
        lines.add("IMPLEMENTATION " + IMPLEMENTATION);
        return lines;
    }

    /** The lines of a plaintext session (tests, and servers without TLS). */
    public List<String> lines() {
        return lines(facts(false));
    }
}

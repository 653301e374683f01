package dev.pop3d.reference;

import java.util.Map;
import java.util.Optional;

/**
 * Where pop3d answers differently from Dovecot 2.3, both within the RFCs, with the reason and the
 * script line where the difference first shows. Everything else, the RFC-bound parts GreenMail
 * gets wrong included (sizes, RETR bytes, TOP stuffing, DELE), must match exactly.
 */
enum DovecotDifferences {
    CAPABILITIES("RFC 2449 §6: Dovecot offers SASL (pop3d adds it with the security issue); pop3d lists EXPIRE, "
            + "LOGIN-DELAY and IMPLEMENTATION", Map.of("capa.pop3", 13)),
    NOOP_ARGUMENTS("RFC 1939 §5: NOOP takes no argument; Dovecot ignores one, pop3d answers -ERR",
            Map.of("arguments.pop3", 26)),
    IN_USE_CLOSES("RFC 1939 §7 lets the server close after a failed PASS: both wait for the maildrop lock "
            + "(Dovecot mail_max_lock_timeout, pop3d pop3.lock.wait), then answer -ERR [IN-USE]; Dovecot then "
            + "disconnects, pop3d stays in AUTHORIZATION so the client may try again",
            Map.of("in-use.pop3", 20)),
    BAD_COMMAND_LIMIT("Dovecot's login process closes after 3 bad commands; pop3d after "
            + "pop3.limits.max-bad-commands (10)", Map.of("framing.pop3", 11));

    private final String why;
    private final Map<String, Integer> firstDifference;

    DovecotDifferences(String why, Map<String, Integer> firstDifference) {
        this.why = why;
        this.firstDifference = firstDifference;
    }

    String why() {
        return why;
    }

    static Optional<Integer> firstDifference(String script) {
        for (DovecotDifferences d : values()) {
            if (d.firstDifference.containsKey(script)) {
                return Optional.of(d.firstDifference.get(script));
            }
        }
        return Optional.empty();
    }
}

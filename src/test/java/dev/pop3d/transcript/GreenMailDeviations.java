package dev.pop3d.transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where GreenMail 2.1.8 answers differently from pop3d, each listed once: the rule, what GreenMail
 * does, and the script lines where the difference first shows. For these, {@link ScriptsTest}
 * holds pop3d to the RFC and {@link DifferentialTest} checks that the difference is still
 * there. README's table is checked against this enum.
 */
public enum GreenMailDeviations {
    SIZES_NOT_CRLF_OCTETS("RFC 1939 §5, §11", "STAT and LIST count body octets, not the message in CRLF form",
            Map.of("stat-list-uidl.pop3", 12, "dele-quit.pop3", 23)),
    RETR_NOT_AS_STORED("RFC 1939 §7", "RETR sends a message rebuilt by JavaMail, not the stored octets",
            Map.of("retr.pop3", 19)),
    TOP_NOT_DOT_STUFFED("RFC 1939 §3", "TOP does not byte-stuff lines starting with '.', so a body line \".\" ends the answer early",
            Map.of("top.pop3", 32)),
    DELETED_MESSAGES_READABLE("RFC 1939 §5", "RETR of a message marked by DELE still answers +OK",
            Map.of("dele-rset.pop3", 12)),
    CAPA_INCOMPLETE("RFC 2449 §5-6", "CAPA lists UIDL and SASL only, not TOP, USER, PIPELINING, RESP-CODES, although they work",
            Map.of("capa.pop3", 6)),
    NO_EXCLUSIVE_LOCK("RFC 1939 §8", "a second session can log in to a maildrop that is in use",
            Map.of("in-use.pop3", 13)),
    NEGATIVE_TOP_LINES_ACCEPTED("RFC 1939 §7", "TOP n -1 and extra arguments (LIST 1 2, NOOP x) are accepted",
            Map.of("arguments.pop3", 18)),
    LONG_COMMAND_LINES_ACCEPTED("RFC 2449 §4", "command lines over 255 octets are executed (allowed; pop3d enforces the limit)",
            Map.of("framing.pop3", 9)),
    USER_REVEALS_UNKNOWN_USERS("RFC 1939 §7", "USER answers -ERR for an unknown user (allowed; pop3d answers alike so that names cannot be probed)",
            Map.of("login.pop3", 9));

    private final String rfc;
    private final String behaviour;
    private final Map<String, Integer> firstDifference;

    GreenMailDeviations(String rfc, String behaviour, Map<String, Integer> firstDifference) {
        this.rfc = rfc;
        this.behaviour = behaviour;
        this.firstDifference = firstDifference;
    }

    String rfc() {
        return rfc;
    }

    String behaviour() {
        return behaviour;
    }

    /** The script lines where a listed deviation makes the transcripts differ first. */
    public static List<Integer> expectedFirstDifferences(String script) {
        List<Integer> lines = new ArrayList<>();
        for (GreenMailDeviations d : values()) {
            Integer line = d.firstDifference.get(script);
            if (line != null) {
                lines.add(line);
            }
        }
        return lines;
    }
}

package dev.pop3d.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a POP3 client may rely on, checked on the octets the server wrote for one command: one
 * status line ({@code +OK}, {@code -ERR}, or a SASL {@code + } challenge), every line ending in
 * CRLF with no bare CR or LF, a status line of at most 512 octets (RFC 2449 §4), and a multi-line
 * answer (RFC 1939 §3) only after {@code +OK} of a command that has one (CAPA, LIST, UIDL, RETR, TOP, and a bare AUTH listing the mechanisms as Dovecot does), dot-stuffed, ending in
 * {@code .CRLF}.
 */
final class ReplyChecker {
    static final int MAX_STATUS_LINE_OCTETS = 512;
    private static final Set<String> MULTI_LINE_VERBS = Set.of("CAPA", "LIST", "UIDL", "RETR", "TOP", "AUTH");

    private ReplyChecker() {}

    /** Empty if {@code segment} (all a command made the server write, maybe nothing) is well-formed. */
    static List<String> problems(String verb, byte[] segment) {
        List<String> problems = new ArrayList<>();
        if (segment.length == 0) {
            return problems;
        }
        List<String> lines = lines(segment, problems);
        if (!problems.isEmpty()) {
            return problems;
        }
        String status = lines.get(0);
        boolean ok = status.equals("+OK") || status.startsWith("+OK ");
        boolean err = status.equals("-ERR") || status.startsWith("-ERR ");
        boolean challenge = status.startsWith("+ ");
        if (!ok && !err && !challenge) {
            problems.add("not a status line: " + printable(status));
        }
        if (challenge && !verb.equals("AUTH")) {
            problems.add("a SASL challenge answers " + verb);
        }
        if (!challenge && status.length() + 2 > MAX_STATUS_LINE_OCTETS) {
            problems.add("status line of " + (status.length() + 2) + " octets");
        }
        if (lines.size() == 1) {
            if (ok && (verb.equals("RETR") || verb.equals("TOP"))) {
                problems.add(verb + " +OK without a body");
            }
            return problems;
        }
        if (!ok || !MULTI_LINE_VERBS.contains(verb)) {
            problems.add("more than one line after " + printable(status) + " for " + verb);
            return problems;
        }
        if (!lines.get(lines.size() - 1).equals(".")) {
            problems.add("multi-line answer to " + verb + " does not end in .CRLF");
        }
        for (int i = 1; i < lines.size() - 1; i++) {
            String line = lines.get(i);
            if (line.startsWith(".") && !line.startsWith("..")) {
                problems.add("line " + i + " of the " + verb + " body is not dot-stuffed: " + printable(line));
            }
        }
        return problems;
    }

    /** The CRLF-terminated lines of {@code segment}; a bare CR or LF, or a missing final CRLF, is a problem. */
    static List<String> lines(byte[] segment, List<String> problems) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < segment.length; i++) {
            byte b = segment[i];
            if (b == '\r' && i + 1 < segment.length && segment[i + 1] == '\n') {
                lines.add(new String(segment, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 2;
                i++;
            } else if (b == '\r' || b == '\n') {
                problems.add("bare " + (b == '\r' ? "CR" : "LF") + " at octet " + i);
                return lines;
            }
        }
        if (start != segment.length) {
            problems.add("the answer does not end in CRLF");
        }
        return lines;
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
            if (out.length() > 120) {
                return out.append("...").toString();
            }
        }
        return out.toString();
    }
}

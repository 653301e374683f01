package dev.pop3d.intake.protocol;

import java.util.Locale;
import java.util.Optional;

/**
 * The arguments of MAIL and RCPT (RFC 5321 §4.1.1.2, §4.1.1.3, §4.1.2): {@code FROM:<path> params}
 * and {@code TO:<path> params}. Lenient where senders differ and it is harmless (case of the
 * keyword, spaces after the colon, as Postfix and Dovecot accept); strict on the path itself.
 */
final class PathParser {
    /** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, brackets included. */
    static final int MAX_PATH_OCTETS = 256;
    /** RFC 5321 §4.5.3.1.1: a local part is at most 64 octets. */
    static final int MAX_LOCAL_PART_OCTETS = 64;

    /** A path and what followed it. */
    record Parsed(String address, String parameters) {}

    private PathParser() {}

    /** {@code keyword} is {@code FROM} or {@code TO}; empty when the argument is not {@code KEYWORD:<...>}. */
    static Optional<Parsed> parse(String argument, String keyword) {
        if (argument.length() < keyword.length() + 1
                || !argument.substring(0, keyword.length() + 1).equalsIgnoreCase(keyword + ":")) {
            return Optional.empty();
        }
        String rest = argument.substring(keyword.length() + 1).stripLeading();
        if (!rest.startsWith("<")) {
            return Optional.empty();
        }
        int close = closingBracket(rest);
        if (close < 0 || close + 1 > MAX_PATH_OCTETS) {
            return Optional.empty();
        }
        String address = rest.substring(1, close);
        String after = rest.substring(close + 1);
        if (!after.isEmpty() && after.charAt(0) != ' ') {
            return Optional.empty();
        }
        if (address.indexOf('<') >= 0 || address.chars().anyMatch(c -> c <= ' ' && !quoted(address))) {
            return Optional.empty();
        }
        // RFC 5321 §4.1.2: a source route (@a,@b:user@c) is accepted and ignored
        if (address.startsWith("@")) {
            int colon = address.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            return Optional.of(new Parsed(address.substring(colon + 1), after.strip()));
        }
        return Optional.of(new Parsed(address, after.strip()));
    }

    private static boolean quoted(String address) {
        return address.startsWith("\"");
    }

    /** The '>' that closes the path, skipping a quoted local part. */
    private static int closingBracket(String text) {
        boolean inQuotes = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inQuotes && c == '\\') {
                i++;
            } else if (c == '"') {
                inQuotes = !inQuotes;
            } else if (c == '>' && !inQuotes) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The local part of a forward path, which names the user (the domain is ignored): the text
     * before the last '@' (or all of it for a bare local part), unquoted. Empty when it cannot name
     * a user: empty, too long, or with a control character, '/', '\' (after unquoting) or NUL.
     */
    static Optional<String> localPart(String address) {
        int at = address.lastIndexOf('@');
        String local = at < 0 ? address : address.substring(0, at);
        if (local.startsWith("\"") && local.endsWith("\"") && local.length() >= 2) {
            StringBuilder unquoted = new StringBuilder();
            for (int i = 1; i < local.length() - 1; i++) {
                char c = local.charAt(i);
                if (c == '\\' && i + 1 < local.length() - 1) {
                    c = local.charAt(++i);
                }
                unquoted.append(c);
            }
            local = unquoted.toString();
        }
        if (local.isEmpty() || local.length() > MAX_LOCAL_PART_OCTETS || local.equals(".") || local.equals("..")) {
            return Optional.empty();
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '/' || c == '\\') {
                return Optional.empty();
            }
        }
        return Optional.of(local);
    }

    /** The parameter's keyword, upper case, and its value (or null): {@code SIZE=100} → SIZE, 100. */
    static String[] parameter(String parameter) {
        int eq = parameter.indexOf('=');
        String key = (eq < 0 ? parameter : parameter.substring(0, eq)).toUpperCase(Locale.ROOT);
        return new String[] {key, eq < 0 ? null : parameter.substring(eq + 1)};
    }

    /** The space-separated words of a parameter list. */
    static java.util.List<String> words(String text) {
        java.util.List<String> words = new java.util.ArrayList<>();
        for (String word : text.split(" +")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    /** Client text echoed in a reply: printable US-ASCII only ('?' for the rest), at most 300 characters. */
    static String printable(String text) {
        StringBuilder safe = new StringBuilder();
        for (int i = 0; i < text.length() && safe.length() < 300; i++) {
            char c = text.charAt(i);
            safe.append(c >= ' ' && c < 0x7f ? c : '?');
        }
        return safe.toString();
    }
}

package dev.pop3d.pop3.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns one command line (without its line ending) into a {@link Command} or a {@link Rejected}
 * with a precise reason. Never throws on client input. Stateless and thread-safe.
 */
public final class CommandParser {
    private static final int MAX_ECHOED_KEYWORD = 16;

    private final boolean eightBitCredentials;
    private final boolean bareLfAllowed;

    public CommandParser(Set<Compliance> compliance) {
        this.eightBitCredentials = compliance.contains(Compliance.EIGHT_BIT_CREDENTIALS);
        this.bareLfAllowed = compliance.contains(Compliance.BARE_LF_IN_COMMAND);
    }

    /**
     * A framed line as a command: RFC 2449 §4 limits command lines to 255 octets with CRLF, and
     * RFC 1939 §3 wants CRLF (a bare LF only where {@link Compliance#BARE_LF_IN_COMMAND} allows it).
     */
    public ParsedLine parse(RawLine line) {
        if (line.tooLong() || line.content().length + 2 > LineFramer.MAX_COMMAND_LINE_OCTETS) {
            return Rejected.line("Command line too long");
        }
        if (!line.crlf() && !bareLfAllowed) {
            return Rejected.line("Command line must end with CRLF");
        }
        return parse(line.content(), line.content().length);
    }

    public ParsedLine parse(byte[] line, int length) {
        int space = indexOf(line, length, (byte) ' ');
        int keywordEnd = space < 0 ? length : space;
        if (keywordEnd == 0) {
            return Rejected.line(length == 0 ? "Empty command" : "Invalid characters in command");
        }
        for (int i = 0; i < keywordEnd; i++) {
            if (!isAsciiLetter(line[i])) {
                return Rejected.line("Invalid characters in command");
            }
        }
        String keyword = new String(line, 0, keywordEnd, StandardCharsets.US_ASCII);
        Optional<Verb> verb = Verb.of(keyword);
        if (verb.isEmpty()) {
            return Rejected.line("Unknown command: " + truncate(keyword));
        }
        boolean credentials = verb.get() == Verb.USER || verb.get() == Verb.PASS;
        for (int i = keywordEnd; i < length; i++) {
            int b = line[i] & 0xff;
            boolean control = b < 0x20 || b == 0x7f;
            boolean eightBit = b >= 0x80;
            if (control || (eightBit && !(credentials && eightBitCredentials))) {
                return Rejected.arguments(verb.get(), "Invalid characters in command");
            }
        }
        String arguments = space < 0 ? null
                : new String(line, space + 1, length - space - 1,
                        credentials ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII);
        return Arguments.parse(verb.get(), arguments);
    }

    private static int indexOf(byte[] line, int length, byte wanted) {
        for (int i = 0; i < length; i++) {
            if (line[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isAsciiLetter(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
    }

    private static String truncate(String keyword) {
        return keyword.length() <= MAX_ECHOED_KEYWORD ? keyword : keyword.substring(0, MAX_ECHOED_KEYWORD) + "...";
    }
}

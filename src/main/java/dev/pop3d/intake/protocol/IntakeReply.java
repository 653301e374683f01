package dev.pop3d.intake.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SMTP/LMTP reply (RFC 5321 §4.2): a three-digit code and one or more text lines, each of
 * which, with ENHANCEDSTATUSCODES (RFC 2034), starts with its enhanced code where the reply has
 * one. Texts are checked when built: no CR, LF or NUL reaches the wire, and a line is at most
 * {@link #MAX_REPLY_LINE_OCTETS} octets (RFC 5321 §4.5.3.1.5), CRLF included.
 */
public record IntakeReply(int code, List<String> lines) {
    /** RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets, CRLF included. */
    public static final int MAX_REPLY_LINE_OCTETS = 512;

    public IntakeReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
        for (String line : lines) {
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\r' || c == '\n' || c == 0 || c > 0x7e) {
                    throw new IllegalArgumentException("reply text must be printable US-ASCII");
                }
            }
            if (line.length() + 6 > MAX_REPLY_LINE_OCTETS) {
                throw new IllegalArgumentException("reply line longer than 512 octets");
            }
        }
    }

    /** A one-line reply: {@code code text}. */
    public static IntakeReply of(int code, String text) {
        return new IntakeReply(code, List.of(text));
    }

    /** Whether the code says success (2xx, or 354 to DATA). */
    public boolean positive() {
        return code < 400;
    }

    /**
     * For metrics, a bounded name of why a negative reply refused something: {@code unknown_user},
     * {@code bad_address}, {@code too_many_recipients}, {@code lookup_failed}, {@code too_big},
     * {@code timeout}, {@code shutdown}, {@code too_many_errors} or {@code bad_command}.
     */
    public String rejectReason() {
        String first = lines.get(0);
        String status = first.indexOf(' ') < 0 ? first : first.substring(0, first.indexOf(' '));
        return switch (status) {
            case "5.1.1" -> "unknown_user";
            case "5.1.3" -> "bad_address";
            case "4.5.3" -> "too_many_recipients";
            case "4.3.0" -> "lookup_failed";
            case "5.3.4" -> "too_big";
            case "4.4.2" -> "timeout";
            case "4.3.2" -> "shutdown";
            case "4.7.0" -> "too_many_errors";
            default -> "bad_command";
        };
    }

    /** The wire form: {@code code-line} CRLF for all but the last line, {@code code line} CRLF for it. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        for (int i = 0; i < lines.size(); i++) {
            String line = code + (i + 1 < lines.size() ? "-" : " ") + lines.get(i) + "\r\n";
            out.writeBytes(line.getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }
}

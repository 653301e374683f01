package dev.pop3d.endpoint;

import java.nio.charset.StandardCharsets;

/** A CONF1 answer: {@code +SUC text} or {@code -ERR text}, CRLF, at most 255 octets, printable ASCII. */
public record Conf1Reply(boolean success, String text) {
    /** CONF1.md: an answer is at most 255 octets, CRLF included. */
    public static final int CONF1_MAX_REPLY_OCTETS = 255;

    public static Conf1Reply suc(String text) {
        return new Conf1Reply(true, text);
    }

    public static Conf1Reply err(String text) {
        return new Conf1Reply(false, text);
    }

    /** The datagram: non-printable characters become '?', long texts end in "...". */
    public byte[] encode() {
        String status = success ? "+SUC " : "-ERR ";
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            clean.append(c >= 0x20 && c <= 0x7e ? c : '?');
        }
        int room = CONF1_MAX_REPLY_OCTETS - status.length() - 2;
        String body = clean.length() <= room ? clean.toString() : clean.substring(0, room - 3) + "...";
        return (status + body + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}

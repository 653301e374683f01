package dev.pop3d.pop3.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The only writer of {@code +OK}, {@code -ERR}, CRLF and the {@code .} terminator of short
 * multi-line replies. Status lines are capped at 512 octets (RFC 2449 §4).
 */
public final class ReplyEncoder {
    /** RFC 2449 §4: a response line is at most 512 octets, CRLF included. */
    public static final int MAX_REPLY_LINE_OCTETS = 512;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] TERMINATOR = {'.', '\r', '\n'};

    private ReplyEncoder() {}

    public static byte[] encode(Reply reply) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        if (reply instanceof Reply.Ok ok) {
            status(out, "+OK", ok.text());
        } else if (reply instanceof Reply.Err err) {
            status(out, "-ERR", err.text());
        } else if (reply instanceof Reply.MultiLine multi) {
            status(out, "+OK", multi.text());
            for (String line : multi.lines()) {
                if (line.startsWith(".")) {
                    out.write('.'); // RFC 1939 §3: byte-stuff the termination octet
                }
                out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
                out.writeBytes(CRLF);
            }
            out.writeBytes(TERMINATOR);
        }
        return out.toByteArray();
    }

    /** The status line of a streamed body ({@code +OK 120 octets}); the body follows. */
    public static byte[] status(String okText) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        status(out, "+OK", okText);
        return out.toByteArray();
    }

    private static void status(ByteArrayOutputStream out, String indicator, String text) {
        byte[] head = indicator.getBytes(StandardCharsets.US_ASCII);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        int room = MAX_REPLY_LINE_OCTETS - head.length - CRLF.length - (body.length > 0 ? 1 : 0);
        out.writeBytes(head);
        if (body.length > 0) {
            out.write(' ');
            out.write(body, 0, Math.min(body.length, room));
        }
        out.writeBytes(CRLF);
    }
}

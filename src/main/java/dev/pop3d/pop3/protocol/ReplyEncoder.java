package dev.pop3d.pop3.protocol;

import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.List;
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

    /** The whole reply in one array: for status lines and short lists (use {@link #chunks} for long ones). */
    public static byte[] encode(Reply reply) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        Iterator<byte[]> chunks = chunks(reply, Integer.MAX_VALUE);
        while (chunks.hasNext()) {
            out.writeBytes(chunks.next());
        }
        return out.toByteArray();
    }

    /**
     * The reply in pieces of about {@code chunkOctets} (a line is never split): a LIST or UIDL of
     * 10,000 messages is produced as the socket takes it, not built whole in memory.
     */
    public static Iterator<byte[]> chunks(Reply reply, int chunkOctets) {
        return switch (reply.kind()) {
            case OK -> single(status("+OK", ((Reply.Ok) reply).text()));
            case ERR -> single(status("-ERR", ((Reply.Err) reply).text()));
            case MULTI_LINE -> multiLine((Reply.MultiLine) reply, chunkOctets);
            case CONTINUE -> single(continuation(((Reply.Continue) reply).base64()));
        };
    }

    /** "+ " then the base64 text (RFC 5034 §4; a SASL challenge is not capped at 512 octets). */
    private static byte[] continuation(String base64) {
        byte[] text = base64.getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[text.length + 4];
        line[0] = '+';
        line[1] = ' ';
        System.arraycopy(text, 0, line, 2, text.length);
        line[line.length - 2] = '\r';
        line[line.length - 1] = '\n';
        return line;
    }

    private static Iterator<byte[]> single(byte[] bytes) {
        return List.of(bytes).iterator();
    }

    private static Iterator<byte[]> multiLine(Reply.MultiLine multi, int chunkOctets) {
        return new Iterator<>() {
            private int next = -1; // -1: the status line is still to come
            private boolean terminated;

            public boolean hasNext() {
                return !terminated;
            }

            public byte[] next() {
                if (terminated) {
                    throw new java.util.NoSuchElementException();
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(chunkOctets, 8192) + 64);
                if (next < 0) {
                    out.writeBytes(status("+OK", multi.text()));
                    next = 0;
                }
                List<String> lines = multi.lines();
                while (next < lines.size() && out.size() < chunkOctets) {
                    line(out, lines.get(next++));
                }
                if (next >= lines.size()) {
                    out.writeBytes(TERMINATOR);
                    terminated = true;
                }
                return out.toByteArray();
            }
        };
    }

    private static void line(ByteArrayOutputStream out, String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("reply line contains CR, LF or NUL");
            }
        }
        if (line.startsWith(".")) {
            out.write('.'); // RFC 1939 §3: byte-stuff the termination octet
        }
        out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(CRLF);
    }

    /** The status line of a streamed body ({@code +OK 120 octets}); the body follows. */
    public static byte[] status(String okText) {
        return status("+OK", okText);
    }

    private static byte[] status(String indicator, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        status(out, indicator, text);
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

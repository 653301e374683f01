package dev.pop3d.pop3.protocol;

import java.util.Arrays;
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

    private static final byte[] OK = {'+', 'O', 'K'};
    private static final byte[] ERR = {'-', 'E', 'R', 'R'};
    private static final byte[] OK_LINE = {'+', 'O', 'K', '\r', '\n'};

    /** The whole reply in one array: for status lines and short lists (use {@link #chunks} for long ones). */
    public static byte[] encode(Reply reply) {
        return switch (reply.kind()) {
            case OK -> status(OK, ((Reply.Ok) reply).text());
            case ERR -> status(ERR, ((Reply.Err) reply).text());
            case MULTI_LINE -> multiLine((Reply.MultiLine) reply, Integer.MAX_VALUE).next();
            case CONTINUE -> continuation(((Reply.Continue) reply).base64());
        };
    }

    /**
     * The reply in pieces of about {@code chunkOctets} (a line is never split): a LIST or UIDL of
     * 10,000 messages is produced as the socket takes it, not built whole in memory. A reply that
     * fits is one piece: the status line, the lines and the terminator in one array.
     */
    public static Iterator<byte[]> chunks(Reply reply, int chunkOctets) {
        return switch (reply.kind()) {
            case OK, ERR, CONTINUE -> single(encode(reply));
            case MULTI_LINE -> multiLine((Reply.MultiLine) reply, chunkOctets);
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
                Bytes out = new Bytes(Math.min(chunkOctets, 8192) + 64);
                if (next < 0) {
                    out.write(status(OK, multi.text()));
                    next = 0;
                }
                List<String> lines = multi.lines();
                while (next < lines.size() && out.size() < chunkOctets) {
                    line(out, lines.get(next++));
                }
                if (next >= lines.size()) {
                    out.write(TERMINATOR);
                    terminated = true;
                }
                return out.toByteArray();
            }
        };
    }

    /** One line of a multi-line reply: checked, dot-stuffed and encoded in one pass. */
    private static void line(Bytes out, String line) {
        int length = line.length();
        out.ensure(length + 3);
        int start = out.size();
        if (length > 0 && line.charAt(0) == '.') {
            out.put('.'); // RFC 1939 §3: byte-stuff the termination octet
        }
        for (int i = 0; i < length; i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("reply line contains CR, LF or NUL");
            }
            if (c >= 0x80) { // not ASCII: the line again, as UTF-8
                out.truncate(start);
                if (line.charAt(0) == '.') {
                    out.put('.');
                }
                requireSafe(line, i);
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write(CRLF);
                return;
            }
            out.put((byte) c);
        }
        out.write(CRLF);
    }

    private static void requireSafe(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("reply line contains CR, LF or NUL");
            }
        }
    }

    /** The status line of a streamed body ({@code +OK 120 octets}); the body follows. */
    public static byte[] status(String okText) {
        return status(OK, okText);
    }

    /** {@code indicator SP text CRLF}, capped at 512 octets; an ASCII text is copied as it is. */
    private static byte[] status(byte[] indicator, String text) {
        int length = text.length();
        if (length == 0) {
            return indicator == OK ? OK_LINE.clone() : concat(indicator, CRLF);
        }
        int room = MAX_REPLY_LINE_OCTETS - indicator.length - CRLF.length - 1;
        if (length <= room) {
            byte[] line = new byte[indicator.length + 1 + length + 2];
            System.arraycopy(indicator, 0, line, 0, indicator.length);
            int w = indicator.length;
            line[w++] = ' ';
            boolean ascii = true;
            for (int i = 0; i < length && ascii; i++) {
                char c = text.charAt(i);
                ascii = c < 0x80;
                line[w++] = (byte) c;
            }
            if (ascii) {
                line[w++] = '\r';
                line[w] = '\n';
                return line;
            }
        }
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        int kept = Math.min(body.length, room);
        byte[] line = new byte[indicator.length + 1 + kept + 2];
        System.arraycopy(indicator, 0, line, 0, indicator.length);
        line[indicator.length] = ' ';
        System.arraycopy(body, 0, line, indicator.length + 1, kept);
        line[line.length - 2] = '\r';
        line[line.length - 1] = '\n';
        return line;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** A growable byte array without the locks of {@code ByteArrayOutputStream}. */
    private static final class Bytes {
        private byte[] bytes;
        private int size;

        Bytes(int capacity) {
            bytes = new byte[capacity];
        }

        int size() {
            return size;
        }

        void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void put(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        void write(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        void truncate(int length) {
            size = length;
        }

        byte[] toByteArray() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }
}

package dev.pop3d.intake.protocol;

/**
 * The DATA phase's byte stream to message octets (RFC 5321 §4.5.2), incrementally, whatever the
 * chunking: a leading dot of a line is removed, line ends become CRLF, and the end is found at
 * {@code CRLF . CRLF}. Only CRLF starts a line: a bare LF or bare CR (which RFC 5321 §2.3.8 forbids
 * a client to send) is stored as CRLF but is neither the start of a stuffed line nor part of the
 * terminator, so {@code LF . LF} or {@code LF . CRLF} cannot end a message early (the "SMTP
 * smuggling" confusion between two MTAs). Not thread-safe: one per transaction.
 */
public final class DataDecoder {
    /** Where a decoded chunk goes. */
    @FunctionalInterface
    public interface Sink {
        void write(byte[] bytes, int offset, int length);
    }

    private enum State { LINE_START, MIDDLE, CR, DOT, DOT_CR, ENDED }

    private State state = State.LINE_START;
    private long octets;

    /**
     * Decodes {@code in[offset, offset+length)} into {@code sink} (one call per chunk at most) and
     * returns how many input octets it consumed: all of them, or fewer when the terminator ended
     * the data inside the chunk (what follows it is the next command).
     */
    public int decode(byte[] in, int offset, int length, Sink sink) {
        if (state == State.ENDED) {
            return 0;
        }
        byte[] out = new byte[length * 2 + 2];
        int produced = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && state != State.ENDED) {
            byte b = in[i++];
            switch (state) {
                case LINE_START -> {
                    if (b == '.') {
                        state = State.DOT;
                    } else {
                        produced = middle(b, out, produced);
                    }
                }
                case MIDDLE -> produced = middle(b, out, produced);
                case CR -> {
                    out[produced++] = '\r';
                    out[produced++] = '\n';
                    if (b == '\n') {
                        state = State.LINE_START;
                    } else {
                        state = State.MIDDLE; // a bare CR: stored as CRLF, not a line start
                        produced = middle(b, out, produced);
                    }
                }
                case DOT -> {
                    if (b == '\r') {
                        state = State.DOT_CR;
                    } else {
                        produced = middle(b, out, produced); // the stuffed dot is dropped
                    }
                }
                case DOT_CR -> {
                    if (b == '\n') {
                        state = State.ENDED;
                    } else {
                        // ". CR x": the dot was stuffing, the CR is bare
                        out[produced++] = '\r';
                        out[produced++] = '\n';
                        state = State.MIDDLE;
                        produced = middle(b, out, produced);
                    }
                }
                case ENDED -> throw new IllegalStateException("unreachable");
            }
        }
        if (produced > 0) {
            octets += produced;
            sink.write(out, 0, produced);
        }
        return i - offset;
    }

    private int middle(byte b, byte[] out, int produced) {
        if (b == '\r') {
            state = State.CR;
            return produced;
        }
        if (b == '\n') { // a bare LF: stored as CRLF, not a line start
            out[produced++] = '\r';
            out[produced++] = '\n';
            state = State.MIDDLE;
            return produced;
        }
        out[produced++] = b;
        state = State.MIDDLE;
        return produced;
    }

    /** Whether the terminator was seen. */
    public boolean ended() {
        return state == State.ENDED;
    }

    /** Message octets produced so far (CRLF line ends, dots unstuffed). */
    public long octets() {
        return octets;
    }
}

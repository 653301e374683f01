package dev.pop3d.mailcodec;

/**
 * Counts the octets of a stored message in the form POP3 sends it (RFC 1939 §11: every line
 * ends in CRLF), without dot-stuffing and without the terminating {@code .CRLF}, and tells in the
 * same pass whether the stored bytes already are that wire form ({@link #clean()}).
 *
 * <p>The rules are the ones {@link DotStuffer} applies on the way out, so the {@code +OK}
 * counts of STAT, LIST and RETR always equal what the client receives: a bare LF becomes
 * CRLF, an existing CRLF stays, any other byte (a bare CR, NUL, 8-bit) is kept as is, and a
 * non-empty message whose last byte is not LF gets one CRLF added. Feed the file in any
 * chunks; the result does not depend on how it was split.
 */
public final class CrlfOctets {
    private long octets;
    private long raw;
    private boolean previousWasCr;
    private boolean atLineStart = true;
    private boolean dotLine;

    /** Adds {@code length} bytes of the stored message starting at {@code offset}. */
    public void update(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                octets += previousWasCr ? 1 : 2;
                atLineStart = true;
            } else {
                dotLine |= atLineStart && b == '.';
                octets++;
                atLineStart = false;
            }
            previousWasCr = b == '\r';
        }
        raw += length;
    }

    /** The CRLF-form size of everything fed so far, including a final CRLF if one is missing. */
    public long octets() {
        return atLineStart ? octets : octets + 2;
    }

    /**
     * Whether what was fed is byte for byte what {@link DotStuffer} sends before the terminator:
     * no bare LF, no line starting with ".", and empty or ending in CRLF. Then its octet count is
     * its stored size, and it may be sent as stored.
     */
    public boolean clean() {
        return !dotLine && octets() == raw;
    }

    /** Convenience for whole arrays (tests, small messages). */
    public static long of(byte[] message) {
        CrlfOctets counter = new CrlfOctets();
        counter.update(message, 0, message.length);
        return counter.octets();
    }

    /** Whether a whole stored message is already its wire form (see {@link #clean()}). */
    public static boolean isClean(byte[] message) {
        CrlfOctets counter = new CrlfOctets();
        counter.update(message, 0, message.length);
        return counter.clean();
    }
}

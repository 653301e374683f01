package dev.pop3d.mailcodec;

/**
 * Turns a stored message, fed in chunks of any size, into the bytes of a POP3 multi-line body
 * (RFC 1939 §3): every line ends in CRLF (a bare LF becomes CRLF; other bytes, bare CR and 8-bit
 * included, pass unchanged), a line starting with '.' gets one more '.', and {@link #finish()}
 * adds a CRLF if the message did not end with one, then the {@code .CRLF} terminator — exactly
 * once. Apart from the stuffing, the output has the length {@link CrlfOctets} counts.
 * Not thread-safe: one per transfer.
 */
public final class DotStuffer {
    private boolean atLineStart = true;
    private boolean previousWasCr;

    /** Largest output for {@code length} input octets: "\n." becomes "\r\n..". */
    public static int maxOutput(int length) {
        return 2 * length;
    }

    /**
     * Encodes {@code length} bytes of {@code in} from {@code offset} into {@code out} (at least
     * {@link #maxOutput} long) and returns how many bytes it wrote.
     */
    public int stuff(byte[] in, int offset, int length, byte[] out) {
        int w = 0;
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (atLineStart && in[i] == '.') {
                out[w++] = '.';
            }
            int lf = i;
            while (lf < end && in[lf] != '\n') {
                lf++;
            }
            int run = lf - i; // a line's bytes up to its LF (or the chunk's end) go as they are
            if (run > 0) {
                System.arraycopy(in, i, out, w, run);
                w += run;
                previousWasCr = in[lf - 1] == '\r';
                atLineStart = false;
            }
            if (lf == end) {
                break;
            }
            if (!previousWasCr) {
                out[w++] = '\r';
            }
            out[w++] = '\n';
            atLineStart = true;
            previousWasCr = false;
            i = lf + 1;
        }
        return w;
    }

    /** The closing bytes: a missing final CRLF, then {@code .CRLF}. */
    public byte[] finish() {
        return atLineStart ? new byte[] {'.', '\r', '\n'} : new byte[] {'\r', '\n', '.', '\r', '\n'};
    }
}

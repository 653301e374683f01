package dev.pop3d.pop3.protocol;

/**
 * Decides how much of a stored message TOP sends (RFC 1939 §7): the header lines, the blank line
 * that ends them, then at most {@code bodyLines} lines of the body. Lines end at LF (stored files
 * may use LF or CRLF). A message with no blank line is all header and is sent whole.
 * Not thread-safe: one per transfer.
 */
public final class TopLimiter {
    private final long bodyLines;
    private boolean inBody;
    private boolean lineEmpty = true;
    private long linesSent;
    private boolean done;

    public TopLimiter(long bodyLines) {
        this.bodyLines = bodyLines;
        this.done = false;
    }

    /** Of {@code length} bytes from {@code offset}, how many belong to the answer. */
    public int accept(byte[] in, int offset, int length) {
        if (done) {
            return 0;
        }
        if (inBody && linesSent >= bodyLines) {
            done = true;
            return 0;
        }
        for (int i = offset; i < offset + length; i++) {
            byte b = in[i];
            if (b != '\n') {
                if (b != '\r') {
                    lineEmpty = false;
                }
                continue;
            }
            if (inBody) {
                linesSent++;
            } else if (lineEmpty) {
                inBody = true;
            }
            lineEmpty = true;
            if (inBody && linesSent >= bodyLines) {
                done = true;
                return i - offset + 1;
            }
        }
        return length;
    }

    /** True once the answer is complete: the rest of the file need not be read. */
    public boolean done() {
        return done;
    }
}

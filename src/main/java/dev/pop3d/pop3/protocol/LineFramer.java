package dev.pop3d.pop3.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts the client's byte stream into lines, whatever the chunking: pipelined commands in one
 * segment and one command split over several give the same lines. It does not parse: what a line
 * is depends on the session's state (a command, or a SASL response), so the session decides.
 *
 * <p>It owns the length limit it is given: a longer line is discarded up to its LF and reported
 * once, as a {@link RawLine} marked too long, in its place among the other lines. The buffer grows
 * with the longest line seen, up to the limit, so an idle connection holds a few hundred octets.
 * Not thread-safe: one per connection.
 */
public final class LineFramer {
    /** RFC 2449 §4: a command line is at most 255 octets, CRLF included. */
    public static final int MAX_COMMAND_LINE_OCTETS = 255;
    private static final int INITIAL_BUFFER = 256;

    private final int maxLineOctets;
    private byte[] buffer;
    private int length;
    private boolean discarding;

    /** @param maxLineOctets the longest line accepted, line ending included */
    public LineFramer(int maxLineOctets) {
        if (maxLineOctets < 3) {
            throw new IllegalArgumentException("a line needs room for at least one octet and CRLF");
        }
        this.maxLineOctets = maxLineOctets;
        this.buffer = new byte[Math.min(INITIAL_BUFFER, maxLineOctets)];
    }

    /** Feeds a chunk; returns the lines it completed, in order (often none or one). */
    public List<RawLine> feed(byte[] chunk, int offset, int count) {
        List<RawLine> lines = new ArrayList<>(1);
        for (int i = offset; i < offset + count; i++) {
            byte b = chunk[i];
            if (b == '\n') {
                lines.add(endOfLine());
            } else if (discarding) {
                continue;
            } else if (length == maxLineOctets - 1) {
                // Even a bare LF would not fit any more.
                discarding = true;
                length = 0;
            } else {
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.min(maxLineOctets, buffer.length * 2));
                }
                buffer[length++] = b;
            }
        }
        return lines;
    }

    /** Convenience for whole arrays. */
    public List<RawLine> feed(byte[] chunk) {
        return feed(chunk, 0, chunk.length);
    }

    /** Drops a partial line (after STLS, RFC 2595 §4: nothing sent before the upgrade is used). */
    public void reset() {
        length = 0;
        discarding = false;
    }

    private RawLine endOfLine() {
        boolean crlf = length > 0 && buffer[length - 1] == '\r';
        int content = crlf ? length - 1 : length;
        boolean tooLong = discarding || content + 2 > maxLineOctets;
        discarding = false;
        length = 0;
        return tooLong ? new RawLine(new byte[0], crlf, true) : new RawLine(Arrays.copyOf(buffer, content), crlf, false);
    }
}

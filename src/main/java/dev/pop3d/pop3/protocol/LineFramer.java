package dev.pop3d.pop3.protocol;

import java.util.ArrayList;
import java.util.Set;

/**
 * Cuts the client's byte stream into command lines and parses each one, whatever the chunking:
 * pipelined commands in one segment and one command split over several give the same lines.
 *
 * <p>It owns the length limit (RFC 2449 §4: 255 octets including CRLF). A longer line is
 * discarded up to its LF and reported once, as {@code -ERR Command line too long}, in its place
 * among the other lines; memory stays bounded by the limit. Not thread-safe: one per connection.
 */
public final class LineFramer {
    /** RFC 2449 §4: a command line is at most 255 octets, CRLF included. */
    public static final int MAX_COMMAND_LINE_OCTETS = 255;

    private final byte[] buffer = new byte[MAX_COMMAND_LINE_OCTETS];
    private final CommandParser parser;
    private final boolean bareLfAllowed;
    private int length;
    private boolean discarding;

    public LineFramer(CommandParser parser, Set<Compliance> compliance) {
        this.parser = parser;
        this.bareLfAllowed = compliance.contains(Compliance.BARE_LF_IN_COMMAND);
    }

    /** Feeds a chunk; returns the lines it completed, in order (often none or one). */
    public java.util.List<ParsedLine> feed(byte[] chunk, int offset, int count) {
        java.util.List<ParsedLine> lines = new ArrayList<>(1);
        for (int i = offset; i < offset + count; i++) {
            byte b = chunk[i];
            if (b == '\n') {
                lines.add(endOfLine());
            } else if (discarding) {
                continue;
            } else if (length == MAX_COMMAND_LINE_OCTETS - 1) {
                // Even a bare LF would not fit any more.
                discarding = true;
                length = 0;
            } else {
                buffer[length++] = b;
            }
        }
        return lines;
    }

    /** Convenience for whole arrays. */
    public java.util.List<ParsedLine> feed(byte[] chunk) {
        return feed(chunk, 0, chunk.length);
    }

    private ParsedLine endOfLine() {
        boolean crlf = length > 0 && buffer[length - 1] == '\r';
        int content = crlf ? length - 1 : length;
        boolean tooLong = discarding || content + 2 > MAX_COMMAND_LINE_OCTETS;
        discarding = false;
        length = 0;
        if (tooLong) {
            return Rejected.line("Command line too long");
        }
        if (!crlf && !bareLfAllowed) {
            return Rejected.line("Command line must end with CRLF");
        }
        return parser.parse(buffer, content);
    }
}

package dev.pop3d.pop3.protocol;

/**
 * One line as the framer cut it, before anyone decided what it is: a command (parsed by
 * {@link CommandParser}), or a SASL continuation (RFC 5034 §4, read by the mechanism).
 *
 * @param content the octets without the line ending (empty when {@code tooLong})
 * @param crlf    whether it ended in CRLF (else a bare LF)
 * @param tooLong whether it exceeded the framer's limit and was discarded up to its LF
 */
public record RawLine(byte[] content, boolean crlf, boolean tooLong) {
    /** Octets on the wire, line ending included (the discarded part of a long line not counted). */
    public int octets() {
        return content.length + (crlf ? 2 : 1);
    }

    @Override
    public String toString() {
        return "RawLine[" + content.length + " octets" + (crlf ? "" : ", bare LF") + (tooLong ? ", too long" : "") + "]";
    }
}

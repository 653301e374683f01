package dev.pop3d.pop3.protocol;

/**
 * A client line during a SASL exchange (RFC 5034 §4): base64 text, {@code *} to cancel, or the
 * empty line that answers the server's final data. Not a command; its content never reaches a log.
 *
 * @param text    the line without its ending (ASCII expected; anything else fails base64)
 * @param tooLong the line exceeded the framer's limit and was discarded
 */
public record SaslResponse(String text, boolean tooLong) implements ParsedLine {
    public boolean cancelled() {
        return text.equals("*");
    }

    @Override
    public String toString() {
        return "SaslResponse[" + text.length() + " chars]";
    }
}

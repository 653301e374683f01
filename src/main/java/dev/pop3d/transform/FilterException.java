package dev.pop3d.transform;

/** The filter failed, hung or wrote to stderr. The message is for logs, not for the wire. */
public final class FilterException extends Exception {
    public FilterException(String message) {
        super(message);
    }

    public FilterException(String message, Throwable cause) {
        super(message, cause);
    }
}

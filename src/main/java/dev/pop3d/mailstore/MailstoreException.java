package dev.pop3d.mailstore;

/** An I/O failure of the mail store. Its message is for logs, never for the wire. */
public class MailstoreException extends Exception {
    public MailstoreException(String message) {
        super(message);
    }

    public MailstoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

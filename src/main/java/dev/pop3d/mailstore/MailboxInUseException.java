package dev.pop3d.mailstore;

/** Another session holds the maildrop's lock (RFC 2449 §8.1.1 {@code [IN-USE]}). */
public final class MailboxInUseException extends MailstoreException {
    public MailboxInUseException(String message) {
        super(message);
    }
}

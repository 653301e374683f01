package dev.pop3d.mailstore;

/**
 * The stored file of a message is no longer the one of the snapshot (removed, replaced, a symlink,
 * truncated or grown): it is not served ({@code -ERR [SYS/TEMP]}) and re-indexed at the next open.
 */
public final class MessageChangedException extends MailstoreException {
    public MessageChangedException(String message) {
        super(message);
    }
}

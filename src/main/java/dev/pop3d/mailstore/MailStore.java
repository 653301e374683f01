package dev.pop3d.mailstore;

/** Opens maildrops. Blocking: callers on an event loop run it on a worker. */
public interface MailStore {
    /**
     * Locks the user's maildrop exclusively (RFC 1939 §8), creating it if missing, replays any
     * deletion journal left by a crash, moves new mail into cur/, and snapshots the messages.
     *
     * @throws MailboxInUseException if another session, in this or another process, holds it
     * @throws MailstoreException    if the maildrop cannot be read or created
     */
    Maildrop open(String user) throws MailboxInUseException, MailstoreException;
}

package dev.pop3d.mailstore;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A locked maildrop, opened for one POP3 session. The message list is a snapshot taken at open
 * time and does not change during the session (mail delivered meanwhile waits for the next one).
 *
 * <p>Every method that touches the disk blocks: callers on an event loop run it on a worker.
 * Exactly one of {@link #commit} or {@link #release} ends the maildrop's life; both release the
 * lock, and calling either again does nothing.
 */
public interface Maildrop {
    /** The user this maildrop belongs to. */
    String user();

    /** The messages, index {@code i} holding message number {@code i + 1}. */
    List<MessageRef> messages();

    /** The stored file of a message of this snapshot, for streaming read-only. */
    Path path(MessageRef message);

    /**
     * RFC 1939 §6 UPDATE: removes the given messages (by number) crash-safely, then releases the
     * lock. Messages not named are never touched.
     *
     * @throws MailstoreException if not every marked message could be removed; the lock is
     *     released all the same, and whatever was not removed is still there
     */
    void commit(Set<Integer> deletedNumbers) throws MailstoreException;

    /** Releases the lock without removing anything (dropped connection, shutdown, failed login). */
    void release();
}

package dev.pop3d.mailstore;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /** The stored file of a message of this snapshot (for logs and fixtures; read through {@link #open}). */
    Path path(MessageRef message);

    /**
     * Opens a message of this snapshot for reading, never through a symlink, and only if it is
     * still a regular file of the same size (and, where the store knows it, the same inode) as
     * in the snapshot. Blocking.
     *
     * @throws MessageChangedException if it is not; the store re-indexes it at the next open
     */
    default OpenedMessage open(MessageRef message) throws MailstoreException {
        Path file = path(message);
        try {
            SeekableByteChannel channel = Files.newByteChannel(file, java.util.Set.of(StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS));
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                channel.close();
                throw new MessageChangedException(file + " is not a regular file");
            }
            return new OpenedMessage(channel, channel.size());
        } catch (IOException e) {
            throw new MessageChangedException(file + " cannot be opened: " + e.getMessage());
        }
    }

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

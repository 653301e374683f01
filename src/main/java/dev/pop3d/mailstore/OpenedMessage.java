package dev.pop3d.mailstore;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/**
 * A message file opened for one RETR or TOP, checked to be the very file of the snapshot.
 *
 * @param channel read-only, positioned at 0; the caller closes it
 * @param octets  the stored (raw) size the reader must see: fewer or more octets while reading
 *                mean the file changed, and the transfer must be cut, never passed as whole
 * @param clean   the store knows the stored bytes are already the wire form: CRLF line ends only,
 *                no line starting with ".", ending with CRLF (or empty); such a message may be sent
 *                as it is (no stuffing, zero-copy), still checked against {@code octets}
 */
public record OpenedMessage(SeekableByteChannel channel, long octets, boolean clean) implements AutoCloseable {
    /** A message whose bytes must go through the dot-stuffer. */
    public OpenedMessage(SeekableByteChannel channel, long octets) {
        this(channel, octets, false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

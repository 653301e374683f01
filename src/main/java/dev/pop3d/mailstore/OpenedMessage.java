package dev.pop3d.mailstore;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/**
 * A message file opened for one RETR or TOP, checked to be the very file of the snapshot.
 *
 * @param channel read-only, positioned at 0; the caller closes it
 * @param octets  the stored (raw) size the reader must see: fewer or more octets while reading
 *                mean the file changed, and the transfer must be cut, never passed as whole
 */
public record OpenedMessage(SeekableByteChannel channel, long octets) implements AutoCloseable {
    @Override
    public void close() throws IOException {
        channel.close();
    }
}

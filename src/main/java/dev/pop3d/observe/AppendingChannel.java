package dev.pop3d.observe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Writes at the current end of the file each time, as O_APPEND would (the access log is opened
 * read-write so that opening never blocks, which rules out APPEND): a log truncated by
 * {@code copytruncate} rotation goes on at its new end, without a hole.
 */
final class AppendingChannel implements WritableByteChannel {
    private final SeekableByteChannel channel;

    AppendingChannel(SeekableByteChannel channel) {
        this.channel = channel;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        channel.position(channel.size());
        return channel.write(source);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

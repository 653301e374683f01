package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pop3d.mailcodec.CrlfOctets;
import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MessageChangedException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a message truncated, grown or replaced (same size, other inode) during a session is
 * refused before {@code +OK} (the shell answers {@code -ERR [SYS/TEMP]}), and the next login
 * re-reads it: its size is right again and its UID stays. A change while streaming is
 * {@code ChangedMessageFilesIT}'s.
 */
class ChangedMessageIsNeverPassedAsWholeTest {
    private static final String BODY = "Subject: 1\n\n" + "line\n".repeat(100);

    @TempDir
    Path root;

    private void refusedThenReindexed(Consumer<Path> change, String after) throws Exception {
        try (StoreFixture fixture = new StoreFixture(root)) {
            fixture.deliver("alice", BODY);
            Maildrop drop = fixture.store.open("alice");
            String uid = drop.messages().get(0).uid();
            change.accept(drop.path(drop.messages().get(0)));
            assertThrows(MessageChangedException.class, () -> drop.open(drop.messages().get(0)));
            drop.release();

            Maildrop next = fixture.store.open("alice");
            CrlfOctets octets = new CrlfOctets();
            byte[] now = after.getBytes(StandardCharsets.US_ASCII);
            octets.update(now, 0, now.length);
            assertEquals(octets.octets(), next.messages().get(0).octets(), "re-indexed");
            assertEquals(uid, next.messages().get(0).uid(), "same message, same UID");
            next.open(next.messages().get(0)).close();
            next.release();
        }
    }

    @Test
    void aTruncatedMessageIsRefused() throws Exception {
        refusedThenReindexed(file -> rewrite(file, BODY.substring(0, 52), false), BODY.substring(0, 52));
    }

    @Test
    void aGrownMessageIsRefused() throws Exception {
        refusedThenReindexed(file -> rewrite(file, BODY + BODY, false), BODY + BODY);
    }

    @Test
    void aMessageReplacedBySameSizedFileIsRefused() throws Exception {
        String other = BODY.replace("line", "LINE");
        refusedThenReindexed(file -> rewrite(file, other, true), other);
    }

    private static void rewrite(Path file, String content, boolean newInode) {
        try {
            if (newInode) {
                Path temp = file.resolveSibling("replacement.tmp");
                Files.writeString(temp, content);
                Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(0);
                    channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

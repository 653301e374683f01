package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MessageChangedException;
import dev.pop3d.mailstore.OpenedMessage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a message swapped for a symlink after login (to a file outside, or cur/ swapped for a
 * link to a folder with a file of the same name) is never opened: RETR and TOP answer
 * {@code -ERR [SYS/TEMP]} ({@code ChangedMessageFilesIT} checks the wire).
 */
class SymlinkedMessageIsNeverServedTest {
    @TempDir
    Path root;
    @TempDir
    Path outside;

    @Test
    void aMessageSwappedForASymlinkIsRefused() throws Exception {
        try (StoreFixture fixture = new StoreFixture(root)) {
            fixture.deliver("alice", "Subject: 1\n\nmine\n");
            Maildrop drop = fixture.store.open("alice");
            Path stored = drop.path(drop.messages().get(0));
            Path secret = Files.writeString(outside.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            Files.delete(stored);
            Files.createSymbolicLink(stored, secret);
            assertThrows(MessageChangedException.class, () -> drop.open(drop.messages().get(0)));
            drop.release();
        }
    }

    @Test
    void curSwappedForASymlinkAfterLoginIsRefused() throws Exception {
        try (StoreFixture fixture = new StoreFixture(root)) {
            fixture.deliver("alice", "Subject: 1\n\nmine\n");
            Maildrop drop = fixture.store.open("alice");
            Path stored = drop.path(drop.messages().get(0));
            Path cur = stored.getParent();
            Files.copy(stored, outside.resolve(stored.getFileName().toString()));
            Files.move(cur, cur.resolveSibling("cur.moved"));
            Files.createSymbolicLink(cur, outside);
            assertThrows(MessageChangedException.class, () -> drop.open(drop.messages().get(0)));
            drop.release();
        }
    }

    @Test
    void theUntouchedMessageOpensWithItsSize() throws Exception {
        try (StoreFixture fixture = new StoreFixture(root)) {
            fixture.deliver("alice", "Subject: 1\n\nmine\n");
            Maildrop drop = fixture.store.open("alice");
            try (OpenedMessage opened = drop.open(drop.messages().get(0))) {
                ByteBuffer all = ByteBuffer.allocate(100);
                opened.channel().read(all);
                assertEquals("Subject: 1\n\nmine\n".length(), opened.octets());
                assertEquals(opened.octets(), all.position());
            }
            drop.release();
        }
    }
}

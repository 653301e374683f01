package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.mailstore.Maildrop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 and RFC 1939 §6: with 0 free blocks (inodes left), a login, DELE ×5 and QUIT succeed
 * and free the space: the lock needs no data block, and where the deletion journal cannot be
 * written the marked files are unlinked one at a time. Unmarked mail is never touched.
 */
class FullDiskQuitStillFreesSpaceTest {
    @TempDir
    Path base;

    @Test
    void deleFiveAndQuitOnAFullDiskFreeTheSpace() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(base.resolve("disk"), "96k"); StoreFixture fixture = new StoreFixture(disk.dir)) {
            for (int i = 1; i <= 6; i++) {
                fixture.deliver("alice", "Subject: " + i + "\n\n" + "x".repeat(3000) + "\n");
            }
            fixture.store.open("alice").release();
            assertEquals(0, disk.fill());

            Maildrop drop = fixture.store.open("alice");
            assertEquals(6, drop.messages().size());
            String kept = drop.messages().get(5).uid();
            drop.commit(Set.of(1, 2, 3, 4, 5));

            assertTrue(disk.free() >= 5 * 4096, "space freed: " + disk.free());
            assertTrue(Files.notExists(fixture.maildir("alice").resolve(DeletionJournal.FILE)));
            Maildrop after = fixture.store.open("alice");
            assertEquals(1, after.messages().size());
            assertEquals(kept, after.messages().get(0).uid());
            after.release();
        }
    }
}

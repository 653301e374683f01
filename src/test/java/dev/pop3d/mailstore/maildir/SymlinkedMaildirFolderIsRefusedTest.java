package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.mailstore.MailstoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: {@code cur/} or {@code new/} replaced by a symlink to a foreign folder: the mailbox is
 * refused (the shell answers {@code -ERR [SYS/TEMP]}); foreign files are never listed, moved or
 * deleted.
 */
class SymlinkedMaildirFolderIsRefusedTest {
    @TempDir
    Path root;
    @TempDir
    Path foreign;

    @ParameterizedTest
    @ValueSource(strings = {"cur", "new", "tmp"})
    void aSymlinkedFolderRefusesTheMailboxAndTouchesNothingForeign(String folder) throws Exception {
        try (StoreFixture fixture = new StoreFixture(root)) {
            fixture.deliver("alice", "Subject: 1\n\n1\n");
            fixture.store.open("alice").release();
            Path victim = Files.writeString(foreign.resolve("1700000000.victim:2,"), "Subject: foreign\n\nsecret\n");
            Path dir = fixture.maildir("alice").resolve(folder);
            org.junit.jupiter.api.Assertions.assertTrue(Files.isDirectory(dir));
            Path moved = fixture.maildir("alice").resolve(folder + ".real");
            Files.move(dir, moved);
            Files.createSymbolicLink(dir, foreign);

            MailstoreException refused = assertThrows(MailstoreException.class, () -> fixture.store.open("alice"));
            assertTrue(refused.getMessage().contains("not a directory"), refused.getMessage());
            assertTrue(Files.exists(victim));
            assertEquals(1, Files.list(foreign).count(), "nothing moved into or out of the foreign folder");
            assertTrue(Files.notExists(fixture.maildir("alice").resolve(MaildropLock.FILE)), "lock released");
        }
    }
}

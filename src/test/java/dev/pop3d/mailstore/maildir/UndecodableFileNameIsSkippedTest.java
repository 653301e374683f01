package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.mailstore.Maildrop;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a file whose name is not valid in the JVM's file-name encoding ({@code caf\xe9} under
 * UTF-8; any non-ASCII name when {@code LANG} is unset) is skipped with one log line; the rest of
 * the mailbox is served. {@code UndecodableFileNameIT} repeats it in a server process with
 * {@code LANG} unset and with {@code C.UTF-8}.
 */
class UndecodableFileNameIsSkippedTest {
    @TempDir
    Path root;

    static void createRawName(Path dir, String octalName) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf 'Subject: x\\n\\nx\\n' > \"$(printf '" + octalName + "')\"")
                .directory(dir.toFile()).inheritIO().start();
        assertEquals(0, p.waitFor());
    }

    @Test
    void aBadNameInCurIsSkippedAndTheRestServed() throws Exception {
        try (StoreFixture fixture = new StoreFixture(root)) {
            fixture.deliver("alice", "Subject: 1\n\n1\n");
            fixture.store.open("alice").release();
            createRawName(fixture.maildir("alice").resolve("cur"), "caf\\351:2,");
            createRawName(fixture.maildir("alice").resolve("new"), "new\\377");
            fixture.deliver("alice", "Subject: 2\n\n2\n");
            for (int login = 0; login < 2; login++) {
                Maildrop drop = fixture.store.open("alice");
                assertEquals(2, drop.messages().size());
                drop.commit(java.util.Set.of());
            }
            assertTrue(Files.list(fixture.maildir("alice").resolve("cur")).count() >= 3, "the bad file is left alone");
        }
    }
}

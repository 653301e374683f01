package dev.pop3d.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: another user pre-creating the spool folder (0777, or owned by them, or a symlink)
 * cannot make the server write mail into a file of theirs choosing: the folder is refused, and
 * the server's own folder is created 0700. Spool files are created CREATE_NEW without following
 * links, and the filter's stdout is copied by the server, never opened by path.
 */
class SpoolFolderCannotBeHijackedTest {
    @TempDir
    Path dir;

    private Path message() throws Exception {
        return Files.writeString(dir.resolve("message"), "Subject: x\n\nmail content\n");
    }

    @Test
    void aWorldWritableSpoolFolderIsRefused() throws Exception {
        Path spool = Files.createDirectory(dir.resolve("pop3d-spool"));
        Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwxrwxrwx"));
        FilterException refused = assertThrows(FilterException.class,
                () -> new ProcessFilter(Duration.ofSeconds(5), spool).run("cat", message()));
        assertTrue(refused.getMessage().contains("open to others"), refused.getMessage());
    }

    @Test
    void aSpoolFolderOfAnotherUserIsRefused() throws Exception {
        Path spool = Files.createDirectory(dir.resolve("pop3d-spool"));
        Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
        UserPrincipal nobody = spool.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(spool, nobody);
        FilterException refused = assertThrows(FilterException.class,
                () -> new ProcessFilter(Duration.ofSeconds(5), spool).run("cat", message()));
        assertTrue(refused.getMessage().contains("belongs to nobody"), refused.getMessage());
    }

    @Test
    void aSymlinkedSpoolFolderIsRefusedAndItsTargetUntouched() throws Exception {
        Path theirs = Files.createDirectory(dir.resolve("theirs"));
        Path victim = Files.writeString(theirs.resolve("victim"), "precious\n");
        Path spool = Files.createSymbolicLink(dir.resolve("pop3d-spool"), theirs);
        assertThrows(FilterException.class, () -> new ProcessFilter(Duration.ofSeconds(5), spool).run("cat", message()));
        assertEquals("precious\n", Files.readString(victim));
        try (var files = Files.list(theirs)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aMissingSpoolFolderIsCreatedPrivate() throws Exception {
        Path spool = dir.resolve("pop3d-spool");
        ProcessFilter.Spooled out = new ProcessFilter(Duration.ofSeconds(5), spool).run("cat", message());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spool, LinkOption.NOFOLLOW_LINKS)));
        assertEquals("Subject: x\n\nmail content\n", Files.readString(out.file()));
    }
}

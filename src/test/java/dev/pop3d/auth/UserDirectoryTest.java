package dev.pop3d.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users-file reload on real files, including a Kubernetes Secret rotation (the ..data symlink swap). */
class UserDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void anEditTakesEffect() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "alice:{PLAIN}one\n");
        UserDirectory users = UserDirectory.load(Optional.empty(), Optional.of(file));
        assertEquals(UserDirectory.Outcome.UNCHANGED, users.reload().outcome());
        Files.writeString(file, "alice:{PLAIN}two\nbob:{PLAIN}pw\n");
        UserDirectory.Reload reload = users.reload();
        assertEquals(UserDirectory.Outcome.RELOADED, reload.outcome(), reload.detail());
        assertTrue(users.verify("alice", "two"));
        assertFalse(users.verify("alice", "one"));
        assertTrue(users.verify("bob", "pw"));
    }

    @Test
    void aSecretRotationSwapsTheDataSymlink() throws Exception {
        // kubelet's layout: users -> ..data/users, ..data -> ..2026_12_01_1; rotation swaps ..data atomically
        Path v1 = Files.createDirectory(dir.resolve("..2026_12_01_1"));
        Files.writeString(v1.resolve("users"), "alice:{PLAIN}old\n");
        Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Path mounted = Files.createSymbolicLink(dir.resolve("users"), Path.of("..data/users"));
        UserDirectory users = UserDirectory.load(Optional.empty(), Optional.of(mounted));
        assertTrue(users.verify("alice", "old"));

        Path v2 = Files.createDirectory(dir.resolve("..2026_12_01_2"));
        Files.writeString(v2.resolve("users"), "alice:{PLAIN}new\n");
        Files.setLastModifiedTime(v2.resolve("users"), Files.getLastModifiedTime(v1.resolve("users")));
        Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        assertEquals(UserDirectory.Outcome.RELOADED, users.reload().outcome());
        assertTrue(users.verify("alice", "new"));
        assertFalse(users.verify("alice", "old"));
    }

    @Test
    void aBrokenFileIsRejectedOnceAndTheOldUsersStay() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "alice:{PLAIN}one\n");
        UserDirectory users = UserDirectory.load(Optional.empty(), Optional.of(file));
        Files.writeString(file, "alice {PLAIN}no-colon\n");
        UserDirectory.Reload reload = users.reload();
        assertEquals(UserDirectory.Outcome.REJECTED, reload.outcome());
        assertTrue(reload.detail().contains("keeping the 1 users in force"), reload.detail());
        assertFalse(reload.detail().contains("no-colon"), "no secret material in the log line");
        assertTrue(users.verify("alice", "one"));
        assertEquals(UserDirectory.Outcome.UNCHANGED, users.reload().outcome(), "reported once, not every interval");
    }

    @Test
    void aFileWithNoUserIsRejected() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "alice:{PLAIN}one\n");
        UserDirectory users = UserDirectory.load(Optional.of("ops:inline"), Optional.of(file));
        Files.writeString(file, "# emptied by mistake\n");
        assertEquals(UserDirectory.Outcome.REJECTED, users.reload().outcome());
        assertTrue(users.verify("alice", "one"), "the old set stays");
        assertTrue(users.verify("ops", "inline"));
    }

    @Test
    void aMissingFileIsRejectedAndTheOldUsersStay() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "alice:{PLAIN}one\n");
        UserDirectory users = UserDirectory.load(Optional.empty(), Optional.of(file));
        Files.delete(file);
        assertEquals(UserDirectory.Outcome.REJECTED, users.reload().outcome());
        assertTrue(users.verify("alice", "one"));
    }

    @Test
    void fixedSetsAreNotReloadable() {
        UserDirectory users = UserDirectory.fixed(UserStore.of(java.util.Map.of("demo", "{PLAIN}demo")));
        assertFalse(users.reloadable());
        assertEquals(UserDirectory.Outcome.UNCHANGED, users.reload().outcome());
    }
}

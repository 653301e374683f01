package dev.pop3d.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.auth.TestUsers;
import dev.pop3d.auth.UserDirectory;
import dev.pop3d.auth.UserStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test users' file and how its users join the directory (ADR 0019). */
class TestUsersTest {
    @TempDir
    Path dir;

    @Test
    void usersAreStoredHashedIn0600UsersFileAndReadBackAfterARestart() throws Exception {
        Path file = dir.resolve(TestUsers.FILE_NAME);
        TestUsers users = TestUsers.load(file);
        assertEquals(TestUsers.Put.CREATED, users.put("zed", "zed-pw"));
        assertEquals(TestUsers.Put.CREATED, users.put("amy", "amy-pw"));
        assertEquals(TestUsers.Put.REPLACED, users.put("zed", "new-pw"));
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertFalse(text.contains("zed-pw") || text.contains("new-pw"), text);
        assertTrue(text.contains("zed:{SSHA256}"), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var leftovers = Files.list(dir)) {
            assertEquals(1, leftovers.count(), "no temporary file stays");
        }
        UserStore asUsersFile = UserStore.load(Optional.empty(), Optional.of(file));
        assertTrue(asUsersFile.verify("zed", "new-pw"), "the project's users-file format");
        assertFalse(asUsersFile.verify("zed", "zed-pw"));
        TestUsers restarted = TestUsers.load(file);
        assertEquals(2, restarted.size());
        assertTrue(restarted.remove("amy"));
        assertFalse(restarted.remove("amy"));
        restarted.clear();
        assertEquals(0, TestUsers.load(file).size());
    }

    @Test
    void namesFollowTheUsersFileRulesAndTheCountIsCapped() throws Exception {
        for (String bad : new String[] {"", ".", "..", "a/b", "a\\b", "a:b", "a b", "x".repeat(65), "tab\t"}) {
            assertTrue(TestUsers.nameProblem(bad).isPresent(), bad);
        }
        assertTrue(TestUsers.nameProblem("zed+tag.x-y_z").isEmpty());
        assertTrue(TestUsers.passwordProblem("").isPresent());
        assertTrue(TestUsers.passwordProblem("p".repeat(TestUsers.MAX_PASSWORD_LENGTH + 1)).isPresent());
        Path file = dir.resolve(TestUsers.FILE_NAME);
        assertThrows(IllegalArgumentException.class, () -> TestUsers.load(file).put("a/b", "pw"));
        StringBuilder full = new StringBuilder();
        for (int i = 0; i < TestUsers.MAX_USERS - 1; i++) {
            full.append('u').append(i).append(":{PLAIN}pw\n");
        }
        Files.writeString(file, full);
        TestUsers users = TestUsers.load(file);
        assertEquals(TestUsers.Put.CREATED, users.put("last", "pw"), "under the cap");
        assertEquals(TestUsers.Put.FULL, users.put("one-more", "pw"), "over it");
        assertEquals(TestUsers.Put.REPLACED, users.put("u7", "other"), "an existing one can still change");
        assertEquals(TestUsers.MAX_USERS, TestUsers.load(file).size(), "at it");
        Files.writeString(file, full + "x1:{PLAIN}pw\nx2:{PLAIN}pw\n");
        assertThrows(dev.pop3d.auth.InvalidUsersException.class, () -> TestUsers.load(file), "a file over the cap");
    }

    @Test
    void testUsersJoinTheDirectoryConfiguredUsersWinAndAReloadKeepsThem() throws Exception {
        Path usersFile = dir.resolve("users");
        Files.writeString(usersFile, "alice:{PLAIN}one\n");
        UserDirectory directory = UserDirectory.load(Optional.empty(), Optional.of(usersFile));
        TestUsers test = TestUsers.load(dir.resolve(TestUsers.FILE_NAME));
        test.put("zed", "zed");
        test.put("alice", "stolen");
        directory.testUsers(test.secrets());
        assertTrue(directory.verify("zed", "zed"));
        assertTrue(directory.verify("alice", "one"));
        assertFalse(directory.verify("alice", "stolen"), "a test user never overrides a configured one");

        Files.writeString(usersFile, "bob:{PLAIN}two\n");
        Files.setLastModifiedTime(usersFile, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertEquals(UserDirectory.Outcome.RELOADED, directory.reload().outcome());
        assertTrue(directory.verify("bob", "two"));
        assertTrue(directory.verify("zed", "zed"), "the test users survive the reload");
        assertTrue(directory.verify("alice", "stolen"), "alice left the file: the test user of that name shows");
        assertEquals(java.util.Set.of("bob"), directory.configured().users());
    }
}

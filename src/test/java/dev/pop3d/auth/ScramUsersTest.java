package dev.pop3d.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code {SCRAM-SHA-256}} users in the users file: loading, USER/PASS checks, SCRAM keys, decoys. */
class ScramUsersTest {
    @TempDir
    Path dir;

    @Test
    void aDoveadmLinePastedIntoTheUsersFileLogsInWithUserPass() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "dana:" + ScramCredentialTest.DOVEADM_SECRET + "\n", StandardCharsets.UTF_8);
        UserStore store = UserStore.load(Optional.empty(), Optional.of(users));
        assertTrue(store.verify("dana", "secret"));
        assertFalse(store.verify("dana", "wrong"));
        assertEquals(4096, store.scramCredential("dana").orElseThrow().iterations());
    }

    @Test
    void aMalformedScramSecretIsRefusedAtLoadWithTheLine() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "# users\ndana:{SCRAM-SHA-256}4096,only-two\n", StandardCharsets.UTF_8);
        InvalidUsersException e = assertThrows(InvalidUsersException.class,
                () -> UserStore.load(Optional.empty(), Optional.of(users)));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("SCRAM-SHA-256"), e.getMessage());
        assertFalse(e.getMessage().contains("only-two"), "the secret never appears: " + e.getMessage());
    }

    @Test
    void onlyScramUsersHaveScramKeys() {
        UserStore store = UserStore.of(Map.of(
                "scram", PasswordHasher.hash(PasswordScheme.SCRAM_SHA256, "pw"),
                "plain", "{PLAIN}pw",
                "sha", PasswordHasher.hash(PasswordScheme.SHA256, "pw"),
                "ssha", PasswordHasher.hash(PasswordScheme.SSHA256, "pw"),
                "bcrypt", PasswordHasher.hash(PasswordScheme.BCRYPT, "pw", 4)));
        assertTrue(store.scramCredential("scram").isPresent());
        for (String user : List.of("plain", "sha", "ssha", "bcrypt", "nobody")) {
            assertEquals(Optional.empty(), store.scramCredential(user), user);
        }
    }

    @Test
    void unknownUsersCostAScramCheckWhenScramIsTheCostliestScheme() {
        String decoy = UserStore.decoy(List.of("{PLAIN}x", PasswordHasher.hash(PasswordScheme.SCRAM_SHA256, "y")));
        assertTrue(decoy.startsWith("{SCRAM-SHA-256}4096,"), decoy);
        String withBcrypt = UserStore.decoy(List.of(PasswordHasher.hash(PasswordScheme.SCRAM_SHA256, "y"),
                PasswordHasher.hash(PasswordScheme.BCRYPT, "z", 4)));
        assertTrue(withBcrypt.startsWith("{BCRYPT}"), "bcrypt stays the costliest: " + withBcrypt);
    }
}

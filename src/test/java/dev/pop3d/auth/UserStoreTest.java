package dev.pop3d.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class UserStoreTest {
    @TempDir
    Path dir;

    private UserStore file(String content) throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, content, StandardCharsets.UTF_8);
        return UserStore.load(Optional.empty(), Optional.of(users));
    }

    @Test
    void passwordsAreEverythingAfterTheFirstColon() throws Exception {
        UserStore store = file("# comment\n\n"
                + "alice:{PLAIN}p:a:ss \"q\" 'x' \\back\\ \r\n"
                + "bob:nocheme:secret\n"
                + "carol:{sha256}" + PasswordScheme.SHA256.hash("c", 0) + "\n");
        assertEquals(Set.of("alice", "bob", "carol"), store.users());
        assertTrue(store.verify("alice", "p:a:ss \"q\" 'x' \\back\\ "));
        assertFalse(store.verify("alice", "p:a:ss \"q\" 'x' \\back\\"));
        assertTrue(store.verify("bob", "nocheme:secret"), "no scheme means PLAIN, and the first colon splits");
        assertTrue(store.verify("carol", "c"));
        assertFalse(store.verify("nobody", "c"));
    }

    @Test
    void inlineUsersSplitAtCommaThenFirstColon() throws Exception {
        UserStore store = UserStore.load(Optional.of("alice:secret,bob:p:w"), Optional.empty());
        assertTrue(store.verify("alice", "secret"));
        assertTrue(store.verify("bob", "p:w"));
        assertFalse(store.verify("bob", "p"));
    }

    @Test
    void dovecotFormatsAreAccepted() throws Exception {
        // Dovecot: doveadm pw -s SHA256 -p secret, and SSHA256 with a salt, and BLF-CRYPT
        UserStore store = file("a:{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=\n"
                + "b:{SHA256}2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\n"
                + "c:" + PasswordHasher.hash(PasswordScheme.SSHA256, "secret") + "\n"
                + "d:{BLF-CRYPT}" + PasswordScheme.BCRYPT.hash("secret", 4) + "\n");
        for (String user : new String[] {"a", "b", "c", "d"}) {
            assertTrue(store.verify(user, "secret"), user);
            assertFalse(store.verify(user, "Secret"), user);
        }
    }

    @ParameterizedTest
    @EnumSource(PasswordScheme.class)
    void everySchemeRoundTrips(PasswordScheme scheme) {
        String stored = PasswordHasher.hash(scheme, "pässwörd: with spaces", 4);
        assertTrue(stored.startsWith("{" + scheme.externalName() + "}"), stored);
        assertTrue(PasswordHasher.verify(stored, "pässwörd: with spaces"));
        assertFalse(PasswordHasher.verify(stored, "passwort"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc:x", "a/b:x", "a b:x", ".:x", "..:x", ":x", "a\\b:x", "nocolon", "u:{MD5}abc"})
    void badLinesAreRefusedWithoutShowingTheSecret(String line) throws Exception {
        Path users = dir.resolve("bad");
        Files.writeString(users, "ok:fine\n" + line + "-topsecret\n");
        InvalidUsersException e = assertThrows(InvalidUsersException.class,
                () -> UserStore.load(Optional.empty(), Optional.of(users)));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    }

    @Test
    void unknownUsersAreCheckedAgainstTheCostliestSchemeInTheStore() {
        String cost5 = PasswordHasher.hash(PasswordScheme.BCRYPT, "a", 5);
        String cost4 = PasswordHasher.hash(PasswordScheme.BCRYPT, "b", 4);
        assertTrue(UserStore.decoy(java.util.List.of("{PLAIN}x", cost4, cost5)).startsWith("{BCRYPT}$2a$05$"));
        assertTrue(UserStore.decoy(java.util.List.of("{PLAIN}x", "{SHA256}" + PasswordScheme.SHA256.hash("y", 0)))
                .startsWith("{SHA256}"), "no bcrypt user: no bcrypt cost for unknown users either");
    }

    @Test
    void duplicateUsersAreRefused() throws Exception {
        Path users = dir.resolve("dup");
        Files.writeString(users, "alice:one\nalice:two\n");
        assertThrows(InvalidUsersException.class, () -> UserStore.load(Optional.of("bob:x"), Optional.of(users)));
        assertThrows(InvalidUsersException.class, () -> UserStore.load(Optional.of("alice:x"), Optional.empty())
                .equals(UserStore.load(Optional.of("alice:x,alice:y"), Optional.empty())));
    }

    /** Found by UsersFileFuzzTest: one byte that is not UTF-8 escaped as MalformedInputException ("Input length = 1"). */
    @Test
    void aLineThatIsNotUtf8IsRefusedByNumberWithoutShowingIt() throws Exception {
        Path users = dir.resolve("binary");
        Files.write(users, new byte[] {'o', 'k', ':', 'f', 'i', 'n', 'e', '\n', 'b', ':', 't', 'o', 'p', (byte) 0xff, '\n'});
        InvalidUsersException e = assertThrows(InvalidUsersException.class,
                () -> UserStore.load(Optional.empty(), Optional.of(users)));
        assertEquals(users + " line 2: not valid UTF-8", e.getMessage());
    }

    /** Found by UsersFileFuzzTest (a libFuzzer timeout): a malformed bcrypt line set the decoy's cost to 31. */
    @Test
    void aMalformedBcryptSecretDoesNotSetTheDecoysCost() {
        String malformed = "{BCRYPT}$2a$40R$9h/cIPz0gi.URNNX3kh2OPST9/PgBkAAAAAAA";
        String decoy = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> UserStore.decoy(java.util.List.of("{PLAIN}x", malformed)));
        assertTrue(decoy.startsWith("{BCRYPT}$2a$10$"), "the default cost, not 2^31 rounds: " + decoy);
    }
}

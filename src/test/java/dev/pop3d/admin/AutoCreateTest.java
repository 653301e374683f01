package dev.pop3d.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.accounts.Accounts;
import dev.pop3d.auth.TestUsers;
import dev.pop3d.config.Pop3Config;
import dev.pop3d.live.LiveSettings;
import dev.pop3d.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Accounts#recipient} with pop3.test.auto-create-users: the intake's way to create users. */
class AutoCreateTest {
    @TempDir
    Path dir;

    private Accounts accounts(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("pop3.data-dir", dir.toString());
        all.put("pop3.demo.enabled", "false");
        Pop3Config config = ConfigLoader.load(new ConfigLoader.Sources(all, Map.of(), dir))
                .getConfigMapping(Pop3Config.class);
        return new Accounts(config, new LiveSettings(config));
    }

    @Test
    void theTestServerProfileTurnsTheModeOn() {
        Pop3Config config = ConfigLoader.load(new ConfigLoader.Sources(Map.of("quarkus.profile", "test-server"),
                Map.of(), dir)).getConfigMapping(Pop3Config.class);
        assertTrue(config.admin().enabled());
        assertTrue(config.test().autoCreateUsers());
        assertFalse(config.demo().enabled());
        assertEquals(Pop3Config.Plaintext.ALLOWED, config.auth().plaintext());
        assertEquals(java.time.Duration.ZERO, config.auth().failureDelay());
        assertFalse(config.auth().penalty().enabled());
        assertFalse(config.auth().lockout().enabled());
        assertEquals(java.util.List.of("127.0.0.0/8", "::1/128"), config.auth().trustedNetworks().orElseThrow());
        Pop3Config prod = ConfigLoader.load(new ConfigLoader.Sources(Map.of(), Map.of(), dir))
                .getConfigMapping(Pop3Config.class);
        assertFalse(prod.admin().enabled() || prod.test().autoCreateUsers(), "off unless the profile or keys say so");
    }

    @Test
    void anUnknownLocalPartBecomesAUserWhosePasswordIsItsName() throws Exception {
        Accounts accounts = accounts(Map.of("pop3.test.auto-create-users", "true", "pop3.users", "alice:one"));
        assertEquals(Optional.of("zed"), accounts.recipient("zed"));
        assertTrue(accounts.users().verify("zed", "zed"));
        assertTrue(accounts.isTestUser("zed"));
        assertEquals(Optional.of("zed"), accounts.recipient("zed"), "the second mail finds it");
        assertEquals(Optional.of("alice"), accounts.recipient("alice"));
        assertFalse(accounts.users().verify("alice", "alice"), "a configured user keeps its password");
        assertEquals(Optional.empty(), accounts.recipient("../etc"), "names follow the users-file rules");
        assertEquals(Optional.empty(), accounts.recipient("a b"));
        assertTrue(Files.readString(dir.resolve(TestUsers.FILE_NAME)).contains("zed:{SSHA256}"));
        Accounts restarted = accounts(Map.of("pop3.test.auto-create-users", "true", "pop3.users", "alice:one"));
        assertTrue(restarted.users().verify("zed", "zed"), "kept in <data-dir>/test-users");
    }

    @Test
    void withoutAutoCreationUnknownIsUnknownAndNoUsersIsRefused() throws Exception {
        Accounts accounts = accounts(Map.of("pop3.users", "alice:one"));
        assertEquals(Optional.empty(), accounts.recipient("zed"));
        assertFalse(Files.exists(dir.resolve(TestUsers.FILE_NAME)));
        assertThrows(IllegalStateException.class, () -> accounts(Map.of()).users(),
                "normal mode still refuses to start with no users and no demo");
    }

    @Test
    void inTestServerModeNoUsersIsFineAndTheApiCannotTouchConfiguredUsers() throws Exception {
        Accounts empty = accounts(Map.of("pop3.admin.enabled", "true"));
        assertTrue(empty.users().current().isEmpty());
        assertEquals(Optional.empty(), empty.recipient("zed"), "auto-creation is its own switch");
        Accounts accounts = accounts(Map.of("pop3.admin.enabled", "true", "pop3.users", "alice:one"));
        assertEquals(Accounts.Create.CONFIGURED_USER, accounts.createTestUser("alice", "x"));
        assertEquals(Accounts.Remove.CONFIGURED_USER, accounts.removeTestUser("alice"));
        assertEquals(Accounts.Create.CREATED, accounts.createTestUser("bob", "b"));
        assertEquals(Accounts.Create.REPLACED, accounts.createTestUser("bob", "c"));
        assertTrue(accounts.users().verify("bob", "c"));
        accounts.clearTestUsers();
        assertFalse(accounts.exists("bob"));
        assertTrue(accounts.exists("alice"));
        assertEquals(Accounts.Remove.UNKNOWN, accounts.removeTestUser("bob"));
    }
}

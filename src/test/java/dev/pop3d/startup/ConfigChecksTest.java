package dev.pop3d.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's start-up checks, on configurations built as the server builds them. */
class ConfigChecksTest {
    @TempDir
    Path dir;

    private List<String> problems(String... env) {
        Map<String, String> variables = new HashMap<>(Map.of("POP3_DATA_DIR", dir.resolve("data").toString()));
        for (int i = 0; i < env.length; i += 2) {
            variables.put(env[i], env[i + 1]);
        }
        return ConfigChecks.problems(ConfigLoader.load(new ConfigLoader.Sources(Map.of(), variables, dir)));
    }

    @Test
    void theDefaultsPassAndNothingIsCreated() {
        assertEquals(List.of(), problems());
        assertFalse(Files.exists(dir.resolve("data")), "checks create nothing, not even the token file");
    }

    @Test
    void aUsersFileOfCommentsIsRefusedNamingTheFile() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "# replace with user:{SCHEME}secret lines\n\n");
        assertEquals(List.of(users + " holds no user: add user:{SCHEME}secret lines to it (pop3.users-file; "
                + "pop3d hash-password prints secrets)"), problems("POP3_USERS_FILE", users.toString()));
        assertEquals(1, problems("POP3_USERS_FILE", users.toString(), "POP3_USERS", "bob:pw").size(),
                "inline users do not make the placeholder file valid");
        Files.writeString(users, "alice:{PLAIN}x\n");
        assertEquals(List.of(), problems("POP3_USERS_FILE", users.toString()));
    }

    @Test
    void unreadableOrUnparsableUsersAreRefused() throws Exception {
        assertEquals(List.of("cannot read the users file " + dir.resolve("nope") + " (pop3.users-file): no such file"),
                problems("POP3_USERS_FILE", dir.resolve("nope").toString()));
        Path users = Files.writeString(dir.resolve("users"), "alice\n");
        assertEquals(List.of(users + " line 1: expected user:secret (pop3.users-file)"),
                problems("POP3_USERS_FILE", users.toString()));
        assertEquals(List.of("no users configured and pop3.demo.enabled=false: set pop3.users-file or pop3.users"),
                problems("POP3_DEMO_ENABLED", "false"));
    }

    @Test
    void theMaildirRootMustBeAWritableDirectoryOrCreatable() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertEquals(List.of("maildir root " + file.resolve("mail") + " cannot be a directory: " + file
                + " is a file (pop3.maildir.root)"), problems("POP3_MAILDIR_ROOT", file.resolve("mail").toString()));
        assertEquals(List.of(), problems("POP3_MAILDIR_ROOT", dir.resolve("a/b/c").toString()));
    }

    @Test
    void emptyTokensAndTokenFilesAreRefusedNamingThem() throws Exception {
        assertTrue(problems("CONF1_TOKEN", "").get(0).startsWith("conf1.token is empty"), problems("CONF1_TOKEN", "").toString());
        assertTrue(problems("CONF1_TOKEN_FILE", "").get(0).startsWith("conf1.token-file is empty"));
        Path empty = Files.writeString(dir.resolve("token"), "");
        assertEquals(List.of(empty + " (conf1.token-file) is empty: write the 10-letter CONF1 token into it"),
                problems("CONF1_TOKEN_FILE", empty.toString()));
        assertEquals(List.of("conf1.token must be exactly 10 ASCII letters"), problems("CONF1_TOKEN", "ChangeMe"));
        assertEquals(List.of(), problems("CONF1_TOKEN", "GoodTokenX"));
    }

    @Test
    void tlsFilesGoTogetherMustBePemAndNeverWithoutTlsNeedsThem() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key\n");
        assertEquals(List.of("pop3.tls.cert-file and pop3.tls.key-file go together: set both or neither"),
                problems("POP3_TLS_CERT_FILE", cert.toString()));
        assertEquals(List.of(key + " holds no PEM private key (pop3.tls.key-file)"),
                problems("POP3_TLS_CERT_FILE", cert.toString(), "POP3_TLS_KEY_FILE", key.toString()));
        assertEquals(List.of("pop3.auth.plaintext=never-without-tls needs a certificate: set pop3.tls.cert-file and "
                + "pop3.tls.key-file"), problems("POP3_AUTH_PLAINTEXT", "never-without-tls"));
        assertEquals(List.of("'10.0.0.0/33': prefix length must be a number 0..32 (pop3.auth.trusted-networks)"),
                problems("POP3_AUTH_TRUSTED_NETWORKS", "10.0.0.0/33"));
    }
}

package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pop3d deliver} through the command line, configured as the server is (environment here). */
class DeliverCommandTest {
    @TempDir
    Path dir;

    private Cli cli(String... env) {
        Cli cli = new Cli(dir);
        for (int i = 0; i < env.length; i += 2) {
            cli.env(env[i], env[i + 1]);
        }
        return cli;
    }

    @Test
    void storesIntoNewOfTheConfiguredRootWithSendmailExitCodes() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "alice:{PLAIN}x\n");
        String message = "Subject: hi\n\nbody\n";
        Cli cli = cli("POP3_USERS_FILE", users.toString(), "POP3_MAILDIR_ROOT", dir.resolve("root").toString()).stdin(message);
        assertEquals(0, cli.run("deliver", "alice").exitCode());
        assertEquals(0, cli.run("deliver", "alice").exitCode());
        List<Path> fresh;
        try (var files = Files.list(dir.resolve("root/alice/Maildir/new"))) {
            fresh = files.sorted().collect(Collectors.toList());
        }
        assertEquals(2, fresh.size());
        assertArrayEquals(message.getBytes(), Files.readAllBytes(fresh.get(0)));
        try (var tmp = Files.list(dir.resolve("root/alice/Maildir/tmp"))) {
            assertEquals(0, tmp.count(), "nothing left in tmp/");
        }
        assertEquals(67, cli.run("deliver", "mallory").exitCode());
        assertEquals(67, cli.run("deliver", "../alice").exitCode());
        assertEquals(64, cli.run("deliver").exitCode());
        assertEquals(64, cli.run("deliver", "alice", "bob").exitCode());
    }

    @Test
    void aMaildirThatCannotBeWrittenIsATemporaryFailure() throws Exception {
        Files.writeString(dir.resolve("root"), "a file where the root should be");
        assertEquals(75, cli("POP3_USERS", "bob:pw", "POP3_MAILDIR_ROOT", dir.resolve("root").toString()).stdin("x")
                .run("deliver", "bob").exitCode());
    }

    @Test
    void withoutUsersOnlyTheDemoUserExists() {
        Cli cli = cli("POP3_DATA_DIR", dir.toString()).stdin("x\n");
        assertEquals(0, cli.run("deliver", "demo").exitCode());
        assertEquals(67, cli.run("deliver", "alice").exitCode());
        assertTrue(Files.isDirectory(dir.resolve("mail/demo/Maildir/new")));
        Cli.Result noDemo = cli.env("POP3_DEMO_ENABLED", "false").run("deliver", "demo");
        assertEquals(75, noDemo.exitCode(), "no users and no demo: the server refuses to start, deliver to store");
        assertTrue(noDemo.err().contains("no users configured and pop3.demo.enabled=false"), noDemo.err());
    }

    @Test
    void aConfigurationTheServerRefusesIsATemporaryFailureNamingTheFile() throws Exception {
        Path placeholder = dir.resolve("users");
        Files.writeString(placeholder, "# replace me with user:{SCHEME}secret lines\n");
        Cli.Result result = cli("POP3_USERS_FILE", placeholder.toString(), "POP3_DATA_DIR", dir.toString()).stdin("x")
                .run("deliver", "demo");
        assertEquals(75, result.exitCode(), result.err());
        assertEquals("pop3d: configuration error: " + placeholder + " holds no user: add user:{SCHEME}secret lines "
                + "to it (pop3.users-file; pop3d hash-password prints secrets)", result.err().strip());
        assertEquals(75, cli("POP3_USERS", "bob:pw", "POP3_DATA_DIR", dir.toString(), "POP3_STREAM_BUFFER_SIZE", "0")
                .stdin("x").run("deliver", "bob").exitCode(), "the mapping's constraints hold for deliver too");
    }
}

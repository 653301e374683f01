package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliverCommandTest {
    @TempDir
    Path dir;

    private int deliver(String user, byte[] message, Map<String, String> env) {
        return DeliverCommand.run(new String[] {user}, new ByteArrayInputStream(message),
                new PrintStream(new ByteArrayOutputStream()), new Properties(), env);
    }

    @Test
    void storesIntoNewOfTheConfiguredRootWithSendmailExitCodes() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "alice:{PLAIN}x\n");
        Map<String, String> env = Map.of("POP3_USERS_FILE", users.toString(), "POP3_MAILDIR_ROOT", dir.resolve("root").toString());
        byte[] message = "Subject: hi\n\nbody\n".getBytes();
        assertEquals(0, deliver("alice", message, env));
        assertEquals(0, deliver("alice", message, env));
        List<Path> fresh;
        try (var files = Files.list(dir.resolve("root/alice/Maildir/new"))) {
            fresh = files.sorted().collect(Collectors.toList());
        }
        assertEquals(2, fresh.size());
        assertArrayEquals(message, Files.readAllBytes(fresh.get(0)));
        try (var tmp = Files.list(dir.resolve("root/alice/Maildir/tmp"))) {
            assertEquals(0, tmp.count(), "nothing left in tmp/");
        }
        assertEquals(67, deliver("mallory", message, env));
        assertEquals(67, deliver("../alice", message, env));
        assertEquals(64, DeliverCommand.run(new String[0], new ByteArrayInputStream(message),
                new PrintStream(new ByteArrayOutputStream()), new Properties(), env));
    }

    @Test
    void aMaildirThatCannotBeWrittenIsATemporaryFailure() throws Exception {
        Files.writeString(dir.resolve("root"), "a file where the root should be");
        Map<String, String> env = Map.of("POP3_USERS", "bob:pw", "POP3_MAILDIR_ROOT", dir.resolve("root").toString());
        assertEquals(75, deliver("bob", "x".getBytes(), env));
    }

    @Test
    void withoutUsersOnlyTheDemoUserExists() {
        Map<String, String> env = Map.of("POP3_DATA_DIR", dir.toString());
        assertEquals(0, deliver("demo", "x\n".getBytes(), env));
        assertEquals(67, deliver("alice", "x\n".getBytes(), env));
        assertEquals(true, Files.isDirectory(dir.resolve("mail/demo/Maildir/new")));
    }
}

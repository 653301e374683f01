package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged server picks up a changed users file without a restart (pop3.users.reload-interval),
 * rejects a file that is broken or holds no user (the old users stay, with an ERROR line), and lets
 * the session of a removed user run to its QUIT.
 */
class UsersReloadIT {
    private Path dir;
    private ServerProcess server;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("pop3d-reload");
        server = new ServerProcess(dir).user("alice", "one").property("pop3.users.reload-interval", "200ms").start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        TestFiles.deleteTree(dir);
    }

    @Test
    void anEditTakesEffectAndARemovedUsersSessionRunsToQuit() throws Exception {
        try (RawClient session = server.client()) {
            session.login("alice", "one");
            replace(server.usersFile(), "bob:{PLAIN}two\n");
            awaitLogin("bob", "two");
            assertTrue(tryLogin("alice", "one").startsWith("-ERR [AUTH]"), "alice was removed");
            assertTrue(session.command("STAT").startsWith("+OK"), "the open session goes on");
            assertTrue(session.command("QUIT").startsWith("+OK"));
        }
        assertTrue(server.log().contains("reloaded: 1 users"), server.logTail());
    }

    @Test
    void anEmptiedOrBrokenFileIsRejectedAndTheOldUsersStay() throws Exception {
        replace(server.usersFile(), "# nothing here\n");
        awaitLog("holds no user: keeping the 1 users in force");
        assertTrue(tryLogin("alice", "one").startsWith("+OK"), "old users stay; demo mode does not turn on");
        assertTrue(tryLogin("demo", "demo").startsWith("-ERR"), "an empty file never turns demo mode on");
        replace(server.usersFile(), "alice {PLAIN}missing-colon\n");
        awaitLog("rejected (");
        assertTrue(tryLogin("alice", "one").startsWith("+OK"));
        assertTrue(!server.log().contains("missing-colon"), "no secret material in the log");
        assertEquals(2, count(server.log(), " ERROR "), "each rejected version is reported once: " + server.logTail());
    }

    private void awaitLogin(String user, String password) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!tryLogin(user, password).startsWith("+OK")) {
            assertTrue(System.nanoTime() < deadline, "new users file not picked up within 10 s: " + server.logTail());
            Thread.sleep(100);
        }
    }

    private void awaitLog(String text) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!server.log().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' within 10 s: " + server.logTail());
            Thread.sleep(100);
        }
    }

    private String tryLogin(String user, String password) throws Exception {
        try (RawClient client = server.client()) {
            client.line();
            client.command("USER " + user);
            String answer = client.command("PASS " + password);
            client.command("QUIT");
            return answer;
        }
    }

    /** As an editor or a config-management tool does: write a new file, rename it over the old. */
    private static void replace(Path file, String content) throws Exception {
        Path temp = Files.writeString(file.resolveSibling(file.getFileName() + ".new"), content);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}

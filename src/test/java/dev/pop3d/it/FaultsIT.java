package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crashes, restarts, a second process, timeouts and limits — against the packaged server. */
class FaultsIT {
    @TempDir
    Path dir;

    private ServerProcess server(String... properties) throws Exception {
        ServerProcess server = new ServerProcess(dir.resolve("server")).user("alice", "alice-pw").user("bob", "bob-pw");
        for (int i = 0; i < properties.length; i += 2) {
            server.property(properties[i], properties[i + 1]);
        }
        return server;
    }

    private static byte[] message(int n) {
        return ("Subject: message " + n + "\n\nbody " + n + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> uidl(RawClient client) throws Exception {
        assertEquals("+OK", client.command("UIDL"));
        return client.lines();
    }

    @Test
    void uidsSurviveARestart() throws Exception {
        try (ServerProcess server = server()) {
            server.deliver("alice", message(1));
            server.deliver("alice", message(2));
            server.start();
            List<String> before;
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                before = uidl(c);
                c.command("QUIT");
            }
            int exit = server.stop();
            assertTrue(exit == 0 || exit == 143, "SIGTERM exit " + exit);
            server.deliver("alice", message(3));
            server.start();
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                List<String> after = uidl(c);
                assertEquals(before, after.subList(0, 2));
                assertEquals(3, after.size());
                c.command("QUIT");
            }
        }
    }

    @Test
    void deletionsHappenOnlyAtQuit() throws Exception {
        try (ServerProcess server = server()) {
            server.deliver("alice", message(1));
            server.deliver("alice", message(2));
            server.start();
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                assertEquals("+OK Marked to be deleted.", c.command("DELE 1"));
            } // dropped without QUIT
            awaitUnlocked(server, "alice");
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                assertEquals("+OK 2 messages:", c.command("LIST"));
                c.lines();
                assertEquals("+OK Marked to be deleted.", c.command("DELE 1"));
                assertEquals("+OK Logging out, messages deleted.", c.command("QUIT"));
            }
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                assertEquals("+OK 1 messages:", c.command("LIST"));
                c.lines();
                c.command("QUIT");
            }
        }
    }

    @Test
    void sigkillMidSessionLosesNothingAndTheNextLoginWorksAtOnce() throws Exception {
        try (ServerProcess server = server("pop3.lock.stale-timeout", "1h")) {
            server.deliver("alice", message(1));
            server.deliver("alice", message(2));
            server.start();
            RawClient c = server.client();
            c.login("alice", "alice-pw");
            assertEquals("+OK Marked to be deleted.", c.command("DELE 1"));
            assertEquals("+OK Marked to be deleted.", c.command("DELE 2"));
            assertTrue(Files.exists(server.maildir("alice").resolve("pop3d.lock"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
            server.kill();
            assertEquals("<closed>", c.line());
            c.close();
            assertTrue(Files.exists(server.maildir("alice").resolve("pop3d.lock"), java.nio.file.LinkOption.NOFOLLOW_LINKS), "a crash leaves its lock");
            server.start();
            try (RawClient again = server.client()) {
                again.login("alice", "alice-pw"); // dead pid on this host: taken over at once
                assertEquals("+OK 2 messages:", again.command("LIST"));
                again.lines();
                again.command("QUIT");
            }
        }
    }

    @Test
    void aSecondProcessOnTheSameDataGetsInUse() throws Exception {
        try (ServerProcess first = server(); ServerProcess second = new ServerProcess(dir.resolve("server"))) {
            first.deliver("alice", message(1));
            first.start();
            second.user("alice", "alice-pw").start();
            try (RawClient a = first.client(); RawClient b = second.client()) {
                a.login("alice", "alice-pw");
                b.line();
                b.command("USER alice");
                assertEquals("-ERR [IN-USE] Mailbox is locked by another session", b.command("PASS alice-pw"));
                assertEquals("+OK Logging out.", a.command("QUIT"));
                b.command("USER alice");
                assertEquals("+OK Logged in.", b.command("PASS alice-pw"));
                b.command("QUIT");
            }
        }
    }

    @Test
    void idleSessionsAreClosed() throws Exception {
        try (ServerProcess server = server("pop3.limits.idle-timeout", "1s").start(); RawClient c = server.client()) {
            c.login("alice", "alice-pw");
            long started = System.nanoTime();
            assertEquals("-ERR Disconnected for inactivity.", c.line());
            assertEquals("<closed>", c.line());
            assertTrue(System.nanoTime() - started < 9_000_000_000L, "closed well before the read timeout");
        }
    }

    @Test
    void eachCommandStartsTheIdleTimeoutAfresh() throws Exception {
        try (ServerProcess server = server("pop3.limits.idle-timeout", "1s").start(); RawClient c = server.client()) {
            c.login("alice", "alice-pw");
            for (int i = 0; i < 5; i++) { // 3 s in all, never 1 s without a command
                Thread.sleep(600);
                assertEquals("+OK", c.command("NOOP"));
            }
            long quiet = System.nanoTime();
            assertEquals("-ERR Disconnected for inactivity.", c.line());
            long waited = System.nanoTime() - quiet;
            assertTrue(waited > 800_000_000L && waited < 5_000_000_000L, "closed about 1 s after the last command: " + waited);
        }
    }

    @Test
    void tooManyBadCommandsCloseTheSession() throws Exception {
        try (ServerProcess server = server("pop3.limits.max-bad-commands", "3").start(); RawClient c = server.client()) {
            c.line();
            assertEquals("-ERR Unknown command: FOO", c.command("FOO"));
            assertEquals("-ERR Command not valid in this state", c.command("STAT"));
            assertEquals("-ERR Too many bad commands, closing connection", c.command("BAR"));
            assertEquals("<closed>", c.line());
        }
    }

    @Test
    void gracefulShutdownTellsIdleSessions() throws Exception {
        try (ServerProcess server = server().start(); RawClient c = server.client()) {
            server.deliver("alice", message(1));
            c.login("alice", "alice-pw");
            assertEquals("+OK Marked to be deleted.", c.command("DELE 1"));
            server.process().destroy(); // SIGTERM
            assertEquals("-ERR [SYS/TEMP] Server shutting down", c.line());
            assertEquals("<closed>", c.line());
            int exit = server.process().waitFor();
            assertTrue(exit == 0 || exit == 143, "exit " + exit);
            assertFalse(Files.exists(server.maildir("alice").resolve("pop3d.lock"), java.nio.file.LinkOption.NOFOLLOW_LINKS), "lock released");
            try (var cur = Files.list(server.maildir("alice").resolve("cur"))) {
                assertEquals(1, cur.count(), "no UPDATE without QUIT");
            }
        }
    }

    @Test
    void failedLoginsWaitTheConfiguredDelayWhetherOrNotTheUserExists() throws Exception {
        try (ServerProcess server = server("pop3.auth.failure-delay", "1s").start(); RawClient c = server.client()) {
            c.line();
            for (String user : new String[] {"alice", "nobody"}) {
                c.command("USER " + user);
                long started = System.nanoTime();
                assertEquals("-ERR [AUTH] Authentication failed.", c.command("PASS wrong"));
                long elapsedMs = (System.nanoTime() - started) / 1_000_000;
                assertTrue(elapsedMs >= 950, user + " answered after " + elapsedMs + " ms");
            }
            c.command("USER alice");
            assertEquals("+OK Logged in.", c.command("PASS alice-pw"));
        }
    }

    @Test
    void hashPasswordPrintsAWorkingSecretAndStartsNothing() throws Exception {
        List<String> command = new ArrayList<>(ServerProcess.javaCommand());
        command.addAll(List.of("-jar", ServerProcess.jar().toString(), "hash-password", "--scheme", "BCRYPT"));
        Path input = dir.resolve("pw");
        Files.writeString(input, "s3cret: with spaces\n");
        ProcessBuilder builder = new ProcessBuilder(command);
        Process process = builder.redirectInput(input.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        assertTrue(out.matches("\\{BCRYPT\\}\\$2a\\$10\\$[./A-Za-z0-9]{53}"), out);
        assertFalse(out.contains("Listening") || out.contains("pop3d listening"), out);
        try (ServerProcess server = new ServerProcess(dir.resolve("hashed")).user("dora", out).start();
             RawClient c = server.client()) {
            c.login("dora", "s3cret: with spaces");
            c.command("QUIT");
        }
    }

    private static void awaitUnlocked(ServerProcess server, String user) throws InterruptedException {
        Path lock = server.maildir(user).resolve("pop3d.lock");
        for (int i = 0; i < 100 && Files.exists(lock, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
            Thread.sleep(50); // the server releases a dropped session's lock on a worker
        }
    }
}

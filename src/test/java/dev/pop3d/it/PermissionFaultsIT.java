package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.Tools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: real permission faults against the packaged server run as uid/gid 65534 (nobody)
 * through {@code setpriv}, since root ignores file modes. An unreadable message, a read-only cur/
 * or Maildir, a whole Maildir of mode 000, an unreadable or read-only {@code pop3d-uidlist} and a
 * read-only access-log folder: each gets a clear {@code -ERR [SYS/TEMP]} (RFC 2449 §8, RFC 3206)
 * or is served around, QUIT never claims deletions it did not apply (RFC 1939 §6), nothing is
 * lost, the next login after the fix works, and each fault is one log line, never a stack trace.
 * Needs root (to drop to 65534 and to set owners); skipped otherwise unless
 * {@code -Dit.tools.required=true}.
 */
class PermissionFaultsIT {
    private static final int NOBODY = 65534;
    private static final String UNAVAILABLE = "-ERR [SYS/TEMP] Mailbox is unavailable, try again later";

    @TempDir
    Path dir;

    @BeforeAll
    static void needsRootAndSetpriv() throws Exception {
        Tools.require("setpriv");
        boolean root = Tools.run(List.of("id", "-u"), null, 10).out().strip().equals("0");
        if (Boolean.getBoolean("it.tools.required")) {
            assertTrue(root, "it.tools.required=true: permission faults need root (to run the server as 65534)");
        } else {
            assumeTrue(root, "not root: cannot run the server as uid 65534, and root alone ignores file modes");
        }
    }

    @BeforeEach
    void reachable() throws Exception {
        // @TempDir is 0700 root: the server, run as 65534, must get through it to its own tree
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ServerProcess server() {
        return new ServerProcess(dir.resolve("server")).runAs(NOBODY).user("alice", "alice-pw").user("bob", "bob-pw");
    }

    private static byte[] message(int n) {
        return ("Subject: message " + n + "\n\n" + ("body " + n + "\n").repeat(20 * n)).getBytes(StandardCharsets.US_ASCII);
    }

    private static void mode(Path path, String mode) throws Exception {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    private static List<Path> files(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().collect(Collectors.toList());
        }
    }

    private static List<String> listing(RawClient c, String command) throws Exception {
        assertTrue(c.command(command).startsWith("+OK"), command);
        return c.lines();
    }

    private static void assertServed(RawClient c, int number, int message) throws Exception {
        byte[] expected = ServerProcess.crlf(message(message));
        assertEquals("+OK " + expected.length + " octets", c.command("RETR " + number));
        assertEquals(new String(expected, StandardCharsets.US_ASCII), new String(c.body(), StandardCharsets.US_ASCII));
    }

    /**
     * Each fault is told in one line: no stack trace anywhere in the log, and the lines that
     * name the fault ({@code needle}) number at least one and at most {@code most}.
     */
    private static void assertOneLineFaults(ServerProcess server, String needle, int most) throws Exception {
        String log = server.log();
        List<String> traces = log.lines().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")
                || l.matches("^\\S+Exception(: .*)?$")).collect(Collectors.toList());
        assertEquals(List.of(), traces, "stack trace in the log:\n" + server.logTail());
        List<String> lines = log.lines().filter(l -> l.contains(needle)).collect(Collectors.toList());
        lines.forEach(l -> System.out.println("fault line: " + l));
        long told = lines.size();
        assertTrue(told >= 1 && told <= most, told + " lines name " + needle + ":\n" + server.logTail());
    }

    /** Bob is served whatever happens to alice's Maildir. */
    private static void bobIsServed(ServerProcess server) throws Exception {
        try (RawClient c = server.client()) {
            c.login("bob", "bob-pw");
            assertServed(c, 1, 7);
            assertEquals("+OK Logging out.", c.command("QUIT"));
        }
    }

    /**
     * Alice gets messages 1 and 2, bob message 7; the server starts and one session of alice's
     * indexes her mailbox while it is readable. Returns her UIDL lines.
     */
    private static List<String> startIndexed(ServerProcess server) throws Exception {
        server.deliver("alice", message(1));
        server.deliver("alice", message(2));
        server.deliver("bob", message(7));
        server.start();
        try (RawClient c = server.client()) {
            c.login("alice", "alice-pw");
            List<String> uids = listing(c, "UIDL");
            c.command("QUIT");
            return uids;
        }
    }

    @Test
    void anUnreadableMessageIsRefusedAloneAndServedWholeOnceReadable() throws Exception {
        try (ServerProcess server = server()) {
            for (int i = 1; i <= 3; i++) {
                server.deliver("alice", message(i));
            }
            server.start();
            List<String> list;
            List<String> uids;
            try (RawClient c = server.client()) { // indexed while readable
                c.login("alice", "alice-pw");
                list = listing(c, "LIST");
                uids = listing(c, "UIDL");
                assertEquals(3, uids.size());
                c.command("QUIT");
            }
            Path cur = server.maildir("alice").resolve("cur");
            Path second = files(cur).get(1);
            mode(second, "---------");
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                assertEquals(list, listing(c, "LIST"), "sizes from the index");
                assertEquals(uids, listing(c, "UIDL"));
                assertEquals("-ERR [SYS/TEMP] Message 2 is unavailable, try again later", c.command("RETR 2"));
                assertEquals("-ERR [SYS/TEMP] Message 2 is unavailable, try again later", c.command("TOP 2 0"));
                assertServed(c, 1, 1);
                assertServed(c, 3, 3);
                assertEquals("+OK Logging out.", c.command("QUIT"));
            }
            // a message never indexed, unreadable from the start: not listed, the rest is served
            Path fourth = server.deliver("alice", message(4));
            mode(fourth, "---------");
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                assertEquals(uids, listing(c, "UIDL"), "the unreadable new message is left out, UIDs kept");
                assertEquals("-ERR [SYS/TEMP] Message 2 is unavailable, try again later", c.command("RETR 2"));
                mode(second, "rw-------"); // fixed during the session
                assertServed(c, 2, 2);
                assertEquals("+OK Marked to be deleted.", c.command("DELE 1"));
                assertEquals("+OK Marked to be deleted.", c.command("DELE 3"));
                assertEquals("+OK Logging out, messages deleted.", c.command("QUIT"));
            }
            List<Path> left = files(cur);
            assertEquals(2, left.size(), "message 2 and the new one: " + left);
            for (Path file : left) {
                mode(file, "rw-------");
            }
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                List<String> now = listing(c, "UIDL");
                assertEquals(2, now.size());
                assertEquals(uids.get(1).split(" ")[1], now.get(0).split(" ")[1], "message 2 keeps its UID");
                assertFalse(uids.stream().map(u -> u.split(" ")[1]).collect(Collectors.toList()).contains(now.get(1).split(" ")[1]),
                        "the new message gets a new UID");
                assertServed(c, 1, 2);
                assertServed(c, 2, 4);
                assertEquals("+OK Logging out.", c.command("QUIT"));
            }
            assertOneLineFaults(server, fourth.getFileName().toString(), 1);
            assertOneLineFaults(server, "permission denied", 6);
        }
    }

    @Test
    void aReadOnlyCurOrMaildirLosesNothingAndQuitSaysWhatItCouldNotDelete() throws Exception {
        try (ServerProcess server = server()) {
            List<String> uids = startIndexed(server);
            Path maildir = server.maildir("alice");
            server.deliver("alice", message(3)); // waits in new/
            mode(maildir.resolve("cur"), "r-xr-xr-x");
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                assertEquals(uids, listing(c, "UIDL"), "cur/ as it is; new/ waits");
                assertServed(c, 2, 2);
                assertEquals("+OK Marked to be deleted.", c.command("DELE 1"));
                // RFC 1939 §6: "-ERR some deleted messages not removed", never +OK
                assertEquals("-ERR [SYS/TEMP] Some deleted messages were not removed", c.command("QUIT"));
            }
            assertEquals(2, files(maildir.resolve("cur")).size(), "nothing removed");
            assertEquals(1, files(maildir.resolve("new")).size(), "nothing moved");
            bobIsServed(server);

            mode(maildir.resolve("cur"), "rwxr-xr-x");
            mode(maildir, "r-xr-xr-x"); // no lock can be taken
            try (RawClient c = server.client()) {
                c.line();
                c.command("USER alice");
                assertEquals(UNAVAILABLE, c.command("PASS alice-pw"));
            }
            bobIsServed(server);
            mode(maildir, "rwxr-xr-x");
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                List<String> now = listing(c, "UIDL");
                assertEquals(uids, now.subList(0, 2), "same UIDs after the fix");
                assertEquals(3, now.size());
                assertServed(c, 3, 3);
                assertEquals("+OK Marked to be deleted.", c.command("DELE 1"));
                assertEquals("+OK Logging out, messages deleted.", c.command("QUIT"));
            }
            assertEquals(2, files(maildir.resolve("cur")).size());
            assertOneLineFaults(server, "permission denied", 6);
        }
    }

    @Test
    void aWhollyUnreadableMaildirIsATemporaryErrorForItsUserOnly() throws Exception {
        try (ServerProcess server = server()) {
            server.deliver("alice", message(1));
            server.deliver("bob", message(7));
            server.start();
            Path maildir = server.maildir("alice");
            mode(maildir, "---------");
            long started = System.nanoTime();
            try (RawClient c = server.client()) {
                c.line();
                assertTrue(c.command("USER alice").startsWith("+OK"));
                assertEquals(UNAVAILABLE, c.command("PASS alice-pw"), "not [AUTH]: the password was right");
                assertTrue(c.command("USER bob").startsWith("+OK"), "the session goes on");
            }
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(8).toNanos(), "no hang");
            bobIsServed(server);
            mode(maildir, "rwx------");
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                assertServed(c, 1, 1);
                assertEquals("+OK Logging out.", c.command("QUIT"));
            }
            assertOneLineFaults(server, "permission denied", 1);
        }
    }

    @Test
    void anUnreadableIndexIsATemporaryErrorAndAReadOnlyOneIsReplaced() throws Exception {
        try (ServerProcess server = server()) {
            List<String> uids = startIndexed(server);
            Path index = server.maildir("alice").resolve("pop3d-uidlist");
            byte[] saved = Files.readAllBytes(index);
            mode(index, "---------");
            try (RawClient c = server.client()) {
                c.line();
                c.command("USER alice");
                // fresh UIDs would make every client fetch all mail again: refuse until readable
                assertEquals(UNAVAILABLE, c.command("PASS alice-pw"));
            }
            assertEquals(new String(saved, StandardCharsets.UTF_8), Files.readString(index), "the index is left alone");
            bobIsServed(server);
            mode(index, "r--r--r--");
            server.deliver("alice", message(3));
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                List<String> now = listing(c, "UIDL");
                assertEquals(uids, now.subList(0, 2), "UIDs from the index");
                assertEquals(3, now.size());
                c.command("QUIT");
            }
            assertTrue(Files.readString(index).lines().count() == 4, "rewritten with the new message:\n" + Files.readString(index));
            try (RawClient c = server.client()) {
                c.login("alice", "alice-pw");
                List<String> again = listing(c, "UIDL");
                assertEquals(3, again.size());
                assertEquals(uids, again.subList(0, 2));
                assertServed(c, 3, 3);
                c.command("QUIT");
            }
            assertOneLineFaults(server, "permission denied", 1);
        }
    }

    @Test
    void aReadOnlyAccessLogFolderIsToldOnceCountedAndServingGoesOn() throws Exception {
        int http = ServerProcess.freePort();
        try (ServerProcess server = server().property("quarkus.http.port", String.valueOf(http))) {
            server.deliver("bob", message(7));
            Path logs = Files.createDirectories(server.data().resolve("logs"));
            server.chown(logs);
            mode(logs, "r-xr-xr-x");
            server.start();
            for (int i = 0; i < 5; i++) {
                bobIsServed(server);
            }
            assertFalse(Files.exists(logs.resolve("access.log")));
            long dropped = awaitMetric(http, "pop3d_access_log_dropped_total", 10);
            assertTrue(dropped >= 10, "lines not written are counted: " + dropped);
            mode(logs, "rwxr-xr-x");
            bobIsServed(server);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(Files.exists(logs.resolve("access.log")) && Files.readString(logs.resolve("access.log")).contains("event=quit"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(logs.resolve("access.log")).contains("event=quit"), "written again once writable");
            assertOneLineFaults(server, "access log not written", 1);
        }
    }

    private static long awaitMetric(int http, String name, long atLeast) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Pattern line = Pattern.compile("(?m)^" + name + " ([0-9.E]+)$");
        long value = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String text = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = line.matcher(text);
            value = m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
            if (value >= atLeast) {
                return value;
            }
            Thread.sleep(200);
        }
        return value;
    }
}

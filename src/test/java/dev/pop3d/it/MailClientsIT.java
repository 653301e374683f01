package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fetchmail, getmail6 and Python's poplib — real clients, run as users run them. */
class MailClientsIT {
    @TempDir
    Path dir;

    private ServerProcess serverWith(String user, String password, List<String> fixtures) throws Exception {
        ServerProcess server = new ServerProcess(dir.resolve("server")).user(user, password);
        for (String fixture : fixtures) {
            server.deliver(user, CurlIT.fixture(fixture));
        }
        return server.start();
    }

    /** What a client stored, compared line-wise: clients write LF or CRLF as they like. */
    private static String lines(byte[] message) {
        return new String(ServerProcess.crlf(message), StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    private static List<Path> files(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void fetchmailKeepModeFetchesEachMessageOnce() throws Exception {
        Tools.require("fetchmail");
        List<String> fixtures = List.of("lf-only.eml", "dot-lines.eml", "no-final-newline.eml");
        try (ServerProcess server = serverWith("alice", "alice-pw", fixtures)) {
            Path home = Files.createDirectories(dir.resolve("fetchmail-home"));
            Path out = Files.createDirectories(dir.resolve("fetched"));
            Path mda = dir.resolve("mda.sh");
            Files.writeString(mda, "#!/bin/sh\nn=$(ls '" + out + "' | wc -l)\ncat > '" + out + "'/$(printf %03d $n).eml\n");
            Files.setPosixFilePermissions(mda, PosixFilePermissions.fromString("rwx------"));
            Path rc = home.resolve("fetchmailrc");
            Files.writeString(rc, "set no syslog\nset invisible\n"
                    + "poll 127.0.0.1 service " + server.port() + " protocol POP3 uidl\n"
                    + "  user \"alice\" there with password \"alice-pw\" is \"root\" here\n"
                    + "  keep no rewrite sslproto '' mda \"" + mda + "\"\n");
            Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
            ProcessBuilder first = new ProcessBuilder("fetchmail", "--fetchmailrc", rc.toString(), "--nodetach",
                    "--idfile", home.resolve("fetchids").toString());
            first.environment().put("FETCHMAILHOME", home.toString());
            Tools.Result run1 = Tools.run(first, 60);
            assertEquals(0, run1.exitCode(), run1.out() + run1.stderr());
            List<Path> got = files(out);
            assertEquals(fixtures.size(), got.size(), run1.out() + run1.stderr());
            for (int i = 0; i < fixtures.size(); i++) {
                assertEquals(lines(CurlIT.fixture(fixtures.get(i))), lines(Files.readAllBytes(got.get(i))), fixtures.get(i));
            }
            Tools.Result run2 = Tools.run(first, 60);
            assertEquals(1, run2.exitCode(), "fetchmail exit 1 means no new mail: " + run2.out() + run2.stderr());
            assertEquals(fixtures.size(), files(out).size());
            try (var cur = Files.list(server.maildir("alice").resolve("cur"))) {
                assertEquals(fixtures.size(), cur.count(), "keep mode deleted nothing");
            }
        }
    }

    @Test
    void getmailIntoAMaildirOnceOnly() throws Exception {
        Tools.require("getmail");
        // not eight-bit.eml: getmail turns its bare CR into a line break (its choice, not ours)
        List<String> fixtures = List.of("crlf.eml", "dot-lines.eml", "trailing-blank-lines.eml");
        try (ServerProcess server = serverWith("bob", "bob-pw", fixtures)) {
            Path home = Files.createDirectories(dir.resolve("getmail"));
            Path dest = dir.resolve("dest-maildir");
            for (String sub : new String[] {"cur", "new", "tmp"}) {
                Files.createDirectories(dest.resolve(sub));
            }
            // getmail refuses to deliver as root: it switches to an unprivileged user, who must
            // be able to write the destination
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                for (Path p : List.of(dest, dest.resolve("cur"), dest.resolve("new"), dest.resolve("tmp"))) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
                }
            }
            Path rc = home.resolve("getmailrc");
            Files.writeString(rc, "[retriever]\ntype = SimplePOP3Retriever\nserver = 127.0.0.1\nport = " + server.port()
                    + "\nusername = bob\npassword = bob-pw\n\n[destination]\ntype = Maildir\npath = " + dest + "/\n"
                    + (root ? "user = nobody\n" : "") + "\n"
                    + "[options]\nread_all = false\ndelete = false\nverbose = 0\ndelivered_to = false\nreceived = false\n");
            List<String> command = List.of("getmail", "--getmaildir", home.toString(), "--rcfile", rc.toString());
            Tools.Result run1 = Tools.run(command, null, 60);
            assertEquals(0, run1.exitCode(), run1.out() + run1.stderr());
            List<Path> got = files(dest.resolve("new"));
            assertEquals(fixtures.size(), got.size(), run1.out() + run1.stderr());
            List<String> expected = new ArrayList<>();
            for (String fixture : fixtures) {
                expected.add(lines(CurlIT.fixture(fixture)));
            }
            List<String> actual = new ArrayList<>();
            for (Path file : got) {
                // getmail's Maildir destination adds its own Return-Path header line
                actual.add(lines(Files.readAllBytes(file)).replaceFirst("^Return-Path: <unknown>\n", ""));
            }
            expected.sort(null);
            actual.sort(null);
            assertEquals(expected, actual);
            Tools.Result run2 = Tools.run(command, null, 60);
            assertEquals(0, run2.exitCode(), run2.out() + run2.stderr());
            assertEquals(fixtures.size(), files(dest.resolve("new")).size(), "second run retrieved nothing new");
        }
    }

    @Test
    void pythonPoplib() throws Exception {
        Tools.require("python3");
        List<String> fixtures = List.of("lf-only.eml", "dot-lines.eml", "eight-bit.eml");
        try (ServerProcess server = serverWith("carol", "carol-pw", fixtures)) {
            Path script = dir.resolve("client.py");
            Files.writeString(script, String.join("\n",
                    "import json, poplib, sys",
                    "p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)",
                    "out = {'greeting': p.getwelcome().decode()}",
                    "p.user('carol'); p.pass_('carol-pw')",
                    "out['stat'] = list(p.stat())",
                    "out['list'] = [l.decode() for l in p.list()[1]]",
                    "out['uidl'] = [l.decode() for l in p.uidl()[1]]",
                    "out['retr'] = [b'\\r\\n'.join(p.retr(i)[1]).hex() for i in (1, 2, 3)]",
                    "out['top'] = [l.decode('latin-1') for l in p.top(2, 1)[1]]",
                    "out['capa'] = sorted(p.capa().keys())",
                    "out['dele'] = p.dele(1).decode()",
                    "out['quit'] = p.quit().decode()",
                    "print(json.dumps(out))", ""));
            Tools.Result run = Tools.run(List.of("python3", script.toString(), String.valueOf(server.port())), null, 60);
            assertEquals(0, run.exitCode(), run.stderr());
            String json = run.out();
            long total = 0;
            for (String fixture : fixtures) {
                total += ServerProcess.crlf(CurlIT.fixture(fixture)).length;
            }
            assertTrue(json.contains("\"stat\": [3, " + total + "]"), json);
            for (int i = 0; i < fixtures.size(); i++) {
                byte[] crlf = ServerProcess.crlf(CurlIT.fixture(fixtures.get(i)));
                // poplib returns lines without their CRLF: join with CRLF, the last one is dropped
                byte[] withoutLast = java.util.Arrays.copyOf(crlf, crlf.length - 2);
                assertTrue(json.contains("\"" + java.util.HexFormat.of().formatHex(withoutLast) + "\""), fixtures.get(i));
            }
            // the body's first line is "." on disk: stuffed on the wire, un-stuffed by poplib
            assertTrue(json.contains("\"top\": [\"From: a@example.org\", \"Subject: dots\", \"\", \".\"]"), json);
            assertTrue(json.contains("\"quit\": \"+OK Logging out, messages deleted.\""), json);
            assertTrue(json.contains("\"TOP\"") && json.contains("\"UIDL\"") && json.contains("\"USER\""), json);
            try (var cur = Files.list(server.maildir("carol").resolve("cur"))) {
                assertEquals(2, cur.filter(p -> !p.getFileName().toString().startsWith(".")).count());
            }
        }
    }
}

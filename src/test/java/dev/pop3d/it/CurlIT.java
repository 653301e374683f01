package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The real curl binary against the packaged server: list, RETR byte for byte, UIDL, TOP, IPv6. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CurlIT {
    static final List<String> FIXTURES = List.of("lf-only.eml", "crlf.eml", "dot-lines.eml", "no-final-newline.eml",
            "eight-bit.eml", "trailing-blank-lines.eml");
    static final String ODD_PASSWORD = "p@ss:w/rd% \"q\" 'x' \\b;#?&=";

    Path dir;
    ServerProcess server;
    final List<byte[]> stored = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Tools.require("curl");
        dir = Files.createTempDirectory("pop3d-curl");
        server = new ServerProcess(dir).user("alice", "alice-pw").user("odd", ODD_PASSWORD);
        for (String fixture : FIXTURES) {
            byte[] bytes = fixture(fixture);
            stored.add(bytes);
            server.deliver("alice", bytes);
        }
        server.deliver("odd", fixture("crlf.eml"));
        server.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            dev.pop3d.testing.TestFiles.deleteTree(dir);
        }
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = CurlIT.class.getResourceAsStream("/messages/" + name)) {
            return in.readAllBytes();
        }
    }

    private Tools.Result curl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(args));
        Tools.Result result = Tools.run(command, null, 30);
        assertEquals(0, result.exitCode(), "curl " + String.join(" ", args) + ": " + result.stderr());
        return result;
    }

    private String url(String user, String password, String host, String path) {
        return "pop3://" + enc(user) + ":" + enc(password) + "@" + host + ":" + server.port() + "/" + path;
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void listShowsCrlfSizes() throws IOException {
        String list = curl(url("alice", "alice-pw", "127.0.0.1", "")).out();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < stored.size(); i++) {
            expected.append(i + 1).append(' ').append(ServerProcess.crlf(stored.get(i)).length).append("\r\n");
        }
        assertEquals(expected.toString(), list);
    }

    @Test
    void retrIsTheStoredMessageByteForByte() throws IOException {
        for (int i = 0; i < stored.size(); i++) {
            byte[] got = curl(url("alice", "alice-pw", "127.0.0.1", String.valueOf(i + 1))).stdout();
            assertArrayEquals(ServerProcess.crlf(stored.get(i)), got, FIXTURES.get(i));
        }
    }

    @Test
    void uidlListsUniqueIds() throws IOException {
        String uidl = curl("-X", "UIDL", url("alice", "alice-pw", "127.0.0.1", "")).out();
        String[] lines = uidl.split("\r\n");
        assertEquals(stored.size(), lines.length, uidl);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < lines.length; i++) {
            String[] fields = lines[i].split(" ");
            assertEquals(String.valueOf(i + 1), fields[0]);
            assertTrue(fields[1].matches("[\\x21-\\x7e]{1,70}"), lines[i]);
            ids.add(fields[1]);
        }
        assertEquals(stored.size(), ids.size());
    }

    @Test
    void topZeroGivesTheHeadersAndTheBlankLine() throws IOException {
        String top = curl("-X", "TOP 1 0", url("alice", "alice-pw", "127.0.0.1", "")).out();
        assertEquals("From: a@example.org\r\nTo: b@example.org\r\nSubject: LF only\r\n\r\n", top);
    }

    @Test
    void passwordWithSpecialCharacters() throws IOException {
        byte[] got = curl(url("odd", ODD_PASSWORD, "127.0.0.1", "1")).stdout();
        assertArrayEquals(ServerProcess.crlf(fixture("crlf.eml")), got);
        Tools.Result wrong = Tools.run(List.of("curl", "-sS", "--max-time", "20",
                url("odd", ODD_PASSWORD + "x", "127.0.0.1", "1")), null, 30);
        assertEquals(67, wrong.exitCode(), "curl: login denied");
    }

    @Test
    void ipv6Loopback() throws Exception {
        // this server binds 127.0.0.1; a second one on the default all-addresses bind takes ::1
        try (ServerProcess dual = new ServerProcess(dir.resolve("v6")).user("alice", "alice-pw")) {
            dual.deliver("alice", stored.get(0));
            dual.property("pop3.host", "::").start();
            byte[] got = curl("pop3://alice:alice-pw@[::1]:" + dual.port() + "/1").stdout();
            assertArrayEquals(ServerProcess.crlf(stored.get(0)), got);
        }
    }
}

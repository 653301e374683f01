package dev.pop3d.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.TestFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged server in the test-server profile, driven through its admin API over real HTTP and
 * checked over real POP3: one server for the class, reset before each test.
 */
class AdminApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path dir;
    private static ServerProcess server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("pop3d-admin");
        int http = ServerProcess.freePort();
        server = new ServerProcess(dir).user("alice", "one")
                .jvmArg("-Dquarkus.profile=test-server")
                .property("quarkus.http.port", String.valueOf(http))
                .property("pop3.users.reload-interval", "200ms")
                .start();
        base = "http://127.0.0.1:" + http;
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        TestFiles.deleteTree(dir);
    }

    @BeforeEach
    void reset() throws Exception {
        assertEquals(200, send("POST", "/api/reset", "").statusCode());
    }

    @Test
    void createDeliverListRetrievePurgeAndReset() throws Exception {
        assertEquals(201, send("POST", "/api/users", "{\"name\":\"tess\",\"password\":\"pw-tess\"}").statusCode());
        byte[] message = ("Subject: round trip\r\nFrom: a@example.org\r\n\r\n.a line starting with a dot\r\n"
                + "last line\r\n").getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> delivered = send("POST", "/api/users/tess/messages", message, "message/rfc822");
        assertEquals(201, delivered.statusCode(), delivered.body());
        assertEquals(message.length, JSON.readTree(delivered.body()).get("octets").asLong());
        JsonNode listed = JSON.readTree(send("GET", "/api/users/tess/messages", "").body());
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(1, listed.get(0).get("number").asInt());
        assertEquals(message.length, listed.get(0).get("size").asLong());
        String uid = listed.get(0).get("uid").asText();
        try (RawClient pop3 = server.client()) {
            pop3.login("tess", "pw-tess");
            assertEquals("+OK 1 " + message.length, pop3.command("LIST 1"));
            assertEquals("+OK 1 " + uid, pop3.command("UIDL 1"));
            assertTrue(pop3.command("RETR 1").startsWith("+OK"));
            assertArrayEquals(message, pop3.body(), "RETR gives the delivered bytes");
            assertTrue(pop3.command("QUIT").startsWith("+OK"));
        }
        assertEquals("{\"messages\":1}", send("DELETE", "/api/users/tess/messages", "").body());
        assertEquals("[]", send("GET", "/api/users/tess/messages", "").body());
        send("POST", "/api/users/tess/messages", message, "text/plain");
        send("POST", "/api/users/alice/messages", message, "message/rfc822");
        assertEquals("{\"messages\":2}", send("POST", "/api/reset", "").body(), "all mail of all users");
        assertEquals(404, send("GET", "/api/users/tess/messages", "").statusCode(), "test users are gone");
        assertEquals("[]", send("GET", "/api/users/alice/messages", "").body(), "configured users stay, empty");
        try (RawClient pop3 = server.client()) {
            pop3.line();
            pop3.command("USER tess");
            assertTrue(pop3.command("PASS pw-tess").startsWith("-ERR [AUTH]"));
        }
    }

    @Test
    void nothingIsDeletedUnderAnOpenSession() throws Exception {
        send("POST", "/api/users", "{\"name\":\"busy\",\"password\":\"pw\"}");
        send("POST", "/api/users/busy/messages", "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII), "message/rfc822");
        try (RawClient pop3 = server.client()) {
            pop3.login("busy", "pw");
            for (String[] call : new String[][] {{"DELETE", "/api/users/busy/messages"}, {"DELETE", "/api/messages"},
                    {"POST", "/api/reset"}, {"DELETE", "/api/users/busy"}, {"GET", "/api/users/busy/messages"}}) {
                HttpResponse<String> answer = send(call[0], call[1], "");
                assertEquals(409, answer.statusCode(), call[1] + ": " + answer.body());
                assertTrue(answer.body().contains("in use"), answer.body());
            }
            assertEquals("+OK 1 messages (12 octets)", pop3.command("STAT").replaceAll("\\+OK 1 .*", "+OK 1 messages (12 octets)"));
            assertTrue(pop3.command("RETR 1").startsWith("+OK"));
            pop3.body();
            assertTrue(pop3.command("QUIT").startsWith("+OK"));
        }
        assertEquals("{\"messages\":1}", send("DELETE", "/api/users/busy/messages", "").body(), "after its QUIT");
        assertEquals(204, send("DELETE", "/api/users/busy", "").statusCode());
        assertEquals(404, send("DELETE", "/api/users/busy", "").statusCode());
    }

    @Test
    void aWrongTokenIsRefusedEvenFromLoopbackAndTheRightOneIsTaken() throws Exception {
        String token = Files.readString(server.data().resolve("admin.token"), StandardCharsets.US_ASCII).strip();
        HttpResponse<String> wrong = send("GET", "/api/users/alice/messages", "", "Bearer not-the-token");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), wrong.headers().toString());
        assertEquals("{\"error\":\"wrong bearer token\"}", wrong.body());
        assertEquals(401, send("GET", "/api/users/alice/messages", "", "Basic YWxpY2U6b25l").statusCode());
        assertEquals(200, send("GET", "/api/users/alice/messages", "", "Bearer " + token).statusCode());
        assertEquals(200, send("GET", "/api/users/alice/messages", "").statusCode(), "loopback without a token");
        String log = server.log();
        assertTrue(log.contains("op=list_messages user=alice status=401"), server.logTail());
        assertTrue(!log.contains(token) && !log.contains("not-the-token"), "no token in the log");
    }

    @Test
    void badRequestsGetClearJsonErrors() throws Exception {
        assertError(400, "the body must be JSON", send("POST", "/api/users", "name=x"));
        assertError(400, "name and password are required", send("POST", "/api/users", "{\"name\":\"x\"}"));
        assertError(400, "user name", send("POST", "/api/users", "{\"name\":\"a:b\",\"password\":\"p\"}"));
        // ".." never reaches the API as a name: the HTTP server normalises it away (GET /api/messages: 405)
        assertEquals(405, send("GET", "/api/users/%2E%2E/messages", "").statusCode());
        assertError(400, "user name cannot be . or ..", send("POST", "/api/users", "{\"name\":\"..\",\"password\":\"p\"}"));
        assertError(400, "user name contains a character", send("GET", "/api/users/a%2Fb/messages", ""));
        assertError(400, "password must have", send("POST", "/api/users", "{\"name\":\"x\",\"password\":\"\"}"));
        assertError(404, "no user nobody", send("GET", "/api/users/nobody/messages", ""));
        assertError(404, "no user nobody", send("POST", "/api/users/nobody/messages", "x"));
        assertError(409, "is configured", send("POST", "/api/users", "{\"name\":\"alice\",\"password\":\"p\"}"));
        assertError(409, "is configured", send("DELETE", "/api/users/alice", ""));
        try (RawClient pop3 = server.client()) {
            pop3.login("alice", "one"); // the configured password still holds
        }
        HttpResponse<String> again = send("POST", "/api/users", "{\"name\":\"twice\",\"password\":\"a\"}");
        assertEquals("{\"name\":\"twice\",\"created\":true}", again.body());
        again = send("POST", "/api/users", "{\"name\":\"twice\",\"password\":\"b\"}");
        assertEquals(200, again.statusCode());
        assertEquals("{\"name\":\"twice\",\"created\":false}", again.body());
        try (RawClient pop3 = server.client()) {
            pop3.login("twice", "b");
        }
    }

    @Test
    void aMessageOverTheBoundIs413AndLeavesNothing() throws Exception {
        send("POST", "/api/users", "{\"name\":\"big\",\"password\":\"pw\"}");
        long octets = Mailboxes.MAX_MESSAGE_OCTETS + 1;
        HttpRequest request = request("POST", "/api/users/big/messages")
                .header("Content-Type", "message/rfc822")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new Filler(octets)), octets)).build();
        HttpResponse<String> answer;
        try {
            answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException closedWhileSending) {
            answer = null; // the server may close before reading the rest; what matters is on disk
        }
        if (answer != null) {
            assertError(413, "at most", answer);
        }
        assertEquals("[]", send("GET", "/api/users/big/messages", "").body());
        try (var tmp = Files.list(server.maildir("big").resolve("tmp"))) {
            assertEquals(0, tmp.count(), "the partial file is gone");
        }
    }

    @Test
    void testUsersSurviveAUsersFileReload() throws Exception {
        send("POST", "/api/users", "{\"name\":\"kept\",\"password\":\"pw\"}");
        Path edited = dir.resolve("users.new");
        Files.writeString(edited, "alice:{PLAIN}one\nbob:{PLAIN}two\n");
        Files.move(edited, server.usersFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!server.log().contains("reloaded: 2 users")) {
            assertTrue(System.nanoTime() < deadline, "no reload: " + server.logTail());
            Thread.sleep(100);
        }
        try (RawClient pop3 = server.client()) {
            pop3.login("bob", "two");
        }
        try (RawClient pop3 = server.client()) {
            pop3.login("kept", "pw");
        }
    }

    @Test
    void theOpenApiDocumentListsThePaths() throws Exception {
        HttpResponse<String> doc = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("pop3d admin API", JSON.readTree(doc.body()).get("info").get("title").asText());
        JsonNode paths = JSON.readTree(doc.body()).get("paths");
        for (String path : new String[] {"/api/users", "/api/users/{name}", "/api/users/{name}/messages",
                "/api/messages", "/api/reset"}) {
            assertTrue(paths.has(path), path + " in " + paths.fieldNames());
        }
    }

    private static void assertError(int status, String text, HttpResponse<String> answer) throws IOException {
        assertEquals(status, answer.statusCode(), answer.body());
        assertTrue(JSON.readTree(answer.body()).get("error").asText().contains(text), answer.body());
    }

    private static HttpRequest.Builder request(String method, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static HttpResponse<String> send(String method, String path, String body, String authorization)
            throws Exception {
        return HTTP.send(request(method, path).header("Authorization", authorization)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String method, String path, byte[] body, String type) throws Exception {
        return HTTP.send(request(method, path).header("Content-Type", type)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code length} octets of a valid message, made as read: the test holds no 64 MiB array. */
    private static final class Filler extends InputStream {
        private long left;

        Filler(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            return left-- > 0 ? 'x' : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            left -= n;
            return n;
        }
    }
}

package dev.pop3d.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The calls of the admin API (README: Test-server mode and the admin API) a script's fixtures and
 * the reset between scripts need, with the server's bearer token; any unexpected status throws.
 */
final class AdminApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** As the extension's cleanup: a session of the previous script may still be releasing its maildrop. */
    private static final Duration RESET_WAIT = Duration.ofSeconds(10);

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5)).build();

    AdminApi(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** {@code POST /api/users}; returns {@code created}: false when an existing test user got this password. */
    boolean createUser(String name, String password) throws IOException, InterruptedException {
        String body = JSON.createObjectNode().put("name", name).put("password", password).toString();
        HttpResponse<String> answer = send("POST", "/api/users", body.getBytes(StandardCharsets.UTF_8),
                "application/json");
        expect(answer, answer.statusCode() == 201 || answer.statusCode() == 200);
        return JSON.readTree(answer.body()).get("created").asBoolean();
    }

    /** {@code POST /api/users/{name}/messages}: the message stored as sent. */
    void deliver(String user, byte[] message) throws IOException, InterruptedException {
        HttpResponse<String> answer = send("POST", "/api/users/" + segment(user) + "/messages", message,
                "message/rfc822");
        expect(answer, answer.statusCode() == 201 && JSON.readTree(answer.body()).get("octets").asLong() == message.length);
    }

    /** {@code GET /api/users/{name}/messages}: the maildrop as a login sees it. */
    JsonNode messages(String user) throws IOException, InterruptedException {
        HttpResponse<String> answer = send("GET", "/api/users/" + segment(user) + "/messages", null, null);
        expect(answer, answer.statusCode() == 200);
        return JSON.readTree(answer.body());
    }

    /** {@code POST /api/reset}, again while it answers 409 (a maildrop still held), for at most 10 s. */
    void reset() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + RESET_WAIT.toNanos();
        while (true) {
            HttpResponse<String> answer = send("POST", "/api/reset", null, null);
            if (answer.statusCode() == 200) {
                return;
            }
            expect(answer, answer.statusCode() == 409 && System.nanoTime() < deadline);
            Thread.sleep(50);
        }
    }

    private HttpResponse<String> send(String method, String path, byte[] body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void expect(HttpResponse<String> answer, boolean ok) {
        if (!ok) {
            throw new AssertionError(answer.request().method() + " " + answer.uri().getPath() + ": "
                    + answer.statusCode() + " " + answer.body());
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package dev.pop3d.testcontainers;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A client of pop3d's admin HTTP API (the {@code test-server} profile turns it on), with the bearer
 * token the server was started with. Every method blocks until the server answered and throws
 * {@link Pop3dAdminException} for any status but 2xx (404 an unknown user, 409 a maildrop held by
 * an open POP3 session: nothing changed); the token never appears in a message.
 * Uses {@code java.net.http} only, never a proxy.
 */
public final class Pop3dAdmin {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI base;
    private final String token;
    private final HttpClient http;

    /** A client of the API at {@code base} (scheme, host and port, e.g. {@code http://127.0.0.1:18080}). */
    public Pop3dAdmin(URI base, String token) {
        this.base = Objects.requireNonNull(base, "base");
        this.token = Objects.requireNonNull(token, "token");
        this.http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The API's base URL. */
    public URI url() {
        return base;
    }

    String token() {
        return token;
    }

    /** {@code POST /api/users}: a user who logs in with {@code password}. */
    public void createUser(String name, String password) {
        String body = "{\"name\":" + Json.quote(name) + ",\"password\":" + Json.quote(password) + "}";
        send("POST", "/api/users", HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8), "application/json");
    }

    /** {@code DELETE /api/users/{name}}: the user and its mail. */
    public void deleteUser(String name) {
        send("DELETE", "/api/users/" + segment(name), HttpRequest.BodyPublishers.noBody(), null);
    }

    /** {@code POST /api/users/{name}/messages}: stores {@code message} (raw RFC 5322 bytes) as it is. */
    public void deliver(String user, byte[] message) {
        send("POST", "/api/users/" + segment(user) + "/messages", HttpRequest.BodyPublishers.ofByteArray(message),
                "message/rfc822");
    }

    /** {@code GET /api/users/{name}/messages}: the maildrop as a new POP3 session would see it. */
    public List<Pop3dMessage> messages(String user) {
        String json = send("GET", "/api/users/" + segment(user) + "/messages", HttpRequest.BodyPublishers.noBody(), null);
        return parseMessages(json);
    }

    /** {@code DELETE /api/users/{name}/messages}: the user's mail; the user stays. */
    public void purge(String user) {
        send("DELETE", "/api/users/" + segment(user) + "/messages", HttpRequest.BodyPublishers.noBody(), null);
    }

    /** {@code DELETE /api/messages}: every user's mail; the users stay. */
    public void purge() {
        send("DELETE", "/api/messages", HttpRequest.BodyPublishers.noBody(), null);
    }

    /** {@code POST /api/reset}: users and mail as at start (configured users stay, created ones go). */
    public void reset() {
        send("POST", "/api/reset", HttpRequest.BodyPublishers.noBody(), null);
    }

    static List<Pop3dMessage> parseMessages(String json) {
        Object parsed = Json.parse(json);
        if (!(parsed instanceof List<?> list)) {
            throw new IllegalArgumentException("a JSON list of messages expected, got: " + json);
        }
        List<Pop3dMessage> messages = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map) || !(map.get("number") instanceof BigDecimal number)
                    || !(map.get("size") instanceof BigDecimal size) || !(map.get("uid") instanceof String uid)) {
                throw new IllegalArgumentException("a message {number, size, uid} expected, got: " + item);
            }
            messages.add(new Pop3dMessage(number.intValueExact(), size.longValueExact(), uid));
        }
        return List.copyOf(messages);
    }

    /** A fresh token for a server this client starts: 32 letters (190 bits). */
    static String generateToken() {
        StringBuilder token = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            token.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
        }
        return token.toString();
    }

    private String send(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Pop3dAdminException(method + " " + path + ": no answer from " + base + ": " + e, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Pop3dAdminException(method + " " + path + ": interrupted", 0, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new Pop3dAdminException(method + " " + path + ": " + response.statusCode() + " " + response.body(),
                    response.statusCode(), null);
        }
        return response.body();
    }

    /** A path segment, percent-encoded (RFC 3986 §3.3: unreserved characters stay). */
    private static String segment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}

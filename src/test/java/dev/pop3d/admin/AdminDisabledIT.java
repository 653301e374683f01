package dev.pop3d.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.TestFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Outside the test-server mode the admin API is not there: every /api path and /q/openapi are 404, and no token file is made. */
class AdminDisabledIT {
    @Test
    void everyApiPathIs404AndNoTokenIsCreated() throws Exception {
        Path dir = Files.createTempDirectory("pop3d-admin-off");
        int http = ServerProcess.freePort();
        try (ServerProcess server = new ServerProcess(dir).user("alice", "one")
                .property("quarkus.http.port", String.valueOf(http)).start()) {
            HttpClient client = HttpClient.newHttpClient();
            for (String[] call : new String[][] {{"GET", "/api/users/alice/messages"}, {"POST", "/api/reset"},
                    {"DELETE", "/api/messages"}, {"POST", "/api/users"}, {"GET", "/api"}}) {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + call[1]))
                        .method(call[0], HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(404, answer.statusCode(), call[1]);
                assertTrue(answer.body().contains("pop3.admin.enabled=false"), answer.body());
            }
            assertEquals(404, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/q/openapi")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "nor is its OpenAPI document");
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "health is served as before");
            assertFalse(Files.exists(server.data().resolve("admin.token")));
            assertFalse(Files.exists(server.data().resolve("test-users")));
        } finally {
            TestFiles.deleteTree(dir);
        }
    }
}

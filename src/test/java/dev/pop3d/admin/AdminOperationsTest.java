package dev.pop3d.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bounded operation names of the admin API's logs and metrics. */
class AdminOperationsTest {
    @Test
    void eachRouteHasItsName() {
        String[][] rows = {
            {"POST", "/api/users", "create_user"},
            {"DELETE", "/api/users/zed", "delete_user"},
            {"GET", "/api/users/zed/messages", "list_messages"},
            {"POST", "/api/users/zed/messages", "deliver"},
            {"DELETE", "/api/users/zed/messages", "purge_user"},
            {"PUT", "/api/users/zed/messages", "other"},
            {"DELETE", "/api/messages", "purge_all"},
            {"POST", "/api/reset", "reset"},
            {"GET", "/api/reset", "other"},
            {"GET", "/api/users/a%2Fb/messages", "list_messages"},
            {"GET", "/api/anything/else/at/all", "other"},
        };
        for (String[] row : rows) {
            assertEquals(row[2], AdminOperations.operation(row[0], row[1]), row[0] + " " + row[1]);
        }
    }

    @Test
    void onlyApiPathsAreTheApis() {
        assertTrue(AdminOperations.isApi("/api"));
        assertTrue(AdminOperations.isApi(AdminOperations.path("api/users")));
        assertFalse(AdminOperations.isApi("/apis"));
        assertFalse(AdminOperations.isApi("/q/health/ready"));
    }

    @Test
    void theUserOfAPathIsDecodedAndSafeForALogLine() {
        assertEquals(Optional.of("zed"), AdminOperations.user("/api/users/zed/messages"));
        assertEquals(Optional.of("a+b"), AdminOperations.user("/api/users/a+b"));
        assertEquals(Optional.of("a/b"), AdminOperations.user("/api/users/a%2Fb"));
        assertEquals(Optional.of("x?y"), AdminOperations.user("/api/users/x%0Ay"));
        assertEquals(Optional.empty(), AdminOperations.user("/api/messages"));
        assertEquals(Optional.of("%zz"), AdminOperations.user("/api/users/%zz"), "malformed escapes never throw");
        assertEquals(64, AdminOperations.user("/api/users/" + "n".repeat(300)).get().length());
    }
}

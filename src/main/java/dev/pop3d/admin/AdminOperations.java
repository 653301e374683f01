package dev.pop3d.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The admin API's operations by method and path: the bounded names of its logs and metrics. */
final class AdminOperations {
    private AdminOperations() {}

    static String path(String raw) {
        return raw.startsWith("/") ? raw : "/" + raw;
    }

    static boolean isApi(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }

    static String operation(String method, String path) {
        String[] parts = path.split("/", -1); // "", "api", ...
        int n = parts.length;
        if (n == 3 && parts[2].equals("users") && method.equals("POST")) {
            return "create_user";
        }
        if (n == 4 && parts[2].equals("users") && method.equals("DELETE")) {
            return "delete_user";
        }
        if (n == 5 && parts[2].equals("users") && parts[4].equals("messages")) {
            switch (method) {
                case "GET": return "list_messages";
                case "POST": return "deliver";
                case "DELETE": return "purge_user";
                default: return "other";
            }
        }
        if (n == 3 && parts[2].equals("messages") && method.equals("DELETE")) {
            return "purge_all";
        }
        if (n == 3 && parts[2].equals("reset") && method.equals("POST")) {
            return "reset";
        }
        return "other";
    }

    /** The user a path names ({@code /api/users/{name}...}), decoded; logged, never a metric tag. */
    static Optional<String> user(String path) {
        String[] parts = path.split("/", -1);
        if (parts.length >= 4 && parts[2].equals("users") && !parts[3].isEmpty()) {
            String name;
            try {
                name = URLDecoder.decode(parts[3].replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                name = parts[3]; // "%zz": shown as sent
            }
            // shown in a log line: no control characters, bounded
            return Optional.of(name.replaceAll("[\\p{Cntrl}\\s\"]", "?").substring(0, Math.min(name.length(), 64)));
        }
        return Optional.empty();
    }
}

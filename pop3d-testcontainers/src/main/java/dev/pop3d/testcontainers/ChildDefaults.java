package dev.pop3d.testcontainers;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a test server is configured, in one place for the child process (system properties) and the
 * container (the same keys as environment variables): the {@code test-server} profile, every
 * listener on its own loopback port, the admin token, the users present from the start.
 */
final class ChildDefaults {
    /**
     * The image's JVM options (Dockerfile ENTRYPOINT, ADR 0015) without its AppCDS archive, with a
     * small heap, and C1 only: a test server lives seconds, and C1 alone starts it faster.
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmn32m", "-Xmx256m",
            "-XX:TieredStopAtLevel=1");

    private ChildDefaults() {}

    /** Keys for a server on {@code ports} of 127.0.0.1 in the test-server profile. */
    static Map<String, String> properties(FreePorts.Set ports, Path data, String token, Map<String, String> users) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("quarkus.profile", "test-server");
        if (data != null) {
            keys.put("pop3.data-dir", data.toString());
        }
        keys.putAll(listeners(ports, "127.0.0.1"));
        keys.put("pop3.admin.token", token);
        if (!users.isEmpty()) {
            keys.put("pop3.users", inlineUsers(users));
        }
        return keys;
    }

    /** Every listener's address and port: POP3, LMTP and SMTP (on), HTTP (admin, health), CONF1, HDRP. */
    static Map<String, String> listeners(FreePorts.Set ports, String host) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("pop3.host", host);
        keys.put("pop3.port", String.valueOf(ports.pop3()));
        keys.put("pop3.lmtp.enabled", "true");
        keys.put("pop3.lmtp.host", host);
        keys.put("pop3.lmtp.port", String.valueOf(ports.lmtp()));
        keys.put("pop3.smtp.enabled", "true");
        keys.put("pop3.smtp.host", host);
        keys.put("pop3.smtp.port", String.valueOf(ports.smtp()));
        keys.put("quarkus.http.host", host);
        keys.put("quarkus.http.port", String.valueOf(ports.http()));
        keys.put("conf1.host", host);
        keys.put("conf1.port", String.valueOf(ports.conf1Udp()));
        keys.put("hdrp.host", host);
        keys.put("hdrp.port", String.valueOf(ports.hdrp()));
        keys.put("hdrp.udp-port", String.valueOf(ports.hdrpUdp()));
        return keys;
    }

    /** {@code pop3.users}' inline form: {@code name:password,...} (plain passwords). */
    static String inlineUsers(Map<String, String> users) {
        return users.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
    }

    /** A name and password {@code pop3.users} can carry; returns the name. */
    static String checkedUser(String name, String password) {
        if (name == null || name.isEmpty() || name.contains(":") || name.contains(",") || name.contains("@")) {
            throw new IllegalArgumentException("a user name without ':', ',' or '@' expected: " + name);
        }
        if (password == null || password.isEmpty() || password.contains(",")) {
            throw new IllegalArgumentException("a password without ',' expected for user " + name);
        }
        return name;
    }

    /** {@code pop3.lmtp.port} → {@code POP3_LMTP_PORT}: how Quarkus reads a key from the environment. */
    static String envName(String key) {
        StringBuilder name = new StringBuilder(key.length());
        for (char c : key.toCharArray()) {
            name.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return name.toString();
    }
}

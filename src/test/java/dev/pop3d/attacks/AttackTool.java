package dev.pop3d.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One attack tool of {@code load-tests/attacks/} run as the README runs it ({@code java
 * load-tests/attacks/Name.java ...}, JDK single-file launch) and its one JSON result line, so the
 * tests and the before/after figures come from the same program.
 */
final class AttackTool {
    static final Path PROJECT = Path.of(System.getProperty("project.dir", "."));

    private final String json;

    private AttackTool(String json) {
        this.json = json;
    }

    /** Runs {@code load-tests/attacks/<tool>.java args} for at most {@code timeoutSeconds}. */
    static AttackTool run(int timeoutSeconds, String tool, String... args) throws IOException {
        Path source = PROJECT.resolve("load-tests/attacks").resolve(tool + ".java");
        assertTrue(Files.exists(source), "no attack tool at " + source);
        List<String> command = new ArrayList<>(ServerProcess.javaCommand());
        command.add(source.toString());
        command.addAll(List.of(args));
        Tools.Result result = Tools.run(command, PROJECT, timeoutSeconds);
        assertEquals(0, result.exitCode(), tool + " failed:\n" + result.stderr());
        String[] lines = result.out().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("{") && last.endsWith("}"), tool + " printed no JSON line:\n" + result.out());
        System.out.println(tool + ": " + last); // the figures, in the failsafe report
        return new AttackTool(last);
    }

    /**
     * A server as it runs on a network: nobody trusted ({@code pop3.auth.trusted-networks} empty,
     * the default, overriding the loopback a test server trusts), the default 1 s failure delay,
     * and a known HTTP port ({@code quarkus.http.port} is given after ServerProcess's own, and
     * the last {@code -D} wins).
     */
    static ServerProcess server(Path dir) throws IOException {
        System.out.println("attacking " + ServerProcess.jar() + (oldBuild() ? " (a build before issue 9)" : ""));
        ServerProcess server = new ServerProcess(dir)
                .property("pop3.auth.trusted-networks", "")
                .property("pop3.auth.failure-delay", "1s")
                .property("quarkus.http.port", String.valueOf(ServerProcess.freePort()));
        // a build before issue 9 trusts no one anyway, and refuses pop3.* keys it does not know
        return oldBuild() ? server.withoutProperty("pop3.auth.trusted-networks").withoutProperty("hdrp.port")
                .withoutProperty("hdrp.udp-port") : server;
    }

    /**
     * Whether the jar under test predates issue 9 (no pop3.auth.trusted-networks in its mapping),
     * so that these tests can be shown to fail against it: {@code -Dpop3d.jar=OLD/quarkus-run.jar}.
     */
    static boolean oldBuild() throws IOException {
        Path app = ServerProcess.jar().resolveSibling("app");
        try (var jars = Files.list(app)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
                    java.util.zip.ZipEntry auth = zip.getEntry("dev/pop3d/config/Pop3Config$Auth.class");
                    if (auth != null) {
                        byte[] bytes = zip.getInputStream(auth).readAllBytes();
                        return !new String(bytes, StandardCharsets.ISO_8859_1).contains("trustedNetworks");
                    }
                }
            }
        }
        return false;
    }

    static String httpPort(ServerProcess server) {
        return server.propertyValue("quarkus.http.port");
    }

    /** A message of {@code lines} body lines (about 64 octets each). */
    static byte[] message(int lines) {
        StringBuilder text = new StringBuilder("From: attacks@example.test\nSubject: probe\n\n");
        for (int i = 1; i <= lines; i++) {
            text.append(String.format("line %04d of the probe message, padded to some sixty octets..%n", i));
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A users-file secret made by the server's own {@code hash-password} (what an operator runs). */
    static String hash(String scheme, String password) throws IOException {
        List<String> command = new ArrayList<>(ServerProcess.javaCommand());
        command.addAll(List.of("-jar", ServerProcess.jar().toString(), "hash-password", "--scheme", scheme));
        Tools.Result result = Tools.run(new ProcessBuilder(command), password.getBytes(StandardCharsets.UTF_8), 60);
        assertEquals(0, result.exitCode(), "hash-password: " + result.stderr());
        return result.out().strip();
    }

    String json() {
        return json;
    }

    long number(String field) {
        return Math.round(Double.parseDouble(raw(field)));
    }

    boolean bool(String field) {
        return Boolean.parseBoolean(raw(field));
    }

    /** A string field, unescaped enough for assertions and messages. */
    String text(String field) {
        String value = raw(field);
        return value.startsWith("\"") ? value.substring(1, value.length() - 1).replace("\\\"", "\"") : value;
    }

    /** An object or array field as its JSON text. */
    String raw(String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no field " + field + " in " + json);
        }
        int start = m.end();
        int depth = 0;
        boolean quoted = false;
        for (int i = start; i < json.length(); i++) {
            char c = json.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return json.substring(start, i);
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return json.substring(start, i);
            }
        }
        throw new AssertionError("unterminated field " + field + " in " + json);
    }

    @Override
    public String toString() {
        return json;
    }
}

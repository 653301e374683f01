package dev.pop3d.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link TestServerProcess} launches the jar as pop3d-testcontainers' {@code Pop3dExtension} does:
 * checked against that project's sources (the server's tests cannot depend on its artifact), so a
 * change there fails here until the differential IT follows it.
 */
class TestServerLaunchTest {
    private static final Path EXTENSION = Path.of("pop3d-testcontainers", "src", "main", "java", "dev", "pop3d",
            "testcontainers");
    private static final Pattern PUT = Pattern.compile("keys\\.put\\(\"([^\"]+)\",\\s*([^;]+)\\);");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    @Test
    void sameJvmOptions() throws IOException {
        String source = read("ChildDefaults.java");
        int start = source.indexOf("JVM_OPTIONS = List.of(");
        assertTrue(start >= 0, "ChildDefaults.JVM_OPTIONS not found");
        List<String> options = new ArrayList<>();
        Matcher quoted = QUOTED.matcher(source.substring(start, source.indexOf(");", start)));
        while (quoted.find()) {
            options.add(quoted.group(1));
        }
        assertEquals(options, TestServerProcess.JVM_OPTIONS);
    }

    @Test
    void sameKeysAndFixedValues() throws IOException {
        Map<String, String> theirs = new LinkedHashMap<>();
        Matcher put = PUT.matcher(read("ChildDefaults.java"));
        while (put.find()) {
            theirs.put(put.group(1), put.group(2).strip());
        }
        assertEquals("inlineUsers(users)", theirs.remove("pop3.users"), "only given users are configured: none here");
        Map<String, String> ours = TestServerProcess.properties(Path.of("data"), "token");
        assertEquals(theirs.keySet(), ours.keySet());
        theirs.forEach((key, value) -> {
            if (value.startsWith("\"")) {
                assertEquals(value.substring(1, value.length() - 1), ours.get(key), key);
            } else if (value.equals("host")) {
                assertEquals(TestServerProcess.HOST, ours.get(key), key);
            }
        });
        assertTrue(read("Pop3dExtension.java").contains("HOST = \"" + TestServerProcess.HOST + "\""));
    }

    @Test
    void sameDirectoriesAndReadiness() throws IOException {
        String server = read("TestServer.java");
        for (String fact : List.of("options.add(\"-Djava.io.tmpdir=\" + dir.resolve(\"tmp\"))",
                "ChildDefaults.properties(ports, dir.resolve(\"data\"), token, users)",
                "http.resolve(\"/q/health/ready\")", "Pop3dAdmin.generateToken()")) {
            assertTrue(server.contains(fact), "TestServer.java no longer has " + fact);
        }
        assertTrue(read("Pop3dExtension.java").contains("Path.of(System.getProperty(\"java.home\"), \"bin\", \"java\")"),
                "the extension's default java launcher changed");
    }

    private static String read(String file) throws IOException {
        return Files.readString(EXTENSION.resolve(file), StandardCharsets.UTF_8);
    }
}

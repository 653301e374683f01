package dev.pop3d.transcript;

import dev.pop3d.pop3.server.Pop3Listener;
import dev.pop3d.testing.TestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every {@code .pop3} script, over real sockets, against the running server on IPv4 and IPv6. */
@QuarkusTest
@TestProfile(ScriptsTest.Profile.class)
public class ScriptsTest {
    public static final Path SCRIPTS = Path.of("src", "test", "resources", "scripts");

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path data = Pop3dFixtures.data();
            TestFiles.deleteTree(data);
            return Map.of(
                    "pop3.data-dir", data.toString(),
                    "pop3.users", Pop3dFixtures.USERS.entrySet().stream()
                            .map(e -> e.getKey() + ":" + e.getValue()).sorted().collect(Collectors.joining(",")),
                    "pop3.auth.failure-delay", "0s",
                    "pop3.lock.wait", "300ms"); // in-use.pop3 answers [IN-USE] after the wait
        }
    }

    @Inject
    Pop3Listener listener;

    public static List<Path> scripts() throws IOException {
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            return files.filter(p -> p.toString().endsWith(".pop3")).sorted().collect(Collectors.toList());
        }
    }

    static Stream<Arguments> runs() throws IOException {
        List<Arguments> runs = new ArrayList<>();
        for (Path script : scripts()) {
            runs.add(Arguments.of(script.getFileName().toString(), "127.0.0.1"));
            runs.add(Arguments.of(script.getFileName().toString(), "::1"));
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("runs")
    void script(String name, String host) throws Exception {
        Transcript transcript = Transcript.parse(SCRIPTS.resolve(name));
        TranscriptRunner.check(transcript, host, listener.port(),
                new Pop3dFixtures(Pop3dFixtures.data().resolve("mail")));
    }

    @Test
    void thereAreScripts() throws IOException {
        if (scripts().size() < 10) {
            throw new AssertionError("scripts missing from " + SCRIPTS);
        }
    }
}

package dev.pop3d.transcript;

import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every script against the pure layers with an in-memory maildrop: no sockets, no files. */
class ScriptsInProcessTest {
    static Stream<String> scripts() throws IOException {
        return ScriptsTest.scripts().stream().map(p -> p.getFileName().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void script(String name) throws Exception {
        InProcessServer server = new InProcessServer();
        TranscriptRunner.check(Transcript.parse(ScriptsTest.SCRIPTS.resolve(name)), server, server);
    }
}

package dev.pop3d.transcript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Normalized pop3d transcripts kept in {@code target/transcripts/<target>/<script>.txt}, so that the
 * test-server IT can compare its child's transcripts with those of the in-JVM server of
 * {@link DifferentialTest} (surefire runs it before the ITs in {@code mvn verify}).
 */
final class RecordedTranscripts {
    static final String IN_JVM = "in-jvm";
    static final String TEST_SERVER = "test-server";
    private static final Path ROOT = Path.of("target", "transcripts");
    private static final Path MAIN_CLASSES = Path.of("target", "classes");

    private RecordedTranscripts() {}

    static void save(String target, String script, List<String> transcript) throws IOException {
        Path file = file(target, script);
        Files.createDirectories(file.getParent());
        Files.write(file, transcript, StandardCharsets.UTF_8);
    }

    /**
     * The transcript {@code target} recorded for {@code script}, if recorded since the server's
     * classes were last compiled (an older one may describe other code).
     */
    static Optional<List<String>> current(String target, String script) throws IOException {
        Path file = file(target, script);
        if (!Files.isRegularFile(file) || Files.getLastModifiedTime(file).compareTo(newestMainClass()) < 0) {
            return Optional.empty();
        }
        return Optional.of(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static Path file(String target, String script) {
        return ROOT.resolve(target).resolve(script + ".txt").toAbsolutePath();
    }

    private static FileTime newestMainClass() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN_CLASSES)) {
            return files.filter(Files::isRegularFile).map(RecordedTranscripts::modified)
                    .max(FileTime::compareTo).orElse(FileTime.fromMillis(0));
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

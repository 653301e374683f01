package dev.pop3d.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The child's class-data archive on a copy of the server build: the first run leaves
 * {@code pop3d-cds/<key>.jsa}, the second runs with it, no temporary file stays, and
 * {@code pop3d.cds=false} or the builder turns it off.
 */
class ClassDataArchiveTest {
    static final Path JAR = Path.of(System.getProperty("pop3d.jar", "../target/quarkus-app/quarkus-run.jar"));
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path dir;
    Path jar;

    @BeforeEach
    void copyTheBuild() throws IOException {
        Path from = JAR.toAbsolutePath().getParent();
        Path to = dir.resolve("quarkus-app");
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path path : (Iterable<Path>) tree::iterator) {
                Path relative = from.relativize(path);
                if (relative.startsWith(ClassDataArchive.FOLDER)) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        jar = to.resolve(JAR.getFileName().toString());
    }

    private List<String> run(Pop3dExtension.Builder builder) {
        try (Pop3dExtension pop3d = builder.jar(jar).build()) {
            pop3d.start();
            List<String> arguments = List.of(ProcessHandle.of(pop3d.pid()).orElseThrow().info().arguments().orElseThrow());
            System.out.printf("pop3d ready in %d ms with %s%n", pop3d.startTime().toMillis(),
                    arguments.stream().filter(a -> a.contains("Archive")).toList());
            return arguments;
        }
    }

    private List<String> folder() throws IOException {
        Path folder = jar.getParent().resolve(ClassDataArchive.FOLDER);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean hasOption(List<String> arguments, String prefix) {
        return arguments.stream().anyMatch(a -> a.startsWith(prefix));
    }

    @Test
    void theFirstRunMakesTheArchiveTheSecondUsesItAndNoTemporaryFileStays() throws IOException {
        List<String> first = run(Pop3dExtension.builder());
        assertTrue(hasOption(first, "-XX:ArchiveClassesAtExit=" + jar.getParent().resolve(ClassDataArchive.FOLDER)),
                first.toString());
        assertFalse(hasOption(first, "-XX:SharedArchiveFile"), first.toString());
        List<String> made = folder();
        assertEquals(1, made.size(), made.toString());
        String archive = made.get(0);
        assertTrue(archive.matches("[0-9a-f]{32}\\.jsa"), archive);
        assertTrue(Files.size(jar.getParent().resolve(ClassDataArchive.FOLDER).resolve(archive)) > 0);

        List<String> second = run(Pop3dExtension.builder());
        assertTrue(second.contains("-XX:SharedArchiveFile="
                + jar.getParent().resolve(ClassDataArchive.FOLDER).resolve(archive)), second.toString());
        assertFalse(hasOption(second, "-XX:ArchiveClassesAtExit"), second.toString());
        assertEquals(List.of(archive), folder());
    }

    @Test
    void offByThePropertyOrTheBuilder() throws IOException {
        String before = System.getProperty(ClassDataArchive.PROPERTY);
        System.setProperty(ClassDataArchive.PROPERTY, "false");
        try {
            List<String> arguments = run(Pop3dExtension.builder());
            assertFalse(hasOption(arguments, "-XX:SharedArchiveFile"), arguments.toString());
            assertFalse(hasOption(arguments, "-XX:ArchiveClassesAtExit"), arguments.toString());
        } finally {
            if (before == null) {
                System.clearProperty(ClassDataArchive.PROPERTY);
            } else {
                System.setProperty(ClassDataArchive.PROPERTY, before);
            }
        }
        List<String> arguments = run(Pop3dExtension.builder().classDataArchive(false));
        assertFalse(hasOption(arguments, "-XX:SharedArchiveFile"), arguments.toString());
        assertFalse(hasOption(arguments, "-XX:ArchiveClassesAtExit"), arguments.toString());
        assertEquals(List.of(), folder());
    }

    @Test
    void aRebuiltServerAnotherOptionOrAReadOnlyBuildGetsNoOldArchive() throws IOException {
        List<String> options = ChildDefaults.JVM_OPTIONS;
        String key = ClassDataArchive.key(JAVA, jar, options);
        assertEquals(key, ClassDataArchive.key(JAVA, jar, Stream.concat(options.stream(),
                Stream.of("-Djava.io.tmpdir=/elsewhere")).toList()), "system properties are not in the key");
        assertNotEquals(key, ClassDataArchive.key(JAVA, jar, List.of("-Xmx128m")));
        Path lib;
        try (Stream<Path> files = Files.walk(jar.getParent().resolve("lib"))) {
            lib = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(lib, FileTime.fromMillis(Files.getLastModifiedTime(lib).toMillis() + 1000));
        assertNotEquals(key, ClassDataArchive.key(JAVA, jar, options));

        Path folder = jar.getParent().resolve(ClassDataArchive.FOLDER);
        Files.writeString(folder.getParent().resolve("blocker"), "");
        Files.move(folder.getParent().resolve("blocker"), folder); // a file where the folder would be
        assertEquals(List.of(), ClassDataArchive.forJar(JAVA, jar, options).options());
        assertEquals(List.of(), ClassDataArchive.forJar(JAVA, jar, List.of("-Xshare:off")).options());
    }

    @Test
    void atMostAFewArchivesStay() throws IOException {
        Path folder = Files.createDirectories(jar.getParent().resolve(ClassDataArchive.FOLDER));
        for (int i = 0; i < 5; i++) {
            Path old = Files.writeString(folder.resolve("old" + i + ClassDataArchive.SUFFIX), "x");
            Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - (10 - i) * 60_000L));
        }
        Path staleTemp = Files.writeString(folder.resolve("k.1-x" + ClassDataArchive.TEMP_SUFFIX), "x");
        Files.setLastModifiedTime(staleTemp, FileTime.fromMillis(System.currentTimeMillis() - Duration.ofHours(2).toMillis()));
        ClassDataArchive archive = ClassDataArchive.forJar(JAVA, jar, ChildDefaults.JVM_OPTIONS);
        assertTrue(archive.options().get(0).startsWith("-XX:ArchiveClassesAtExit="), archive.options().toString());
        archive.afterExit(true); // the child wrote nothing: no archive, no temporary file
        assertEquals(List.of("old3.jsa", "old4.jsa"), folder());
    }
}

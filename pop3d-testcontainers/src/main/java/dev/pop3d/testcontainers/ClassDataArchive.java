package dev.pop3d.testcontainers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A dynamic AppCDS archive of the child JVM's classes, made by the first run and used by the next:
 * {@code <jar dir>/pop3d-cds/<key>.jsa}, next to the user's own build output (never a shared temporary
 * directory: a planted archive would be code). The key is a hash of the {@code java} executable's real
 * path, size and time, this JVM's version and {@code java.home}, the JVM options (system properties
 * aside) and the size and time of the jar and of every file under {@code app/}, {@code lib/} and
 * {@code quarkus/}: a rebuilt server or another JDK gets a new archive. With an archive the child runs
 * with {@code -XX:SharedArchiveFile} ({@code -Xshare:auto}: a bad archive only costs the speed-up);
 * without, with {@code -XX:ArchiveClassesAtExit=} a temporary name of this run, moved to the final name
 * by {@link #afterExit(boolean)} once the child has exited after SIGTERM, otherwise deleted. At most
 * {@value #KEEP} archives stay in the folder. Off with {@code -Dpop3d.cds=false}, or when the folder
 * cannot be created, or when the caller's JVM options already choose a CDS setting.
 */
final class ClassDataArchive {
    /** The system property that turns it off: {@code -Dpop3d.cds=false}. */
    static final String PROPERTY = "pop3d.cds";
    /** The folder next to the jar. */
    static final String FOLDER = "pop3d-cds";
    static final String SUFFIX = ".jsa";
    static final String TEMP_SUFFIX = ".jsa.tmp";
    /** How many archives the folder keeps (the newest). */
    static final int KEEP = 3;
    /** A temporary file older than this was left by a killed test JVM. */
    private static final Duration STALE_TEMP = Duration.ofHours(1);

    private static final ClassDataArchive NONE = new ClassDataArchive(List.of(), null, null);

    private final List<String> options;
    private final Path temp;
    private final Path archive;

    private ClassDataArchive(List<String> options, Path temp, Path archive) {
        this.options = options;
        this.temp = temp;
        this.archive = archive;
    }

    /** No archive: no extra option, nothing to do at exit. */
    static ClassDataArchive none() {
        return NONE;
    }

    /** Whether {@code -Dpop3d.cds} leaves it on (the default). */
    static boolean enabledByProperty() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /**
     * The archive for {@code jar} started by {@code java} with {@code jvmOptions}; {@link #none()} when
     * the options already choose a CDS setting or the folder cannot be made or written.
     */
    static ClassDataArchive forJar(Path java, Path jar, List<String> jvmOptions) {
        if (jvmOptions.stream().anyMatch(ClassDataArchive::choosesCds) || !Files.isRegularFile(jar)) {
            return NONE;
        }
        try {
            Path folder = Files.createDirectories(jar.toAbsolutePath().getParent().resolve(FOLDER));
            if (!Files.isWritable(folder)) {
                return NONE;
            }
            String key = key(java, jar, jvmOptions);
            Path archive = folder.resolve(key + SUFFIX);
            if (Files.isRegularFile(archive) && Files.size(archive) > 0) {
                return new ClassDataArchive(List.of("-XX:SharedArchiveFile=" + archive), null, archive);
            }
            trim(folder, KEEP - 1);
            Path temp = folder.resolve(key + "." + ProcessHandle.current().pid() + "-" + UUID.randomUUID() + TEMP_SUFFIX);
            return new ClassDataArchive(List.of("-XX:ArchiveClassesAtExit=" + temp), temp, archive);
        } catch (IOException | RuntimeException e) {
            return NONE; // a read-only build directory, say: run without an archive
        }
    }

    /** The options the child's JVM gets in addition (none, one to use or one to make an archive). */
    List<String> options() {
        return options;
    }

    /** The final archive's path, or {@code null} when none is used or made. */
    Path archive() {
        return archive;
    }

    /**
     * After the child has exited: a complete archive ({@code clean}: it exited after SIGTERM, not killed)
     * becomes the final one unless that exists; any temporary file goes. Idempotent.
     */
    synchronized void afterExit(boolean clean) {
        if (temp == null) {
            return;
        }
        try {
            if (clean && Files.isRegularFile(temp) && Files.size(temp) > 0 && !Files.exists(archive)) {
                moveNoReplace(temp, archive);
            }
        } catch (IOException e) {
            // another run made it first, or the folder went read-only: the next run tries again
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // nothing more to do; a later run deletes stale temporary files
            }
        }
    }

    private static void moveNoReplace(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from); // atomic, never replaces
        } catch (FileAlreadyExistsException made) {
            // another run's archive for the same key: keep that one
        } catch (UnsupportedOperationException | IOException noLinks) {
            if (!Files.exists(to)) {
                try {
                    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    // no atomic rename here: no archive rather than a half-copied one
                }
            }
        }
    }

    /** Deletes all but the newest {@code keep} archives, and temporary files of runs long gone. */
    private static void trim(Path folder, int keep) throws IOException {
        List<Path> archives = new ArrayList<>();
        Instant stale = Instant.now().minus(STALE_TEMP);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(stale)) {
                        Files.deleteIfExists(file);
                    }
                } else if (name.endsWith(SUFFIX)) {
                    archives.add(file);
                }
            }
        }
        archives.sort(Comparator.comparing(ClassDataArchive::modified).reversed());
        for (Path old : archives.subList(Math.min(keep, archives.size()), archives.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException gone) {
            return FileTime.fromMillis(0);
        }
    }

    private static boolean choosesCds(String option) {
        return option.startsWith("-Xshare") || option.startsWith("-XX:SharedArchiveFile")
                || option.startsWith("-XX:ArchiveClassesAtExit") || option.startsWith("-XX:SharedClassListFile")
                || option.startsWith("-XX:+AutoCreateSharedArchive");
    }

    static String key(Path java, Path jar, List<String> jvmOptions) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path realJava = java.toRealPath();
        add(sha, "java", realJava + " " + stamp(realJava));
        add(sha, "version", Runtime.version() + " " + System.getProperty("java.home"));
        for (String option : jvmOptions) {
            if (!option.startsWith("-D")) { // system properties do not change which classes load how
                add(sha, "option", option);
            }
        }
        Path realJar = jar.toRealPath();
        add(sha, "jar", stamp(realJar));
        Path dir = realJar.getParent();
        for (String sub : List.of("app", "lib", "quarkus")) {
            Path root = dir.resolve(sub);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> tree = Files.walk(root)) {
                for (Path file : (Iterable<Path>) tree.filter(Files::isRegularFile).sorted()::iterator) {
                    add(sha, dir.relativize(file).toString(), stamp(file));
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    private static String stamp(Path file) throws IOException {
        return Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
    }

    private static void add(MessageDigest sha, String name, String value) {
        sha.update((name + "=" + value + "\n").getBytes(StandardCharsets.UTF_8));
    }
}

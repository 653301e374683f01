package dev.pop3d.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * Target 4: the lenient reader of {@code pop3d-uidlist} on arbitrary octets, through the same
 * package-private seam the maildir tests use ({@code IndexReader.read}, {@code MaildirIndex}),
 * reached by reflection from here. Invariants: it never throws; every UID it keeps is valid
 * (RFC 1939 §7) and unique; every entry line that decodes and parses, with a UID and name not
 * seen before, is kept; a new UID never collides with a kept one; and writing the index back then
 * reading it again gives the same table.
 */
class MaildirIndexFuzzTest {
    private static final Path DIR = directory();
    private static final Method READ;
    private static final Method PUT;
    private static final Method SAVE;
    private static final Field ENTRIES;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final FuzzRuns RUNS = new FuzzRuns("MaildirIndexFuzzTest");
    /**
     * The reader's one WARN per lenient read is the behaviour under test, not news: at thousands of
     * inputs a second it would fill the build log (34,000 lines in 8 s). Kept referenced so the
     * level holds; errors still show.
     */
    private static final java.util.logging.Logger READER_LOG = quiet("dev.pop3d.mailstore.maildir.IndexReader");

    private static java.util.logging.Logger quiet(String category) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(category);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    static {
        try {
            Class<?> reader = Class.forName("dev.pop3d.mailstore.maildir.IndexReader");
            Class<?> index = Class.forName("dev.pop3d.mailstore.maildir.MaildirIndex");
            READ = reader.getDeclaredMethod("read", Path.class, byte[].class, SecureRandom.class);
            PUT = index.getDeclaredMethod("put", String.class, long.class, long.class);
            SAVE = index.getDeclaredMethod("saveIfChanged");
            ENTRIES = index.getDeclaredField("entries");
            for (var member : new java.lang.reflect.AccessibleObject[] {READ, PUT, SAVE, ENTRIES}) {
                member.setAccessible(true);
            }
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void uidlist(byte[] input) throws Exception {
        RUNS.ran();
        Path file = DIR.resolve("pop3d-uidlist");
        Object index = read(file, input);
        Map<String, String> table = table(index);
        Set<String> uids = new HashSet<>(table.values());
        assertEquals(table.size(), uids.size(), "a UID is kept twice");
        for (String uid : uids) {
            assertTrue(uid.length() >= 1 && uid.length() <= 70 && uid.chars().allMatch(c -> c >= 0x21 && c <= 0x7e),
                    "invalid UID kept: " + uid);
        }
        for (Map.Entry<String, String> readable : readableEntries(input).entrySet()) {
            assertEquals(readable.getValue(), table.get(readable.getKey()), "readable line of " + readable.getKey() + " lost");
        }
        String name = "fuzz-new-message";
        while (table.containsKey(name)) {
            name += "+"; // a name the index does not hold yet: really a new message
        }
        String fresh = uid(PUT.invoke(index, name, 10L, 12L));
        assertFalse(uids.contains(fresh), "a new message got a kept UID " + fresh);
        table.put(name, fresh);

        Files.deleteIfExists(file);
        SAVE.invoke(index);
        Object again = read(file, Files.readAllBytes(file));
        assertEquals(table, table(again), "written back and read again, the table differs");
    }

    private static Object read(Path file, byte[] bytes) throws Exception {
        try {
            return READ.invoke(null, file, bytes, RANDOM);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> table(Object index) throws Exception {
        Map<String, String> table = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) ENTRIES.get(index)).entrySet()) {
            table.put(e.getKey(), uid(e.getValue()));
        }
        return table;
    }

    private static String uid(Object entry) throws Exception {
        Method uid = entry.getClass().getDeclaredMethod("uid");
        uid.setAccessible(true);
        return (String) uid.invoke(entry);
    }

    /**
     * The entry lines an honest reader can use, by this test's own reading of the format: after
     * the first line, {@code uid raw octets name}, UTF-8, a valid UID, sizes that parse, a name
     * that is a Maildir name; the first such line wins for its UID and its name.
     */
    static Map<String, String> readableEntries(byte[] bytes) {
        Map<String, String> kept = new LinkedHashMap<>();
        Set<String> uids = new HashSet<>();
        Set<String> seenNames = new HashSet<>();
        int start = 0;
        boolean first = true;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            String line = decode(bytes, start, end);
            start = end + 1;
            if (first) {
                first = false;
                continue;
            }
            if (line == null) {
                continue;
            }
            String[] f = line.split(" ", 4);
            if (f.length != 4 || f[0].isEmpty() || f[0].length() > 70 || !f[0].chars().allMatch(c -> c >= 0x21 && c <= 0x7e)
                    || f[3].isEmpty() || f[3].startsWith(".") || f[3].contains("\r") || f[3].contains("/")) {
                continue;
            }
            try {
                if (Long.parseLong(f[1]) < -1 || Long.parseLong(f[2]) < 0) {
                    continue;
                }
            } catch (NumberFormatException e) {
                continue;
            }
            boolean newUid = uids.add(f[0]);
            if (newUid && seenNames.add(f[3])) {
                kept.put(f[3], f[0]);
            }
        }
        return kept;
    }

    private static String decode(byte[] bytes, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static Path directory() {
        try {
            Path shm = Path.of("/dev/shm");
            return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "pop3d-fuzz-index-")
                    : Files.createTempDirectory("pop3d-fuzz-index-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void ranInputs() throws IOException {
        try (var all = Files.list(DIR)) {
            for (Path p : all.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(DIR);
        RUNS.requireInputs();
    }
}

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
import java.util.List;
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
    private static final Object CLEAN;
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
            Class<?> form = Class.forName("dev.pop3d.mailstore.maildir.MaildirIndex$Form");
            PUT = index.getDeclaredMethod("put", String.class, String.class, long.class, long.class, form, String.class);
            CLEAN = form.getEnumConstants()[0];
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
        String fresh = uid(PUT.invoke(index, name, name + ":2,S", 12L, 12L, CLEAN, "(dev=1,ino=2)"));
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
     * the first line, in the header's format (both tried, 2 first, when the header is unreadable),
     * UTF-8, a valid UID, sizes that parse, a name that is a Maildir name; the first such line wins
     * for its UID and its name.
     */
    static Map<String, String> readableEntries(byte[] bytes) {
        Map<String, String> kept = new LinkedHashMap<>();
        Set<String> uids = new HashSet<>();
        Set<String> seenNames = new HashSet<>();
        int start = 0;
        boolean first = true;
        int version = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            String line = decode(bytes, start, end);
            start = end + 1;
            if (first) {
                first = false;
                version = line == null ? 0 : version(line);
                continue;
            }
            if (line == null) {
                continue;
            }
            String[] entry = version == 1 ? v1(line) : version == 2 ? v2(line) : or(v2(line), v1(line));
            if (entry == null) {
                continue;
            }
            boolean newUid = uids.add(entry[0]);
            if (newUid && seenNames.add(entry[1])) {
                kept.put(entry[1], entry[0]);
            }
        }
        return kept;
    }

    private static String[] or(String[] a, String[] b) {
        return a != null ? a : b;
    }

    /** 2: "pop3d-uidlist 2 hhhhhhhh next key|- mtime|-" (key and mtime both "-" or neither), 1: its first 4 fields. */
    private static int version(String line) {
        String[] f = line.split(" ");
        boolean common = f.length >= 4 && f[0].equals("pop3d-uidlist") && f[2].length() == 8 && parses(() -> {
            Integer.parseUnsignedInt(f[2], 16);
            return Long.parseLong(f[3]) >= 1;
        });
        if (common && f.length == 4 && f[1].equals("1")) {
            return 1;
        }
        boolean listing = f.length == 6 && !f[4].isEmpty() && f[4].equals("-") == f[5].equals("-")
                && (f[5].equals("-") || parses(() -> Long.parseLong(f[5]) > Long.MIN_VALUE || true));
        return common && listing && f[1].equals("2") ? 2 : 0;
    }

    private static boolean parses(java.util.function.BooleanSupplier number) {
        try {
            return number.getAsBoolean();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean uid(String s) {
        return !s.isEmpty() && s.length() <= 70 && s.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    }

    private static boolean maildirName(String s) {
        return !s.isEmpty() && !s.startsWith(".") && !s.contains("\r") && !s.contains("\n") && !s.contains("/");
    }

    private static boolean sizes(String raw, String octets) {
        try {
            return Long.parseLong(raw) >= -1 && Long.parseLong(octets) >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** uid raw octets name-with-blanks: {uid, base}. */
    private static String[] v1(String line) {
        String[] f = line.split(" ", 4);
        return f.length == 4 && uid(f[0]) && maildirName(f[3]) && sizes(f[1], f[2]) ? new String[] {f[0], f[3]} : null;
    }

    /** uid raw octets c|s|? key|- baseLength|- name-with-blanks: {uid, base}. */
    private static String[] v2(String line) {
        String[] f = line.split(" ", 7);
        if (f.length != 7 || !uid(f[0]) || !sizes(f[1], f[2]) || !List.of("c", "s", "?").contains(f[3]) || f[4].isEmpty()
                || f[5].isEmpty() || !maildirName(f[6])) {
            return null;
        }
        if (f[5].equals("-")) {
            return new String[] {f[0], f[6]};
        }
        try {
            int length = Integer.parseInt(f[5]);
            boolean base = length >= 1 && (length == f[6].length() || length == f[6].indexOf(':'));
            return base ? new String[] {f[0], f[6].substring(0, length)} : null;
        } catch (NumberFormatException e) {
            return null;
        }
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

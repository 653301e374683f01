package dev.pop3d.mailstore.maildir;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TEST ONLY: named crash points for the fault-injection harness ({@code load-tests/faults}). Inert
 * unless the JVM system property {@code pop3d.test.crash-points} lists the point, as
 * {@code name[:chance],...} (chance 0..1, default 1); then, when reached, the process SIGKILLs
 * itself there, so the disk is left exactly as a crash at that instruction leaves it. With
 * {@code pop3d.test.crash-arm=<file>} a listed point fires only while that file exists and, if
 * the file is not empty, names it (the harness arms chosen steps of one session). Not a Quarkus configuration key and never set in
 * production; when the property is absent each call is one read of a static final empty map.
 */
final class CrashPoints {
    /** Temp file of the deletion journal synced and renamed: the journal is durable, nothing unlinked. */
    static final String JOURNAL_WRITTEN = "journal-written";
    /** One marked message unlinked (the others not yet). */
    static final String UNLINKED_ONE = "unlinked-one";
    /** All marked messages unlinked, the journal not removed yet. */
    static final String UNLINKED_ALL = "unlinked-all";
    /** {@code pop3d-uidlist} temp file written and synced, not renamed over the index yet. */
    static final String INDEX_WRITTEN = "index-written";
    /** {@code pop3d-uidlist} renamed into place, its directory not synced yet. */
    static final String INDEX_RENAMED = "index-renamed";
    /** A stale lock moved aside (only this process can now take the lock), the aside link not removed. */
    static final String TAKEOVER_MOVED = "takeover-moved";
    /** The stale lock gone entirely, our own not created yet. */
    static final String TAKEOVER_CLEARED = "takeover-cleared";
    /** Our lock link created, its heartbeat not touched and the maildrop not read yet. */
    static final String LOCK_CREATED = "lock-created";

    private static final Map<String, Double> POINTS = parse(System.getProperty("pop3d.test.crash-points", ""));
    private static final String ARM = System.getProperty("pop3d.test.crash-arm", "");

    private CrashPoints() {}

    /** Dies here by SIGKILL if the point is listed (and armed, and the chance says so). */
    static void reach(String point) {
        if (POINTS.isEmpty()) {
            return;
        }
        Double chance = POINTS.get(point);
        if (chance == null || !armed(point) || ThreadLocalRandom.current().nextDouble() >= chance) {
            return;
        }
        die(point);
    }

    /** No arm file configured: always; else while it exists, and names this point (or is empty). */
    private static boolean armed(String point) {
        if (ARM.isEmpty()) {
            return true;
        }
        try {
            String names = Files.readString(Path.of(ARM), StandardCharsets.US_ASCII).strip();
            return names.isEmpty() || java.util.Arrays.asList(names.split("[,\\s]+")).contains(point);
        } catch (IOException notArmed) {
            return false;
        }
    }

    /** As {@link #reach(String)}, for a step of {@link Fsync#replace} on the index file only. */
    static void reachForIndex(String point, Path target) {
        if (!POINTS.isEmpty() && target.getFileName().toString().equals(MaildirIndex.FILE)) {
            reach(point);
        }
    }

    private static void die(String point) {
        try {
            FileOutputStream err = new FileOutputStream(FileDescriptor.err);
            err.write(("pop3d test crash point fired: " + point + "\n").getBytes(StandardCharsets.US_ASCII));
            err.flush();
            new ProcessBuilder("kill", "-KILL", String.valueOf(ProcessHandle.current().pid())).inheritIO().start();
            while (true) {
                Thread.sleep(1_000); // this thread never goes on: the signal arrives meanwhile
            }
        } catch (IOException | InterruptedException e) {
            Runtime.getRuntime().halt(137); // no kill(1): the closest thing to a crash
        }
    }

    static Map<String, Double> parse(String spec) {
        Map<String, Double> points = new HashMap<>();
        for (String item : spec.split(",")) {
            String entry = item.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            points.put(colon < 0 ? entry : entry.substring(0, colon),
                    colon < 0 ? 1.0 : Double.parseDouble(entry.substring(colon + 1)));
        }
        return Map.copyOf(points);
    }
}

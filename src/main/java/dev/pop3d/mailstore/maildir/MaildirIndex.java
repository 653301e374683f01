package dev.pop3d.mailstore.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The per-maildrop index {@code pop3d-uidlist}, kept in the Maildir itself so that replicas on a
 * shared volume see the same UIDs and so that it follows the mail. Format (UTF-8 text):
 *
 * <pre>
 * pop3d-uidlist 1 &lt;validity, 8 hex digits&gt; &lt;next sequence number&gt;
 * &lt;uid&gt; &lt;raw size&gt; &lt;CRLF octets&gt; &lt;base name&gt;
 * ...
 * </pre>
 *
 * The base name is the file name up to its first ':' (flags may change; the base stays) and is
 * the rest of the line. A UID is {@code %08x%08x} of validity and sequence number (RFC 1939 §7:
 * 16 characters from 0x21..0x7E); the sequence only grows, so no UID is ever reused. Only the
 * lock holder reads or writes it. Not thread-safe. See ADR 0004.
 */
final class MaildirIndex {
    static final String FILE = "pop3d-uidlist";
    private static final String MAGIC = "pop3d-uidlist 1";
    private static final Logger LOG = Logger.getLogger(MaildirIndex.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the index knows of one message. */
    record Entry(String uid, long rawSize, long octets) {}

    private final Path file;
    private final int validity;
    private long next;
    private final Map<String, Entry> entries;
    private boolean changed;

    private MaildirIndex(Path file, int validity, long next, Map<String, Entry> entries, boolean changed) {
        this.file = file;
        this.validity = validity;
        this.next = next;
        this.entries = entries;
        this.changed = changed;
    }

    /** Loads the index of {@code maildir}; a missing or unreadable one starts afresh (new validity). */
    static MaildirIndex load(Path maildir) throws IOException {
        Path file = maildir.resolve(FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return fresh(file);
        }
        try {
            return parse(file, lines);
        } catch (RuntimeException e) {
            LOG.warnf("index %s is corrupt (%s): rebuilding it; UIDs of this maildrop change once", file, e.getMessage());
            return fresh(file);
        }
    }

    private static MaildirIndex fresh(Path file) {
        return new MaildirIndex(file, RANDOM.nextInt(), 1, new LinkedHashMap<>(), true);
    }

    private static MaildirIndex parse(Path file, List<String> lines) {
        String[] header = lines.get(0).split(" ");
        if (header.length != 4 || !(header[0] + " " + header[1]).equals(MAGIC)) {
            throw new IllegalArgumentException("bad header");
        }
        int validity = Integer.parseUnsignedInt(header[2], 16);
        long next = Long.parseLong(header[3]);
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(" ", 4);
            if (fields.length != 4 || !Uids.valid(fields[0])) {
                throw new IllegalArgumentException("bad entry");
            }
            entries.put(fields[3], new Entry(fields[0], Long.parseLong(fields[1]), Long.parseLong(fields[2])));
        }
        return new MaildirIndex(file, validity, next, entries, false);
    }

    Entry get(String base) {
        return entries.get(base);
    }

    /** Records a message; a new base name gets the next UID. Returns its entry. */
    Entry put(String base, long rawSize, long octets) {
        Entry known = entries.get(base);
        String uid = known != null ? known.uid() : String.format("%08x%08x", validity, next++);
        Entry entry = new Entry(uid, rawSize, octets);
        if (!entry.equals(known)) {
            entries.put(base, entry);
            changed = true;
        }
        return entry;
    }

    /** Keeps only the given base names (files that disappeared are forgotten; UIDs are not reused). */
    void retain(java.util.Set<String> bases) {
        changed |= entries.keySet().retainAll(bases);
    }

    void remove(String base) {
        changed |= entries.remove(base) != null;
    }

    /** Writes the index if it changed, crash-safely (temp file, fsync, rename, fsync dir). */
    void saveIfChanged() throws IOException {
        if (!changed) {
            return;
        }
        StringBuilder text = new StringBuilder(64 + entries.size() * 64);
        text.append(MAGIC).append(' ').append(String.format("%08x", validity)).append(' ').append(next).append('\n');
        entries.forEach((base, e) -> text.append(e.uid()).append(' ').append(e.rawSize()).append(' ')
                .append(e.octets()).append(' ').append(base).append('\n'));
        Fsync.replace(file, text.toString());
        changed = false;
    }
}

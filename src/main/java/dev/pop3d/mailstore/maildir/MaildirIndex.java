package dev.pop3d.mailstore.maildir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

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
    static final String MAGIC = "pop3d-uidlist 1";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the index knows of one message. */
    record Entry(String uid, long rawSize, long octets) {}

    private final Path file;
    private final int validity;
    private long next;
    private final Map<String, Entry> entries;
    private boolean changed;
    /** Base names given a UID since the index was loaded (not on disk yet). */
    private final java.util.Set<String> assigned = new java.util.HashSet<>();

    private MaildirIndex(Path file, int validity, long next, Map<String, Entry> entries, boolean changed) {
        this.file = file;
        this.validity = validity;
        this.next = next;
        this.entries = entries;
        this.changed = changed;
    }

    /**
     * Loads the index of {@code maildir}. The file is read as bytes and decoded line by line, so
     * binary garbage costs only the lines it hits: every line that still parses keeps its UID, the
     * others are logged and dropped (their messages get new UIDs; none is ever reused). A missing
     * index starts afresh (new validity).
     */
    static MaildirIndex load(Path maildir) throws IOException {
        Path file = maildir.resolve(FILE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return fresh(file);
        }
        return IndexReader.read(file, bytes, RANDOM);
    }

    static MaildirIndex fresh(Path file) {
        return new MaildirIndex(file, RANDOM.nextInt(), 1, new LinkedHashMap<>(), true);
    }

    /** An index as read back; {@code changed} when lines were dropped, so that it is rewritten. */
    static MaildirIndex of(Path file, int validity, long next, Map<String, Entry> entries, boolean changed) {
        return new MaildirIndex(file, validity, next, entries, changed);
    }

    Entry get(String base) {
        return entries.get(base);
    }

    /** Records a message; a new base name gets the next UID. Returns its entry. */
    Entry put(String base, long rawSize, long octets) {
        Entry known = entries.get(base);
        String uid = known != null ? known.uid() : String.format("%08x%08x", validity, next++);
        if (known == null) {
            assigned.add(base);
        }
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

    /**
     * The index could not be saved: the UIDs given since it was loaded are replaced by UIDs under a
     * random validity of this session only, since the sequence numbers they used were not
     * persisted and would be given again to other messages. Those messages show new UIDs at the
     * next login (a client fetches them again: a duplicate, never a loss).
     */
    void makeNewUidsProvisional() {
        int session = RANDOM.nextInt();
        long sequence = 1;
        for (String base : assigned) {
            Entry entry = entries.get(base);
            if (entry != null) {
                entries.put(base, new Entry(String.format("%08x%08x", session, sequence++), entry.rawSize(), entry.octets()));
            }
        }
    }

    /** The file changed under a session: its size is read again at the next open (its UID stays). */
    void forgetSize(String base) {
        Entry known = entries.get(base);
        if (known != null && known.rawSize() >= 0) {
            entries.put(base, new Entry(known.uid(), -1, known.octets()));
            changed = true;
        }
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

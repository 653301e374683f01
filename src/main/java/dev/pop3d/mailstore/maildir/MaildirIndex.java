package dev.pop3d.mailstore.maildir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The per-maildrop index {@code pop3d-uidlist}, kept in the Maildir itself so that replicas on a
 * shared volume see the same UIDs and so that it follows the mail. Format 2 (UTF-8 text):
 *
 * <pre>
 * pop3d-uidlist 2 &lt;validity, 8 hex digits&gt; &lt;next sequence number&gt; &lt;cur/ key|-&gt; &lt;cur/ mtime ns|-&gt;
 * &lt;uid&gt; &lt;raw size&gt; &lt;CRLF octets&gt; &lt;c|s|?&gt; &lt;file key|-&gt; &lt;base length|-&gt; &lt;file name&gt;
 * ...
 * </pre>
 *
 * The index key is the base name, the file name up to its first ':' (flags may change; the base
 * stays); the line ends with the full file name as last listed in cur/, of which the first
 * {@code base length} characters are the base ({@code -}: name unknown, the rest is the base).
 * {@code c}: the stored bytes are the wire form (see {@code CrlfOctets.clean}), {@code s}: they
 * need stuffing, {@code ?}: not known (format 1). The header's cur/ key and mtime say which
 * listing of cur/ the lines describe (ADR 0013). Format 1 ({@code pop3d-uidlist 1 <validity>
 * <next>}, lines {@code <uid> <raw> <octets> <base>}) is still read. A UID is {@code %08x%08x} of
 * validity and sequence number (RFC 1939 §7: 16 characters from 0x21..0x7E); the sequence only
 * grows, so no UID is ever reused. Only the lock holder reads or writes it. Not thread-safe. See
 * ADR 0004 and 0013.
 */
final class MaildirIndex {
    static final String FILE = "pop3d-uidlist";
    static final String MAGIC = "pop3d-uidlist 2";
    static final String MAGIC_V1 = "pop3d-uidlist 1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    /** Whether a message's stored bytes are already its wire form. */
    enum Form {
        CLEAN('c'), STUFFED('s'), UNKNOWN('?');

        final char code;

        Form(char code) {
            this.code = code;
        }

        static Form of(boolean clean) {
            return clean ? CLEAN : STUFFED;
        }
    }

    /**
     * What the index knows of one message: {@code name} is its file name in cur/ at the last
     * listing (null: not known), {@code key} its file identity as text (null: none).
     */
    record Entry(String uid, long rawSize, long octets, Form form, String name, String key) {}

    /** cur/ as it was when the entries were listed: its identity and its mtime. */
    record Listing(String key, long mtimeNanos) {}

    private final Path file;
    private final int validity;
    private long next;
    /**
     * Shared with other copies while {@link #shared}: copied before the first change. Null in a
     * detached index (kept across logins without them): {@link #rebuild} makes them when needed.
     */
    private Map<String, Entry> entries;
    private boolean shared;
    private java.util.function.Supplier<Map<String, Entry>> rebuild;
    private boolean changed;
    /** The listing the entries describe, or null: then they are only a cache, checked file by file. */
    private Listing listing;
    /** When the loaded file was written (its mtime), or null for a fresh index. */
    private FileTime writtenAt;
    /** Base names given a UID since the index was loaded (not on disk yet). */
    private final java.util.Set<String> assigned = new java.util.HashSet<>();
    /** Run after each write of the file (the store forgets its cached copy). */
    private Runnable written = () -> { };

    private MaildirIndex(Path file, int validity, long next, Map<String, Entry> entries, boolean changed, Listing listing) {
        this.file = file;
        this.validity = validity;
        this.next = next;
        this.entries = entries;
        this.changed = changed;
        this.listing = listing;
    }

    /**
     * Loads the index of {@code maildir}. The file is read as bytes and decoded line by line, so
     * binary garbage costs only the lines it hits: every line that still parses keeps its UID, the
     * others are logged and dropped (their messages get new UIDs; none is ever reused). A missing
     * index starts afresh (new validity).
     */
    static MaildirIndex load(Path maildir) throws IOException {
        Path file = maildir.resolve(FILE);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return read(file, attributes, Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return fresh(file);
        }
    }

    /** The index in {@code bytes}, read from {@code file} right after {@code attributes} (its mtime is kept). */
    static MaildirIndex read(Path file, BasicFileAttributes attributes, byte[] bytes) {
        MaildirIndex index = IndexReader.read(file, bytes, RANDOM);
        index.writtenAt = attributes.lastModifiedTime();
        return index;
    }

    static MaildirIndex fresh(Path file) {
        return new MaildirIndex(file, RANDOM.nextInt(), 1, new LinkedHashMap<>(), true, null);
    }

    /** An index as read back; {@code changed} when lines were dropped, so that it is rewritten. */
    static MaildirIndex of(Path file, int validity, long next, Map<String, Entry> entries, boolean changed, Listing listing) {
        return new MaildirIndex(file, validity, next, entries, changed, listing);
    }

    Entry get(String base) {
        return entries().get(base);
    }

    /** The (base name, entry) pairs in file order, read-only, for building a snapshot. */
    java.util.Collection<Map.Entry<String, Entry>> inFileOrder() {
        return java.util.Collections.unmodifiableMap(entries()).entrySet();
    }

    /** How many messages the index holds. */
    int size() {
        return entries().size();
    }

    /**
     * A copy for another session that shares this one's entries until either changes them (both
     * then copy first). Only the lock holder uses either, one at a time.
     */
    MaildirIndex share() {
        shared = entries != null;
        MaildirIndex copy = new MaildirIndex(file, validity, next, entries, changed, listing);
        copy.shared = shared;
        copy.rebuild = rebuild;
        copy.writtenAt = writtenAt;
        return copy;
    }

    /**
     * This index without its entries, for keeping across logins: the copies it {@link #share}s
     * make theirs with {@code rebuild} when first asked for them. Only for an index that is
     * complete (every entry named, sized, of known form): {@link #current} then needs no entries.
     */
    MaildirIndex detached(java.util.function.Supplier<Map<String, Entry>> rebuild) {
        MaildirIndex copy = new MaildirIndex(file, validity, next, null, changed, listing);
        copy.rebuild = rebuild;
        copy.writtenAt = writtenAt;
        return copy;
    }

    /** The entries, made from {@link #rebuild} in a detached copy. */
    private Map<String, Entry> entries() {
        if (entries == null) {
            entries = rebuild.get();
            rebuild = null;
            shared = false;
        }
        return entries;
    }

    /** {@code action} runs after every write of the file by this index. */
    void onWrite(Runnable action) {
        written = action;
    }

    /** The entries, to be changed: a private copy first if they are shared. */
    private Map<String, Entry> own() {
        entries();
        if (shared) {
            entries = new LinkedHashMap<>(entries);
            shared = false;
        }
        return entries;
    }

    /** Records a message as listed; a new base name gets the next UID. Returns its entry. */
    Entry put(String base, String name, long rawSize, long octets, Form form, String key) {
        Entry known = entries().get(base);
        String uid = known != null ? known.uid() : uid(validity, next++);
        if (known == null) {
            assigned.add(base);
        }
        Entry entry = new Entry(uid, rawSize, octets, form, name, key);
        if (!entry.equals(known)) {
            own().put(base, entry);
            changed = true;
        }
        return entry;
    }

    /** RFC 1939 §7 UID of {@code %08x%08x} form, without {@code String.format}'s cost. */
    static String uid(int validity, long sequence) {
        String low = sequence >= 0 && sequence <= 0xffffffffL ? HEX.toHexDigits((int) sequence) : Long.toHexString(sequence);
        return HEX.toHexDigits(validity) + low;
    }

    /**
     * Says which listing of cur/ the entries now describe (null: none can be vouched for). A
     * listing is trusted at the next open only if the file was written after it by a margin, so
     * the same listing is written again when the file on disk is not yet far enough from it.
     */
    void listed(Listing now, Duration margin) {
        if (!Objects.equals(listing, now) || now != null && !writtenAfter(now, margin)) {
            listing = now;
            changed = true;
        }
    }

    /**
     * Whether the entries are exactly cur/ now, without listing it: cur/ is the very directory
     * with the very mtime the index was written for, the file was written at least
     * {@code margin} after that mtime (a change within the same timestamp tick as the listing
     * would leave the mtime as it was), and every entry has a name, a size and a form.
     */
    boolean current(Listing now, Duration margin) {
        if (listing == null || !listing.equals(now) || !writtenAfter(listing, margin)) {
            return false;
        }
        if (entries == null) {
            return true; // detached: only from an index that was complete (and its entries never change)
        }
        for (Entry entry : entries.values()) {
            if (entry.name() == null || entry.rawSize() < 0 || entry.form() == Form.UNKNOWN) {
                return false;
            }
        }
        return true;
    }

    private boolean writtenAfter(Listing listed, Duration margin) {
        if (writtenAt == null) {
            return false;
        }
        long written = writtenAt.to(java.util.concurrent.TimeUnit.NANOSECONDS);
        return written - listed.mtimeNanos() >= margin.toNanos();
    }

    /** Keeps only the given base names (files that disappeared are forgotten; UIDs are not reused). */
    void retain(java.util.Set<String> bases) {
        if (!bases.containsAll(entries().keySet())) {
            changed |= own().keySet().retainAll(bases);
        }
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
            Entry entry = entries().get(base);
            if (entry != null) {
                own().put(base, new Entry(uid(session, sequence++), entry.rawSize(), entry.octets(), entry.form(),
                        entry.name(), entry.key()));
            }
        }
    }

    /** The file changed under a session: its size is read again at the next open (its UID stays). */
    void forgetSize(String base) {
        Entry known = entries().get(base);
        if (known != null && known.rawSize() >= 0) {
            own().put(base, new Entry(known.uid(), -1, known.octets(), known.form(), known.name(), known.key()));
            changed = true;
        }
    }

    /** A message was removed from cur/: the listing no longer holds (the next open lists cur/). */
    void remove(String base) {
        if (entries().containsKey(base)) {
            own().remove(base);
            changed = true;
            listing = null;
        }
    }

    /** Writes the index if it changed, crash-safely (temp file, fsync, rename, fsync dir). */
    void saveIfChanged() throws IOException {
        if (!changed) {
            return;
        }
        StringBuilder text = new StringBuilder(64 + entries().size() * 96);
        text.append(MAGIC).append(' ').append(HEX.toHexDigits(validity)).append(' ').append(next).append(' ');
        if (listing == null) {
            text.append("- -");
        } else {
            text.append(listing.key()).append(' ').append(listing.mtimeNanos());
        }
        text.append('\n');
        entries().forEach((base, e) -> {
            text.append(e.uid()).append(' ').append(e.rawSize()).append(' ').append(e.octets()).append(' ')
                    .append(e.form().code).append(' ').append(e.key() == null ? "-" : e.key()).append(' ');
            if (e.name() == null) {
                text.append("- ").append(base);
            } else {
                text.append(base.length()).append(' ').append(e.name());
            }
            text.append('\n');
        });
        try {
            Fsync.replace(file, text.toString());
            changed = false;
        } finally {
            written.run(); // also after a failure: the rename may have happened
        }
    }
}

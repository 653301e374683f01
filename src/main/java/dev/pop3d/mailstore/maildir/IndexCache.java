package dev.pop3d.mailstore.maildir;

import dev.pop3d.mailstore.MessageRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The index of each maildrop, read at login, and the snapshots of large maildrops kept across
 * logins so that the next login of an unchanged maildrop reads no file (ADR 0013, amended). A
 * kept snapshot is tied to the identity of the index file it came from (file key, size, mtime):
 * a rewrite renames a new file over it. It is used only while the file has that identity and the
 * index is current for cur/ as it is now (ADR 0013's conditions, checked at every login, under
 * the maildrop's lock); every write of the index by this store forgets it. A file that was not
 * yet {@link #SETTLED} old when read is kept with its bytes, and compared byte for byte at each
 * use until it is: a rewrite within the same timestamp tick could reuse the file key and size.
 * Bounded by the number of messages held (least recently used out first). Thread-safe.
 */
final class IndexCache {
    /**
     * Smaller maildrops are not kept: their index reads in microseconds, and keeping every small
     * one would cost memory per user (10,000 idle one-message users) for nothing.
     */
    static final int MIN_MESSAGES = 100;
    /**
     * Messages held in all: measured at 483 octets of heap each (a 10,000-message maildrop, heap
     * with and without its kept snapshot), so ≈ 48 MB at most; nothing more while a session
     * holds the same snapshot (it shares the lists).
     */
    static final long MAX_MESSAGES = 100_000;
    /** How old (by the file system's clock) a file must be for its identity alone to vouch for it. */
    static final Duration SETTLED = MaildirStore.LISTING_MARGIN;

    /** What identifies one version of the index file. */
    record Identity(Object key, long size, long mtimeNanos) {
        /** Empty when the file system gives no file key: nothing to compare, so nothing is kept. */
        static Optional<Identity> of(BasicFileAttributes file) {
            return file.fileKey() == null ? Optional.empty()
                    : Optional.of(new Identity(file.fileKey(), file.size(), file.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
        }
    }

    /**
     * A snapshot from a current index: the index (never changed: sessions get shared copies), the
     * lists, and the file's bytes while it is not known to be settled (else null).
     */
    record Snapshot(Identity file, MaildirIndex index, List<MessageRef> messages, List<MaildirMaildrop.Stored> stored,
                    byte[] bytes) {}

    /** What a login gets: the snapshot if the index is current (then no listing), and the index. */
    record Loaded(MaildirIndex index, Optional<Snapshot> snapshot) {}

    private final Kept kept;
    private final AtomicLong reads = new AtomicLong();

    IndexCache(long maxMessages) {
        this.kept = new Kept(maxMessages);
    }

    /**
     * Least recently used out first, weighed by messages. A plain map, not Caffeine: one look-up
     * per login needs no concurrent cache, and Caffeine's first use loads and links its generated
     * classes, which the first login after a restart would wait for.
     */
    private static final class Kept {
        private final long maxMessages;
        private final LinkedHashMap<Path, Snapshot> byUse = new LinkedHashMap<>(16, 0.75f, true);
        private long messages;

        Kept(long maxMessages) {
            this.maxMessages = maxMessages;
        }

        synchronized Snapshot getIfPresent(Path maildir) {
            return byUse.get(maildir);
        }

        synchronized void put(Path maildir, Snapshot snapshot) {
            invalidate(maildir);
            byUse.put(maildir, snapshot);
            messages += snapshot.messages().size();
            for (var eldest = byUse.entrySet().iterator(); messages > maxMessages && eldest.hasNext(); ) {
                messages -= eldest.next().getValue().messages().size();
                eldest.remove();
            }
        }

        synchronized void invalidate(Path maildir) {
            Snapshot gone = byUse.remove(maildir);
            if (gone != null) {
                messages -= gone.messages().size();
            }
        }

        synchronized long messages() {
            return messages;
        }
    }

    /**
     * The index of {@code maildir} and, when it is {@code current} for {@code listing} (null: not
     * to be trusted, list cur/), the snapshot it gives. Call with the maildrop's lock held.
     */
    Loaded load(Path maildir, MaildirIndex.Listing listing, MaildropLock.Held lock) throws IOException {
        Path file = maildir.resolve(MaildirIndex.FILE);
        BasicFileAttributes now = attributesOrNull(file);
        Snapshot known = now == null || listing == null ? null : kept.getIfPresent(maildir);
        Optional<Identity> identity = now == null ? Optional.empty() : Identity.of(now);
        byte[] bytes = null;
        if (known != null && identity.filter(known.file()::equals).isPresent()) {
            if (known.bytes() != null) { // not settled when read: the same bytes, or a rewrite
                bytes = readOrNull(file);
            }
            boolean same = known.bytes() == null || Arrays.equals(known.bytes(), bytes);
            if (same && known.index().current(listing, MaildirStore.LISTING_MARGIN)) {
                if (known.bytes() != null && settled(now, lock)) {
                    kept.put(maildir, new Snapshot(known.file(), known.index(), known.messages(), known.stored(), null));
                }
                return new Loaded(withHook(maildir, known.index().share()), Optional.of(known));
            }
        }
        kept.invalidate(maildir);
        if (now != null && bytes == null) {
            bytes = readOrNull(file);
        }
        MaildirIndex index = withHook(maildir, bytes == null ? MaildirIndex.fresh(file) : MaildirIndex.read(file, now, bytes));
        if (listing == null || !index.current(listing, MaildirStore.LISTING_MARGIN)) {
            return new Loaded(index, Optional.empty());
        }
        Optional<Snapshot> snapshot = fromIndex(index);
        if (snapshot.isPresent() && identity.isPresent() && snapshot.get().messages().size() >= MIN_MESSAGES
                && identity.equals(Optional.ofNullable(attributesOrNull(file)).flatMap(Identity::of))) {
            List<MessageRef> messages = snapshot.get().messages();
            List<MaildirMaildrop.Stored> stored = snapshot.get().stored();
            // the lists alone are kept (not this session's index): its entries are made again if asked for
            MaildirIndex detached = index.detached(() -> entriesOf(messages, stored));
            kept.put(maildir, new Snapshot(identity.get(), detached, messages, stored, settled(now, lock) ? null : bytes));
        }
        return new Loaded(index, snapshot);
    }

    /** Forgets the snapshot kept for {@code maildir} (its index is being written). */
    void forget(Path maildir) {
        kept.invalidate(maildir);
    }

    /** Index files read so far (the kept snapshots spare the others). */
    long reads() {
        return reads.get();
    }

    /** Messages held now (tests). */
    long messagesHeld() {
        return kept.messages();
    }

    private MaildirIndex withHook(Path maildir, MaildirIndex index) {
        index.onWrite(() -> forget(maildir));
        return index;
    }

    /**
     * Whether the file was at least {@link #SETTLED} old by the file system's own clock (the lock's
     * ctime, set by this login before the read): a later rewrite then gets a later mtime, even with
     * 1 s timestamps, so the identity alone tells it apart. Unknown clock: not settled.
     */
    private static boolean settled(BasicFileAttributes file, MaildropLock.Held lock) {
        Optional<FileTime> clock = lock.changedAt();
        return clock.isPresent() && clock.get().to(TimeUnit.NANOSECONDS)
                - file.lastModifiedTime().to(TimeUnit.NANOSECONDS) >= SETTLED.toNanos();
    }

    private byte[] readOrNull(Path file) throws IOException {
        reads.incrementAndGet();
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    private static BasicFileAttributes attributesOrNull(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The entries of a kept snapshot, made again for a session that changes its index (rare: a QUIT that deletes). */
    private static Map<String, MaildirIndex.Entry> entriesOf(List<MessageRef> messages, List<MaildirMaildrop.Stored> stored) {
        Map<String, MaildirIndex.Entry> entries = new LinkedHashMap<>(stored.size() * 2);
        for (int i = 0; i < stored.size(); i++) {
            MaildirMaildrop.Stored file = stored.get(i);
            entries.put(file.base(), new MaildirIndex.Entry(messages.get(i).uid(), file.size(), messages.get(i).octets(),
                    file.clean() ? MaildirIndex.Form.CLEAN : MaildirIndex.Form.STUFFED, file.name(), file.key()));
        }
        return entries;
    }

    /**
     * The snapshot straight from a current index (no file of cur/ listed or stat'ed): the
     * open-time checks of each message (no symlink, regular file, size and inode as indexed) still
     * refuse a file that is not the indexed one. Empty if the index holds one file name twice.
     */
    private static Optional<Snapshot> fromIndex(MaildirIndex index) {
        Collection<Map.Entry<String, MaildirIndex.Entry>> entries = index.inFileOrder();
        String previous = null;
        for (Map.Entry<String, MaildirIndex.Entry> indexed : entries) {
            String name = indexed.getValue().name();
            if (previous != null && previous.compareTo(name) >= 0) {
                // usually written in name order already; delivery order is name order (ADR 0004)
                List<Map.Entry<String, MaildirIndex.Entry>> sorted = new ArrayList<>(entries);
                sorted.sort(Map.Entry.comparingByValue(Comparator.comparing(MaildirIndex.Entry::name)));
                entries = sorted;
                break;
            }
            previous = name;
        }
        MessageRef[] messages = new MessageRef[entries.size()];
        MaildirMaildrop.Stored[] stored = new MaildirMaildrop.Stored[entries.size()];
        previous = null;
        int i = 0;
        for (Map.Entry<String, MaildirIndex.Entry> indexed : entries) {
            MaildirIndex.Entry entry = indexed.getValue();
            if (entry.name().equals(previous) || !entry.name().startsWith(indexed.getKey())) {
                return Optional.empty();
            }
            previous = entry.name();
            messages[i] = new MessageRef(i + 1, entry.uid(), entry.octets());
            stored[i++] = new MaildirMaildrop.Stored(entry.name(), indexed.getKey().length(), entry.rawSize(), entry.key(),
                    entry.form() == MaildirIndex.Form.CLEAN);
        }
        return Optional.of(new Snapshot(null, index, List.of(messages), List.of(stored), null));
    }
}

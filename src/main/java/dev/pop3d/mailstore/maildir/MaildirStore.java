package dev.pop3d.mailstore.maildir;

import dev.pop3d.mailstore.MailStore;
import dev.pop3d.mailstore.MailboxInUseException;
import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MailstoreException;
import dev.pop3d.mailstore.MessageRef;
import dev.pop3d.mailcodec.CrlfOctets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Maildir maildrops: user {@code u} reads {@code <root>/u/Maildir}. The root is read at every
 * open, so it can change at run time while open sessions keep theirs. Blocking throughout.
 */
public final class MaildirStore implements MailStore, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MaildirStore.class);
    private static final int READ_CHUNK = 64 * 1024;
    private static final String[] FOLDERS = {"cur", "new", "tmp"};

    private final Supplier<Path> root;
    private final MaildropLock locks;
    private final InstantSource clock;
    /** How many message files were read to count octets (the index saves the rest). */
    private final java.util.concurrent.atomic.AtomicLong filesRead = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong listings = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong indexReads = new java.util.concurrent.atomic.AtomicLong();
    private final IndexCache indexes;

    public MaildirStore(Supplier<Path> root, MaildirSettings settings, InstantSource clock) {
        this(root, settings, clock, IndexCache.MAX_MESSAGES);
    }

    /** {@code cachedMessages}: how many messages the snapshots kept across logins may hold in all. */
    MaildirStore(Supplier<Path> root, MaildirSettings settings, InstantSource clock, long cachedMessages) {
        this.root = root;
        this.locks = new MaildropLock(settings, clock);
        this.clock = clock;
        this.indexes = new IndexCache(cachedMessages);
    }

    /** The Maildir of {@code user} under {@code root}, for delivery and fixtures. */
    public static Path maildir(Path root, String user) {
        return root.resolve(user).resolve("Maildir");
    }

    @Override
    public Maildrop open(String user) throws MailstoreException {
        if (!acceptableUser(user)) {
            throw new MailstoreException("refused user name for a maildrop");
        }
        Path maildir = maildir(root.get(), user);
        MaildropLock.Held lock;
        try {
            requireRealFolders(maildir);
            lock = locks.acquire(maildir);
        } catch (MailboxInUseException e) {
            throw e;
        } catch (IOException e) {
            throw new MailstoreException("cannot prepare " + maildir, e);
        }
        try {
            sweepLeftovers(maildir);
            boolean replayed = DeletionJournal.replay(maildir);
            boolean moved = moveNewToCur(maildir);
            return snapshot(user, maildir, lock, replayed || moved);
        } catch (IOException | RuntimeException e) {
            lock.release();
            throw new MailstoreException("cannot read " + maildir, e);
        }
    }

    /** A moved-aside lock older than this is a leftover: a live contender holds one for microseconds. */
    private static final java.time.Duration ASIDE_LEFTOVER = java.time.Duration.ofMinutes(1);

    /**
     * Removes what a process killed mid-step left in the Maildir: temporary files of the index and
     * the deletion journal (only the lock holder writes them, and this login holds the lock) and
     * locks moved aside by a take-over or a release (once older than {@link #ASIDE_LEFTOVER}).
     * Only names the server makes; regular files and symlinks only; a failure is logged, never
     * fatal to the login.
     */
    private void sweepLeftovers(Path maildir) {
        java.time.Instant asideBefore = clock.instant().minus(ASIDE_LEFTOVER);
        int removed = 0;
        // a prefix test, not a glob: a glob compiles a regular expression at every login
        DirectoryStream.Filter<Path> leftovers = entry -> {
            String name = entry.getFileName().toString();
            return name.startsWith(MaildirIndex.FILE + ".tmp.") || name.startsWith(DeletionJournal.FILE + ".tmp.")
                    || name.startsWith(MaildropLock.FILE + ".stale.") || name.startsWith(MaildropLock.FILE + ".released.");
        };
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(maildir, leftovers)) {
            for (Path entry : entries) {
                BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                boolean aside = entry.getFileName().toString().startsWith(MaildropLock.FILE + ".");
                if (attributes.isDirectory() || aside && !attributes.lastModifiedTime().toInstant().isBefore(asideBefore)) {
                    continue;
                }
                if (Files.deleteIfExists(entry)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.warnf("leftovers in %s not removed: %s", maildir, MailstoreException.reason(e));
        }
        if (removed > 0) {
            LOG.infof("removed %d temporary files of %s left by a process that was killed", removed, maildir);
        }
    }

    /**
     * cur/, new/ and tmp/ must be directories themselves, not symlinks to one: a link would let
     * LIST show, and DELE+QUIT remove, files outside the Maildir.
     */
    private static void requireRealFolders(Path maildir) throws MailstoreException, IOException {
        for (String sub : FOLDERS) {
            Path folder = maildir.resolve(sub);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(folder, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException missing) {
                Files.createDirectories(folder); // a new maildrop (one lstat per folder when it exists)
                attributes = Files.readAttributes(folder, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            }
            if (!attributes.isDirectory()) {
                LOG.errorf("refusing maildrop %s: %s/ is not a directory (a symlink?)", maildir, sub);
                throw new MailstoreException("maildrop " + maildir + ": " + sub + "/ is not a directory");
            }
        }
    }

    /**
     * The name of a listed file as a String, if it maps back to the very same file: a name that is
     * not valid in the JVM's file-name encoding ({@code sun.jnu.encoding}) decodes lossily, and
     * would open another path or none. Such a file is skipped with one log line.
     */
    static java.util.Optional<String> roundTripName(Path file) {
        String name = file.getFileName().toString();
        try {
            if (file.resolveSibling(name).equals(file)) {
                return java.util.Optional.of(name);
            }
        } catch (java.nio.file.InvalidPathException e) {
            // falls through: not representable
        }
        LOG.warnf("skipping %s in %s: its name is not valid in the file-name encoding %s", name.replace('\uFFFD', '?'),
                file.getParent(), System.getProperty("sun.jnu.encoding"));
        return java.util.Optional.empty();
    }

    /**
     * At login, delivered mail moves into cur/ (RFC 1939 sessions see a fixed list). Returns
     * whether anything moved; only then are cur/ and new/ synced (nothing to make durable else).
     */
    private static boolean moveNewToCur(Path maildir) throws IOException {
        Path cur = maildir.resolve("cur");
        boolean moved = false;
        try (DirectoryStream<Path> fresh = Files.newDirectoryStream(maildir.resolve("new"))) {
            for (Path file : fresh) {
                String name = roundTripName(file).orElse("");
                if (!acceptableName(name) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String target = name.contains(":") ? name : name + ":2,";
                try {
                    Files.move(file, cur.resolve(target), StandardCopyOption.ATOMIC_MOVE);
                    moved = true;
                } catch (FileAlreadyExistsException e) {
                    LOG.warnf("%s left in new/: %s already exists in cur/", name, target);
                } catch (NoSuchFileException e) {
                    // taken by another reader meanwhile
                } catch (AccessDeniedException e) {
                    // cur/ or new/ not writable: serve cur/ as it is (the mail waits in new/), told once
                    LOG.warnf("new mail of %s left in new/: %s", maildir, MailstoreException.reason(e));
                    break;
                }
            }
        }
        if (moved) {
            Fsync.directory(cur);
            Fsync.directory(maildir.resolve("new"));
        }
        return moved;
    }

    /**
     * A listing of cur/ is vouched for only when cur/'s mtime was this far in the past as the
     * listing began, and the index was written this long after that mtime: a change in the same
     * timestamp tick (1 s on coarse file systems) as the listed state leaves the mtime as it was.
     */
    static final java.time.Duration LISTING_MARGIN = java.time.Duration.ofSeconds(2);

    /** {@code changed}: this login changed cur/ itself (moved new mail in, replayed a journal): list it. */
    private Maildrop snapshot(String user, Path maildir, MaildropLock.Held lock, boolean changed) throws IOException {
        Path cur = maildir.resolve("cur");
        java.time.Instant listingStarts = clock.instant();
        long listingStartsNanos = System.nanoTime();
        BasicFileAttributes curNow = Files.readAttributes(cur, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        MaildirIndex.Listing listing = listingOf(curNow);
        IndexCache.Loaded loaded = indexes.load(maildir, changed ? null : listing, lock);
        if (loaded.snapshot().isPresent()) {
            IndexCache.Snapshot snapshot = loaded.snapshot().get();
            return new MaildirMaildrop(user, maildir, snapshot.messages(), snapshot.stored(), loaded.index(), lock);
        }
        MaildirIndex index = loaded.index();
        listings.incrementAndGet();
        TreeMap<String, BasicFileAttributes> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(cur)) {
            for (Path file : entries) {
                String name = roundTripName(file).orElse("");
                if (!acceptableName(name)) {
                    continue;
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile()) {
                        files.put(name, attributes);
                    }
                } catch (NoSuchFileException e) {
                    // removed meanwhile by another agent
                }
            }
        }
        List<MessageRef> messages = new ArrayList<>(files.size());
        List<MaildirMaildrop.Stored> names = new ArrayList<>(files.size());
        Set<String> bases = new HashSet<>();
        List<String> baseOf = new ArrayList<>(files.size());
        boolean complete = true;
        for (var file : files.entrySet()) {
            String base = baseName(file.getKey());
            if (!bases.add(base)) {
                base = file.getKey(); // two flag variants of one base name: keep both apart
                bases.add(base);
            }
            long size = file.getValue().size();
            String key = keyText(file.getValue().fileKey());
            MaildirIndex.Entry known = index.get(base);
            Counted counted;
            try {
                counted = known != null && known.rawSize() == size && known.form() != MaildirIndex.Form.UNKNOWN
                        ? new Counted(known.octets(), known.form())
                        : countOctets(cur.resolve(file.getKey()));
            } catch (NoSuchFileException | AccessDeniedException e) {
                // removed meanwhile, or unreadable (a file mode): one message must not lock the user
                // out of the others. Not listed this session; its index entry (UID) stays.
                LOG.warnf("message %s of %s not listed this session: %s", file.getKey(), maildir,
                        MailstoreException.reason(e));
                complete = false;
                continue;
            }
            MaildirIndex.Entry entry = index.put(base, file.getKey(), size, counted.octets(), counted.form(), key);
            names.add(new MaildirMaildrop.Stored(file.getKey(), base.length(), size, key, entry.form() == MaildirIndex.Form.CLEAN));
            baseOf.add(base);
        }
        index.retain(bases);
        // settled: cur/'s mtime was a margin old as the listing began (by the store's clock), and the
        // listing was quick, so the index file's own mtime (checked at load) bounds its start too
        boolean settled = listing != null && !listingStarts.isBefore(
                java.time.Instant.EPOCH.plusNanos(listing.mtimeNanos()).plus(LISTING_MARGIN))
                && System.nanoTime() - listingStartsNanos < LISTING_MARGIN.toNanos() / 4;
        index.listed(complete && settled ? listing : null, LISTING_MARGIN);
        try {
            index.saveIfChanged();
        } catch (IOException full) {
            // A full disk must not lock the user out (DELE + QUIT frees space): serve with UIDs of
            // this session only for mail the index does not hold yet, so none can ever be reused.
            LOG.warnf("index of %s not saved (%s): new messages get UIDs for this session only", maildir,
                    full.getMessage());
            index.makeNewUidsProvisional();
        }
        for (String base : baseOf) {
            MaildirIndex.Entry entry = index.get(base);
            messages.add(new MessageRef(messages.size() + 1, entry.uid(), entry.octets()));
        }
        return new MaildirMaildrop(user, maildir, messages, names, index, lock);
    }

    /** Index files read so far (the snapshots kept across logins spare the others). */
    long indexReads() {
        return indexes.reads();
    }

    /** Messages of the snapshots kept across logins. */
    long messagesKept() {
        return indexes.messagesHeld();
    }

    /** cur/'s identity and mtime, or null if it has no identity to compare. */
    private static MaildirIndex.Listing listingOf(BasicFileAttributes cur) {
        String key = keyText(cur.fileKey());
        return key == null ? null : new MaildirIndex.Listing(key,
                cur.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    /** A file key (dev and inode on Unix) as one index field, or null if there is none or it has blanks. */
    static String keyText(Object fileKey) {
        if (fileKey == null) {
            return null;
        }
        String text = fileKey.toString();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) <= ' ') {
                return null;
            }
        }
        return text.isEmpty() || text.equals("-") ? null : text;
    }

    /** What one read of a message file tells: its CRLF octets and whether it is already the wire form. */
    private record Counted(long octets, MaildirIndex.Form form) {}

    private Counted countOctets(Path file) throws IOException {
        filesRead.incrementAndGet();
        CrlfOctets counter = new CrlfOctets();
        byte[] chunk = new byte[READ_CHUNK];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
                counter.update(chunk, 0, n);
            }
        }
        return new Counted(counter.octets(), MaildirIndex.Form.of(counter.clean()));
    }

    /** Logins that listed cur/ (the others were served from a current index). */
    long listings() {
        return listings.get();
    }

    /** Message files read so far to count their size (the index spares the others). */
    long filesRead() {
        return filesRead.get();
    }

    /** Maildir file name up to the info separator ':' — stable when flags change. */
    static String baseName(String fileName) {
        int colon = fileName.indexOf(':');
        return colon < 0 ? fileName : fileName.substring(0, colon);
    }

    /** Dot-files are not mail; names with line breaks could not be indexed. */
    static boolean acceptableName(String name) {
        return !name.isEmpty() && !name.startsWith(".") && name.indexOf('\n') < 0 && name.indexOf('\r') < 0
                && name.indexOf('/') < 0;
    }

    /** User names become directory names: nothing that could leave the root. */
    static boolean acceptableUser(String user) {
        if (user.isEmpty() || user.equals(".") || user.equals("..")) {
            return false;
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Stops the lock heartbeat. Locks still held are released by their sessions. */
    @Override
    public void close() {
        locks.close();
    }
}

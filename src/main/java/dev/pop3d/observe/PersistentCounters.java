package dev.pop3d.observe;

import dev.pop3d.observe.CountersDirectory.Retired;
import dev.pop3d.observe.CountersDirectory.Share;
import dev.pop3d.observe.CountersDirectory.Values;
import dev.pop3d.platform.HostName;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The counters an operator expects to survive restarts and rollouts (CONF1 HTU and BTF). Each
 * instance counts in memory and {@link #save()}s its share to {@code <data-dir>/stats/<host>.counters}
 * every {@link #SAVE_INTERVAL}; the value reported ({@link #historicLogins()},
 * {@link #historicBytesSent()}) is the sum over every share and {@code stats/retired.counters}.
 * A share released by a clean shutdown ({@link #release()}), or not written for {@link #STALE_AFTER},
 * belongs to an instance that stopped: the next save of another instance folds it into
 * {@code retired.counters}, under the lock, so the directory holds one file per running instance
 * plus two. Never counted twice, never lost (ADR 0008):
 * <ul>
 *   <li>every write is temp file, fsync, rename; a fold writes retired.counters (recording the
 *       folded file's version) before it deletes the file, so a file whose version retired
 *       already records is left out of every sum and deleted by the next save;</li>
 *   <li>an instance never folds its own share; one that was folded while alive (paused longer
 *       than {@link #STALE_AFTER}) finds the fold recorded and writes only what is left;</li>
 *   <li>a name is taken only if its file is absent or released, under the lock: two instances
 *       with one host name (host networking) get {@code <host>.counters} and {@code <host>-1.counters};
 *       a restart after a clean shutdown continues its released share.</li>
 * </ul>
 */
public final class PersistentCounters {
    private static final Logger LOG = Logger.getLogger(PersistentCounters.class);
    /** How often the shell calls {@link #save()} (Observability: every 5 s); each save proves the instance alive. */
    public static final Duration SAVE_INTERVAL = Duration.ofSeconds(5);
    /** 12 missed saves: the instance stopped (clocks of the pods and the volume roughly in sync). */
    public static final Duration STALE_AFTER = SAVE_INTERVAL.multipliedBy(12);
    /** A fold record of a name whose file is gone is dropped after this (keeps retired.counters bounded). */
    static final Duration FOLD_RECORD_RETENTION = Duration.ofDays(7);
    private static final int LOCK_ATTEMPTS = 20;
    private static final long LOCK_RETRY_MS = 50;

    private static final int MAX_NAMES = 1000;

    private final CountersDirectory dir;
    private final String hostName;
    /** The share's name, taken at load (and again if another instance took it while this one was paused). */
    private String name;
    /** The version this instance last wrote; another version in our file means another instance writes it. */
    private String lastVersion;
    private boolean released;
    private final InstantSource clock;
    private final Duration staleAfter;
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** retired.counters' total for our name when we loaded our share, and as last seen. */
    private Values foldedAtStart = Values.ZERO;
    private Values foldedSeen = Values.ZERO;
    /** Everything but our own share: retired and the other shares, less what was folded of ours since load. */
    private volatile Values base = Values.ZERO;

    public PersistentCounters(Path dataDir, String instance) {
        this(dataDir, instance, InstantSource.system(), STALE_AFTER);
    }

    public PersistentCounters(Path dataDir, String instance, InstantSource clock, Duration staleAfter) {
        this.dir = new CountersDirectory(dataDir.resolve("stats"));
        this.hostName = fileName(instance);
        this.name = hostName;
        this.clock = clock;
        this.staleAfter = staleAfter;
        load();
    }

    /** The share's file name: the host name made safe, never the name of retired.counters. */
    static String fileName(String instance) {
        String safe = HostName.asFileName(instance);
        return safe.equals("retired") ? "retired-instance" : safe;
    }

    private void load() {
        if (!locked("read", this::claimAndLoad, this::claimAndLoad)) {
            try {
                claimAndLoad(); // the lock stayed busy: take a name anyway
            } catch (IOException e) {
                LOG.warnf("counters in %s unreadable (%s): this instance starts from 0", dir.dir(), e.getMessage());
            }
        }
    }

    /** Takes a free name, continues its released share if any, and writes it at once (so no twin takes it). */
    private void claimAndLoad() throws IOException {
        Retired damaged = retiredOrWarn();
        Retired retired = damaged == null ? Retired.EMPTY : damaged;
        Values found = adopt(freeName(null), retired);
        logins.set(found.logins()); // set, not add: a retried load counts once
        bytesSent.set(found.bytesSent());
        Map<String, Share> others = new TreeMap<>(dir.shares(this::unreadable));
        others.remove(name);
        others.entrySet().removeIf(e -> retired.holds(e.getKey(), e.getValue()));
        base = retired.total().plus(sum(others));
        writeOwn(Values.ZERO);
    }

    /** {@code <host>}, else {@code <host>-1}, ...: the first whose file is absent or released. */
    private String freeName(String taken) {
        for (int k = 0; k < MAX_NAMES; k++) {
            String candidate = k == 0 ? hostName : hostName + "-" + k;
            if (candidate.equals(taken)) {
                continue;
            }
            try {
                if (dir.share(candidate).map(Share::released).orElse(true)) {
                    return candidate;
                }
            } catch (IOException e) {
                unreadable(candidate, e.getMessage());
            }
        }
        return hostName + "-" + newVersion();
    }

    /** Makes {@code candidate} our share; returns what its released file holds, unless retired holds that already. */
    private Values adopt(String candidate, Retired retired) {
        name = candidate;
        foldedAtStart = foldedSeen = retired.foldedFor(name);
        try {
            return dir.share(name).filter(s -> !retired.holds(name, s)).map(Share::values).orElse(Values.ZERO);
        } catch (IOException e) {
            unreadable(name, e.getMessage() + "; this instance rewrites it");
            return Values.ZERO;
        }
    }

    private void writeOwn(Values ownFolded) throws IOException {
        String version = newVersion();
        dir.writeShare(name, version, new Values(logins.get(), bytesSent.get()).minus(ownFolded), released);
        lastVersion = version;
    }

    /** retired.counters, or null if damaged: never overwritten then; ERROR once, HTU/BTF leave it out. */
    private Retired retiredOrWarn() {
        try {
            return dir.retired();
        } catch (IOException e) {
            if (warned.add(CountersDirectory.RETIRED)) {
                LOG.errorf("%s: HTU and BTF leave it out, and nothing is folded, until it is fixed", e.getMessage());
            }
            return null;
        }
    }

    /** This instance's share since the data directory was created, as loaded plus counted (HTU part). */
    public AtomicLong logins() {
        return logins;
    }

    /** This instance's share of the octets written to POP3 clients (BTF part). */
    public AtomicLong bytesSent() {
        return bytesSent;
    }

    /** CONF1 HTU: successful logins of every instance that used this data directory. Never blocks. */
    public long historicLogins() {
        return base.logins() + logins.get();
    }

    /** CONF1 BTF: octets written to POP3 clients by every instance that used this data directory. Never blocks. */
    public long historicBytesSent() {
        return base.bytesSent() + bytesSent.get();
    }

    /**
     * Writes this instance's share (every time: the write is the heartbeat), folds the shares of
     * stopped instances into retired.counters, and refreshes the sum. Blocking (a worker's job);
     * false if the lock stayed busy or the disk failed (the next save tries again).
     */
    public synchronized boolean save() {
        return !released && locked("save", () -> sync(true), () -> sync(false));
    }

    /**
     * The last save, at a clean shutdown: the share is marked released, so another instance folds
     * it at once, or this instance's next start under the same host name continues it. Later
     * saves do nothing.
     */
    public synchronized void release() {
        if (!released) {
            released = true;
            if (!locked("save", () -> sync(true), () -> sync(false))) {
                LOG.debugf("%s not released: it is folded once stale", file());
            }
        }
    }

    /** Runs {@code action} under the stats lock, or {@code unlocked} where the volume cannot lock. */
    private boolean locked(String what, CountersDirectory.IoAction action, CountersDirectory.IoAction unlocked) {
        try {
            for (int attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
                switch (dir.tryLocked(action)) {
                    case HELD:
                        return true;
                    case UNSUPPORTED:
                        if (warned.add(CountersDirectory.LOCK)) {
                            LOG.warnf("%s cannot be locked on this volume: counters of stopped instances are not folded",
                                    dir.dir().resolve(CountersDirectory.LOCK));
                        }
                        unlocked.run();
                        return true;
                    case BUSY:
                        Thread.sleep(LOCK_RETRY_MS);
                        break;
                    default:
                        throw new IllegalStateException("unknown lock result");
                }
            }
            LOG.debugf("%s busy: counters not %s this time", dir.dir().resolve(CountersDirectory.LOCK), what);
        } catch (IOException e) {
            LOG.warnf("counters in %s not %s: %s", dir.dir(), what.equals("save") ? "saved" : "read", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void sync(boolean fold) throws IOException {
        Instant now = clock.instant();
        if (fold) {
            dir.removeLeftovers(); // every writer holds the lock: a temp file now is a crash's leftover
        }
        Retired before = retiredOrWarn();
        if (before == null) {
            writeOwn(foldedSeen.minus(foldedAtStart));
            return;
        }
        movedIfTaken(before);
        Map<String, Share> shares = new TreeMap<>(dir.shares(this::unreadable));
        shares.remove(name);
        Retired retired = before;
        List<String> folded = new ArrayList<>();
        for (Map.Entry<String, Share> e : shares.entrySet()) {
            if (retired.holds(e.getKey(), e.getValue())) {
                folded.add(e.getKey()); // added by a fold that stopped before its delete
            } else if (fold && (e.getValue().released() || e.getValue().modified().plus(staleAfter).isBefore(now))) {
                retired = retired.fold(e.getKey(), e.getValue(), now);
                folded.add(e.getKey());
            }
        }
        retired = withoutOldRecords(retired, shares.keySet(), now);
        foldedSeen = retired.folds().containsKey(name) ? retired.foldedFor(name) : foldedSeen;
        Values ownFolded = foldedSeen.minus(foldedAtStart);
        writeOwn(ownFolded);
        if (!retired.equals(before)) {
            dir.writeRetired(retired);
        }
        for (String other : folded) {
            dir.delete(other);
            shares.remove(other);
        }
        if (!folded.isEmpty()) {
            dir.syncDirectory();
            LOG.debugf("counters of %s folded into %s", folded, CountersDirectory.RETIRED);
        }
        base = retired.total().plus(sum(shares)).minus(ownFolded);
    }

    /**
     * Our file holds a version we did not write: while this instance was paused its share was
     * folded and another instance with our host name took the free name. Keep what was not
     * folded, and continue under another free name.
     */
    private void movedIfTaken(Retired retired) throws IOException {
        java.util.Optional<Share> ours;
        try {
            ours = dir.share(name);
        } catch (IOException e) {
            return; // damaged: rewritten below
        }
        if (lastVersion == null || ours.isEmpty() || ours.get().version().equals(lastVersion)) {
            return;
        }
        Values ownFolded = retired.foldedFor(name).minus(foldedAtStart);
        String taken = name;
        Values change = adopt(freeName(taken), retired).minus(ownFolded);
        logins.addAndGet(change.logins()); // deltas: logins counted meanwhile on the event loop stay
        bytesSent.addAndGet(change.bytesSent());
        LOG.warnf("another instance writes %s: this one continues as %s", dir.shareFile(taken), file());
    }

    private Retired withoutOldRecords(Retired retired, Set<String> present, Instant now) {
        Map<String, CountersDirectory.Fold> kept = new TreeMap<>(retired.folds());
        kept.entrySet().removeIf(e -> !e.getKey().equals(name) && !present.contains(e.getKey())
                && e.getValue().at().plus(FOLD_RECORD_RETENTION).isBefore(now));
        return kept.size() == retired.folds().size() ? retired : new Retired(retired.total(), kept);
    }

    private static Values sum(Map<String, Share> shares) {
        return shares.values().stream().map(Share::values).reduce(Values.ZERO, Values::plus);
    }

    private void unreadable(String share, String problem) {
        if (warned.add(share)) {
            LOG.warnf("counters of %s unreadable (%s): left out of HTU and BTF, never folded", share, problem);
        }
    }

    private static String newVersion() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }

    /** This instance's share file. */
    public Path file() {
        return dir.shareFile(name);
    }
}

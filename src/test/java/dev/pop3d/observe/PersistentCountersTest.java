package dev.pop3d.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTU and BTF across instances sharing one data directory, on real files: the sum over every
 * share and retired.counters; shares of stopped instances folded exactly once, also across a
 * crash between the steps of a fold; the directory bounded.
 */
class PersistentCountersTest {
    @TempDir
    Path data;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final InstantSource clock = () -> now.get();

    private PersistentCounters instance(String name) {
        return new PersistentCounters(data, name, clock, PersistentCounters.STALE_AFTER);
    }

    private static void count(PersistentCounters counters, long logins, long bytes) {
        counters.logins().addAndGet(logins);
        counters.bytesSent().addAndGet(bytes);
    }

    private Path stats() {
        return data.resolve("stats");
    }

    private Set<String> files() throws Exception {
        try (Stream<Path> files = Files.list(stats())) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The instance stopped long ago: its file was last written before the stale limit. */
    private void stopped(String name) throws Exception {
        Files.setLastModifiedTime(stats().resolve(name + ".counters"),
                FileTime.from(now.get().minus(PersistentCounters.STALE_AFTER).minusSeconds(1)));
    }

    @Test
    void twoInstancesOnOneDirectoryReportTheSum() {
        PersistentCounters a = instance("pop3d-a");
        PersistentCounters b = instance("pop3d-b");
        count(a, 3, 300);
        count(b, 2, 50);
        assertTrue(a.save());
        assertTrue(b.save());
        assertTrue(a.save());
        assertEquals(5, a.historicLogins());
        assertEquals(5, b.historicLogins());
        assertEquals(350, a.historicBytesSent());
        count(a, 1, 1);
        assertEquals(6, a.historicLogins(), "own counting shows at once, without a save");
        assertEquals(3 + 1, a.logins().get(), "logins() stays this instance's share");
    }

    @Test
    void aRestartAfterACleanShutdownContinuesTheReleasedShare() throws Exception {
        PersistentCounters first = instance("pop3d-a");
        count(first, 4, 40);
        first.release();
        assertFalse(first.save(), "nothing is written after the release");
        assertEquals("true", property("pop3d-a.counters", "released"));
        PersistentCounters again = instance("pop3d-a");
        assertEquals(4, again.logins().get(), "same host name, released share: continued");
        assertEquals(4, again.historicLogins());
        count(again, 1, 10);
        again.release();
        assertEquals(5, instance("pop3d-a").logins().get());
        assertEquals(Set.of("counters.lock", "pop3d-a.counters"), files());
    }

    @Test
    void aReleasedShareIsFoldedAtOnce() throws Exception {
        PersistentCounters leaving = instance("pop3d-old");
        count(leaving, 3, 30);
        leaving.release();
        PersistentCounters staying = instance("pop3d-new");
        staying.save();
        assertEquals(Set.of("counters.lock", "pop3d-new.counters", "retired.counters"), files());
        assertEquals(3, staying.historicLogins());
    }

    @Test
    void aCrashedInstanceRestartsUnderAFreeNameAndItsOldShareIsFoldedOnceStale() throws Exception {
        PersistentCounters crashed = instance("pop3d-a");
        count(crashed, 4, 40);
        crashed.save(); // then SIGKILL: never released
        PersistentCounters again = instance("pop3d-a");
        assertEquals(0, again.logins().get(), "the old share might still be written by a live twin: not taken");
        assertEquals(4, again.historicLogins());
        assertTrue(files().contains("pop3d-a-1.counters"), files().toString());
        stopped("pop3d-a");
        again.save();
        assertEquals(Set.of("counters.lock", "pop3d-a-1.counters", "retired.counters"), files());
        assertEquals(4, again.historicLogins());
    }

    @Test
    void twoInstancesWithOneHostNameKeepTwoShares() throws Exception {
        // host networking: every container has the host's name
        PersistentCounters a = instance("vm");
        PersistentCounters b = instance("vm");
        count(a, 2, 20);
        count(b, 3, 30);
        a.save();
        b.save();
        a.save();
        assertEquals(Set.of("counters.lock", "vm.counters", "vm-1.counters"), files());
        assertEquals(5, a.historicLogins());
        assertEquals(5, b.historicLogins());
    }

    @Test
    void anInstanceWhoseFreedNameWasTakenWhileItWasPausedMovesOnWithoutDoubleCounting() throws Exception {
        PersistentCounters paused = instance("vm");
        count(paused, 5, 50);
        paused.save();
        stopped("vm");
        PersistentCounters other = instance("other");
        other.save(); // folds the paused share: its name is free again
        PersistentCounters twin = instance("vm");
        count(twin, 2, 20);
        twin.save();
        count(paused, 1, 1);
        paused.save(); // finds a version it did not write in vm.counters
        assertTrue(files().contains("vm-1.counters"), files().toString());
        other.save();
        paused.save();
        twin.save();
        assertEquals(8, other.historicLogins());
        assertEquals(8, paused.historicLogins());
        assertEquals(8, twin.historicLogins());
        assertEquals(71, instance("late").historicBytesSent());
    }

    @Test
    void aStoppedInstanceIsFoldedOnceAndItsFileRemoved() throws Exception {
        PersistentCounters gone = instance("pop3d-old");
        count(gone, 7, 700);
        gone.save();
        PersistentCounters live = instance("pop3d-new");
        count(live, 1, 10);
        live.save();
        assertTrue(files().contains("pop3d-old.counters"), "not stale yet: not folded");
        stopped("pop3d-old");
        live.save();
        assertEquals(Set.of("counters.lock", "pop3d-new.counters", "retired.counters"), files());
        assertEquals(8, live.historicLogins());
        assertEquals(710, live.historicBytesSent());
        live.save();
        live.save();
        assertEquals(8, live.historicLogins(), "folded once");
        assertEquals(8, instance("pop3d-third").historicLogins(), "a new instance reads the same sum");
    }

    @Test
    void anInstanceNeverFoldsItsOwnShare() throws Exception {
        PersistentCounters a = instance("pop3d-a");
        count(a, 2, 20);
        a.save();
        stopped("pop3d-a");
        now.set(now.get().plus(Duration.ofHours(1)));
        a.save();
        assertFalse(files().contains("retired.counters"));
        assertEquals(2, a.historicLogins());
    }

    @Test
    void anInstanceFoldedWhileItWasAliveIsNotCountedTwice() throws Exception {
        PersistentCounters paused = instance("pop3d-paused");
        count(paused, 5, 500);
        paused.save();
        PersistentCounters other = instance("pop3d-other");
        stopped("pop3d-paused");
        other.save(); // folds the paused pod's 5 logins although it still runs
        assertFalse(files().contains("pop3d-paused.counters"));
        count(paused, 1, 1);
        paused.save(); // it comes back, finds its fold recorded, writes only what is left
        other.save();
        assertEquals(6, paused.historicLogins());
        assertEquals(6, other.historicLogins());
        assertEquals(501, other.historicBytesSent());
        assertEquals("1", property("pop3d-paused.counters", "historic-logins"));
        PersistentCounters restarted = instance("pop3d-paused");
        assertEquals(6, restarted.historicLogins(), "and a restart with the same name continues from there");
    }

    @Test
    void aCrashBetweenTheRenameOfRetiredAndTheDeleteCountsNothingTwice() throws Exception {
        PersistentCounters gone = instance("pop3d-old");
        count(gone, 3, 30);
        gone.save();
        Path share = stats().resolve("pop3d-old.counters");
        stopped("pop3d-old");
        byte[] beforeFold = Files.readAllBytes(share);
        FileTime modified = Files.getLastModifiedTime(share);
        PersistentCounters live = instance("pop3d-live");
        live.save();
        // the same state on disk as a fold that died after renaming retired.counters, before the delete
        Files.write(share, beforeFold);
        Files.setLastModifiedTime(share, modified);
        PersistentCounters afterCrash = instance("pop3d-late");
        assertEquals(3, afterCrash.historicLogins(), "a file retired already holds is left out of the sum");
        live.save();
        assertEquals(3, live.historicLogins());
        assertFalse(Files.exists(share), "and the interrupted fold's delete is finished");
        assertEquals("3", property("retired.counters", "historic-logins"));
    }

    @Test
    void aCrashBeforeTheRenameLeavesOnlyATempFileThatIsIgnoredAndRemoved() throws Exception {
        PersistentCounters a = instance("pop3d-a");
        count(a, 2, 20);
        a.save();
        Files.writeString(stats().resolve("retired.counters.tmp"), "historic-logins=999\n");
        Files.writeString(stats().resolve("pop3d-b.counters.tmp"), "historic-logins=99");
        PersistentCounters b = instance("pop3d-b");
        assertEquals(2, b.historicLogins());
        b.save();
        assertEquals(Set.of("counters.lock", "pop3d-a.counters", "pop3d-b.counters"), files());
    }

    @Test
    void aRestartedOwnerWhoseFileWasFoldedButNotDeletedStartsFromZero() throws Exception {
        PersistentCounters gone = instance("pop3d-x");
        count(gone, 4, 40);
        gone.save();
        Path share = stats().resolve("pop3d-x.counters");
        byte[] beforeFold = Files.readAllBytes(share);
        stopped("pop3d-x");
        instance("pop3d-y").save();
        Files.write(share, beforeFold); // the crash again
        PersistentCounters back = instance("pop3d-x");
        assertEquals(0, back.logins().get());
        assertEquals(4, back.historicLogins());
        count(back, 1, 1);
        back.save();
        assertEquals(5, instance("pop3d-z").historicLogins());
    }

    @Test
    void rolloutsKeepTheDirectoryBoundedAndTheSumExact() throws Exception {
        PersistentCounters survivor = instance("pop3d-survivor");
        long logins = 0;
        for (int rollout = 0; rollout < 40; rollout++) {
            PersistentCounters pod = instance("pop3d-" + rollout);
            count(pod, rollout + 1, 10L * rollout);
            logins += rollout + 1;
            pod.save();
            stopped("pop3d-" + rollout);
            survivor.save();
            assertTrue(files().size() <= 3, files().toString());
        }
        assertEquals(logins, survivor.historicLogins());
        now.set(now.get().plus(PersistentCounters.FOLD_RECORD_RETENTION).plusSeconds(1));
        survivor.save();
        String retired = Files.readString(stats().resolve("retired.counters"));
        assertFalse(retired.contains("folded.pop3d-1="), "old fold records are dropped: " + retired);
        assertEquals(logins, survivor.historicLogins(), "and the total stays");
    }

    @Test
    void twoInstancesSavingAtOnceWhileFoldingEachOtherLoseNothing() throws Exception {
        // the harshest timing: stale at once, so every save of one folds the other's share
        PersistentCounters a = new PersistentCounters(data, "pop3d-a", clock, Duration.ZERO);
        PersistentCounters b = new PersistentCounters(data, "pop3d-b", clock, Duration.ZERO);
        now.set(now.get().plusSeconds(3600));
        List<Thread> threads = new ArrayList<>();
        for (PersistentCounters counters : List.of(a, b)) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    count(counters, 1, 3);
                    counters.save();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        while (!a.save() || !b.save() || !a.save()) {
            Thread.onSpinWait();
        }
        assertEquals(200, a.historicLogins());
        assertEquals(200, b.historicLogins());
        assertEquals(600, a.historicBytesSent());
        assertEquals(200, instance("pop3d-c").historicLogins());
    }

    @Test
    void aDamagedShareIsLeftOutAndNeverFolded() throws Exception {
        PersistentCounters a = instance("pop3d-a");
        count(a, 1, 1);
        a.save();
        Files.writeString(stats().resolve("pop3d-bad.counters"), "historic-logins=lots\n", StandardCharsets.UTF_8);
        stopped("pop3d-bad");
        a.save();
        assertEquals(1, a.historicLogins());
        assertTrue(files().contains("pop3d-bad.counters"), "kept for the operator to look at");
    }

    @Test
    void aHostNamedRetiredDoesNotOverwriteTheRetiredFile() {
        assertEquals("retired-instance", PersistentCounters.fileName("retired"));
        assertEquals("pod_1", PersistentCounters.fileName("pod/1"));
    }

    private String property(String file, String key) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.load(new java.io.StringReader(Files.readString(stats().resolve(file))));
        return p.getProperty(key);
    }
}

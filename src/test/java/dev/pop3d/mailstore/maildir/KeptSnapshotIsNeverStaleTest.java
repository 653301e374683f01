package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MessageChangedException;
import dev.pop3d.mailstore.MessageRef;
import dev.pop3d.mailstore.OpenedMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 (ADR 0013, amended): the snapshot of a large maildrop is kept across logins, so the
 * next login of an unchanged maildrop reads no index file; and every change by this store,
 * another store (another host) or a crash is seen at the next login, never a stale snapshot.
 */
class KeptSnapshotIsNeverStaleTest {
    private static final int MESSAGES = IndexCache.MIN_MESSAGES + 20;

    @TempDir
    Path root;
    private StoreFixture fixture;
    private StoreFixture otherHost;

    @AfterEach
    void close() {
        fixture.close();
        if (otherHost != null) {
            otherHost.close();
        }
    }

    /**
     * {@code n} messages in cur/, cur/ last changed a minute ago, indexed (the listing recorded).
     * {@code settled}: the index file dates from 30 s ago, so the next login keeps its snapshot
     * without its bytes; else it was just written.
     */
    private Path maildrop(int n, boolean settled) throws Exception {
        fixture = new StoreFixture(root);
        fixture.clock.set(Instant.now()); // the lock's ctime (the file system's clock) is compared too
        Path maildir = fixture.maildir("alice");
        Path cur = Files.createDirectories(maildir.resolve("cur"));
        Files.createDirectories(maildir.resolve("new"));
        Files.createDirectories(maildir.resolve("tmp"));
        for (int i = 0; i < n; i++) {
            String body = i % 2 == 0 ? "Subject: " + i + "\r\n\r\nbody\r\n" : "Subject: " + i + "\n\n.body\n";
            Files.writeString(cur.resolve(String.format("1700000000.M%06dP1.host:2,", i)), body);
        }
        Files.setLastModifiedTime(cur, FileTime.from(Instant.now().minusSeconds(60)));
        fixture.store.open("alice").release(); // lists cur/ and records that listing
        if (settled) {
            Files.setLastModifiedTime(maildir.resolve(MaildirIndex.FILE), FileTime.from(Instant.now().minusSeconds(30)));
        }
        return cur;
    }

    private List<String> uids(StoreFixture store) throws Exception {
        Maildrop drop = store.store.open("alice");
        List<String> uids = StoreFixture.uids(drop);
        drop.release();
        return uids;
    }

    @Test
    void theSecondLoginOfAnUnchangedMaildropReadsNoIndexFile() throws Exception {
        maildrop(MESSAGES, true);
        List<String> first = uids(fixture); // reads the index and keeps the snapshot
        long reads = fixture.store.indexReads();
        long listings = fixture.store.listings();

        Maildrop drop = fixture.store.open("alice");
        assertEquals(reads, fixture.store.indexReads(), "no index file read");
        assertEquals(listings, fixture.store.listings(), "no listing of cur/");
        assertEquals(first, StoreFixture.uids(drop));
        assertEquals(MESSAGES, fixture.store.messagesKept());
        MessageRef second = drop.messages().get(1);
        try (OpenedMessage opened = drop.open(second)) {
            assertEquals(21, second.octets(), "CRLF octets of a bare-LF message");
            assertEquals(Files.size(drop.path(second)), opened.octets(), "opened: its stored size");
        }
        drop.release();
    }

    @Test
    void anIndexNotYetSettledIsComparedByteForByteAndAnInPlaceRewriteIsSeen() throws Exception {
        maildrop(MESSAGES, false);
        List<String> first = uids(fixture); // kept with the file's bytes: written less than 2 s ago
        long reads = fixture.store.indexReads();
        assertEquals(first, uids(fixture));
        assertEquals(reads + 1, fixture.store.indexReads(), "read again to compare");

        // a rewrite that kept file key, size and mtime (same tick, reused inode): only the bytes differ
        Path index = fixture.maildir("alice").resolve(MaildirIndex.FILE);
        FileTime mtime = Files.getLastModifiedTime(index);
        String text = Files.readString(index, StandardCharsets.US_ASCII);
        String uid = first.get(0);
        String changed = uid.substring(0, 15) + (uid.charAt(15) == 'f' ? 'e' : 'f');
        Files.writeString(index, text.replace(uid + " ", changed + " "), StandardCharsets.US_ASCII);
        Files.setLastModifiedTime(index, mtime);

        assertEquals(changed, uids(fixture).get(0));
    }

    @Test
    void mailDeliveredToNewIsSeen() throws Exception {
        maildrop(MESSAGES, true);
        uids(fixture);
        fixture.deliver("alice", "Subject: new\r\n\r\nnew\r\n");
        assertEquals(MESSAGES + 1, uids(fixture).size());
        assertEquals(MESSAGES + 1, uids(fixture).size());
    }

    @Test
    void aFlagChangeInCurIsSeen() throws Exception {
        Path cur = maildrop(MESSAGES, true);
        List<String> before = uids(fixture);
        Path first = cur.resolve(String.format("1700000000.M%06dP1.host:2,", 0));
        Files.move(first, first.resolveSibling(first.getFileName() + "S"), StandardCopyOption.ATOMIC_MOVE);
        long listings = fixture.store.listings();

        Maildrop drop = fixture.store.open("alice");
        assertEquals(listings + 1, fixture.store.listings(), "cur/ changed: listed");
        assertTrue(drop.path(drop.messages().get(0)).getFileName().toString().endsWith(":2,S"));
        assertEquals(before, StoreFixture.uids(drop));
        drop.release();
    }

    @Test
    void anIndexRewrittenByAnotherHostIsRead() throws Exception {
        Path cur = maildrop(MESSAGES, true);
        List<String> before = uids(fixture);
        // another host's session finds message 3 changed in place (cur/'s mtime stays) and records
        // that in the index: its size is to be read again
        Path third = cur.resolve(String.format("1700000000.M%06dP1.host:2,", 2));
        FileTime curTime = Files.getLastModifiedTime(cur);
        otherHost = new StoreFixture(root);
        otherHost.clock.set(Instant.now());
        Maildrop there = otherHost.store.open("alice");
        Files.writeString(third, "Subject: 2\r\n\r\nlonger body now\r\n");
        assertThrows(MessageChangedException.class, () -> there.open(there.messages().get(2)));
        there.release();
        Files.setLastModifiedTime(cur, curTime);
        long reads = fixture.store.indexReads();

        Maildrop drop = fixture.store.open("alice");
        assertEquals(reads + 1, fixture.store.indexReads(), "the rewritten index is read");
        assertEquals(before, StoreFixture.uids(drop));
        assertEquals(31, drop.messages().get(2).octets(), "the new size");
        drop.release();
    }

    @Test
    void aMessageChangedUnderOurOwnSessionIsRecountedAtTheNextLogin() throws Exception {
        Path cur = maildrop(MESSAGES, true);
        uids(fixture);
        Maildrop drop = fixture.store.open("alice"); // from the kept snapshot: shares its index
        Path third = cur.resolve(String.format("1700000000.M%06dP1.host:2,", 2));
        FileTime curTime = Files.getLastModifiedTime(cur);
        Files.writeString(third, "Subject: 2\r\n\r\nlonger body now\r\n");
        Files.setLastModifiedTime(cur, curTime);
        assertThrows(MessageChangedException.class, () -> drop.open(drop.messages().get(2)));
        drop.release();

        Maildrop again = fixture.store.open("alice");
        assertEquals(31, again.messages().get(2).octets());
        try (OpenedMessage opened = again.open(again.messages().get(2))) {
            assertEquals(31, opened.octets());
        }
        again.release();
    }

    @Test
    void aDeletionJournalLeftByACrashIsReplayed() throws Exception {
        Path cur = maildrop(MESSAGES, true);
        List<String> before = uids(fixture);
        Path second = cur.resolve(String.format("1700000000.M%06dP1.host:2,", 1));
        FileTime curTime = Files.getLastModifiedTime(cur);
        Files.writeString(fixture.maildir("alice").resolve(DeletionJournal.FILE), second.getFileName() + "\n");
        Files.setLastModifiedTime(cur, curTime);

        List<String> after = uids(fixture);
        assertEquals(MESSAGES - 1, after.size());
        assertEquals(before.get(0), after.get(0));
        assertEquals(before.get(2), after.get(1));
    }

    @Test
    void ourOwnQuitThatDeletesIsSeen() throws Exception {
        maildrop(MESSAGES, true);
        List<String> before = uids(fixture);
        Maildrop drop = fixture.store.open("alice");
        drop.commit(Set.of(1));
        assertEquals(0, fixture.store.messagesKept(), "forgotten when the index was written");

        List<String> after = uids(fixture);
        assertEquals(before.subList(1, MESSAGES), after);
        assertEquals(after, uids(fixture));
    }

    @Test
    void smallMaildropsAreNotKept() throws Exception {
        maildrop(IndexCache.MIN_MESSAGES - 1, true);
        uids(fixture);
        long reads = fixture.store.indexReads();
        uids(fixture);
        assertEquals(reads + 1, fixture.store.indexReads());
        assertEquals(0, fixture.store.messagesKept());
    }

    @Test
    void theKeptSnapshotsAreBoundedByTheirMessages() throws Exception {
        int cap = MESSAGES + MESSAGES / 2;
        fixture = new StoreFixture(root, MaildirSettings.defaults(Duration.ofMinutes(2)), cap);
        fixture.clock.set(Instant.now());
        for (String user : List.of("alice", "bob")) {
            Path maildir = fixture.maildir(user);
            Path cur = Files.createDirectories(maildir.resolve("cur"));
            for (int i = 0; i < MESSAGES; i++) {
                Files.writeString(cur.resolve(String.format("1700000000.M%06dP1.host:2,", i)), "Subject: x\r\n\r\n" + i + "\r\n");
            }
            Files.setLastModifiedTime(cur, FileTime.from(Instant.now().minusSeconds(60)));
            fixture.store.open(user).release();
            Files.setLastModifiedTime(maildir.resolve(MaildirIndex.FILE), FileTime.from(Instant.now().minusSeconds(30)));
            fixture.store.open(user).release();
        }
        assertTrue(fixture.store.messagesKept() <= cap, "at most " + cap + " messages kept");
        assertNotEquals(0, fixture.store.messagesKept());
        assertEquals(MESSAGES, uids(fixture).size());
    }

    /** The lock's ctime is what "settled" is judged by; a clock this far off must not matter. */
    @Test
    void aStoreClockFarAheadDoesNotMakeAFreshIndexSettled() throws Exception {
        maildrop(MESSAGES, false);
        fixture.clock.set(Instant.now().plus(Duration.ofHours(1)));
        uids(fixture);
        long reads = fixture.store.indexReads();
        uids(fixture);
        assertEquals(reads + 1, fixture.store.indexReads(), "still compared byte for byte");
    }
}

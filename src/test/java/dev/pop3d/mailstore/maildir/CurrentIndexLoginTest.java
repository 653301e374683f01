package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MessageChangedException;
import dev.pop3d.mailstore.MessageRef;
import dev.pop3d.mailstore.OpenedMessage;
import java.nio.ByteBuffer;
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
 * Issue 11 (ADR 0013): a login whose index is current builds the snapshot without listing cur/;
 * every change the mtime of cur/ may hide (the same timestamp tick as the listing) still lists it,
 * and a file replaced behind a current index is refused when opened.
 */
class CurrentIndexLoginTest {
    @TempDir
    Path root;
    private StoreFixture fixture;

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Three delivered messages, logged into once (so they are in cur/). */
    private Path threeMessages() throws Exception {
        fixture = new StoreFixture(root);
        fixture.deliver("alice", "Subject: 1\r\n\r\none\r\n");
        fixture.deliver("alice", "Subject: 2\n\ntwo\n");
        fixture.deliver("alice", "Subject: 3\r\n\r\n.three\r\n");
        fixture.store.open("alice").release();
        return fixture.maildir("alice").resolve("cur");
    }

    /** cur/ last changed {@code ago} before the store's clock: the state a login then finds. */
    private FileTime curChanged(Path cur, Duration ago) throws Exception {
        FileTime time = FileTime.from(fixture.clock.instant().minus(ago));
        Files.setLastModifiedTime(cur, time);
        return time;
    }

    /**
     * Three messages whose index is current: cur/ last changed a minute ago, and listed (so
     * recorded) since. Returns that mtime of cur/, to put back after a change it should hide.
     */
    private FileTime currentIndex() throws Exception {
        FileTime settled = curChanged(threeMessages(), Duration.ofMinutes(1));
        uids();
        return settled;
    }

    private Path cur() {
        return fixture.maildir("alice").resolve("cur");
    }

    private List<String> uids() throws Exception {
        Maildrop drop = fixture.store.open("alice");
        List<String> uids = StoreFixture.uids(drop);
        drop.release();
        return uids;
    }

    @Test
    void aCurrentIndexServesTheLoginWithoutListingCur() throws Exception {
        Path cur = threeMessages();
        curChanged(cur, Duration.ofMinutes(1));
        List<String> listed = uids(); // lists cur/, and records that listing in the index
        long listings = fixture.store.listings();
        long read = fixture.store.filesRead();

        Maildrop drop = fixture.store.open("alice");
        assertEquals(listings, fixture.store.listings(), "served from the index");
        assertEquals(read, fixture.store.filesRead());
        assertEquals(listed, StoreFixture.uids(drop));
        assertEquals(List.of(19L, 19L, 22L), drop.messages().stream().map(MessageRef::octets).toList());
        for (MessageRef message : drop.messages()) {
            try (OpenedMessage opened = drop.open(message)) {
                ByteBuffer all = ByteBuffer.allocate(100);
                opened.channel().read(all);
                assertArrayEquals(Files.readAllBytes(drop.path(message)), java.util.Arrays.copyOf(all.array(), all.position()));
            }
        }
        drop.release();
    }

    @Test
    void theCleanFlagOfEachKindOfMessageAlsoFromACurrentIndex() throws Exception {
        fixture = new StoreFixture(root);
        String[] bodies = {
            "Subject: crlf\r\n\r\nbody\r\n",         // clean
            "Subject: lf\n\nbody\n",                 // bare LF
            "Subject: dot\r\n\r\n.body\r\n",         // a line starting with "."
            "Subject: open end\r\n\r\nbody",         // no final CRLF
            "",                                      // empty
        };
        for (String body : bodies) {
            fixture.deliver("alice", body);
        }
        List<Boolean> expected = List.of(true, false, false, false, true);
        assertEquals(expected, cleanFlags(), "first login: counted");
        curChanged(fixture.maildir("alice").resolve("cur"), Duration.ofMinutes(1));
        assertEquals(expected, cleanFlags(), "listed again, from the index's sizes");
        long listings = fixture.store.listings();
        assertEquals(expected, cleanFlags(), "from a current index");
        assertEquals(listings, fixture.store.listings());
    }

    private List<Boolean> cleanFlags() throws Exception {
        Maildrop drop = fixture.store.open("alice");
        List<Boolean> flags = new java.util.ArrayList<>();
        for (MessageRef message : drop.messages()) {
            try (OpenedMessage opened = drop.open(message)) {
                flags.add(opened.clean());
            }
        }
        drop.release();
        return flags;
    }

    @Test
    void aRenameInTheSameTickAsTheListingIsSeen() throws Exception {
        Path cur = threeMessages();
        // cur/ changed 0.5 s before this login: a later change may keep that very mtime
        FileTime tick = curChanged(cur, Duration.ofMillis(500));
        List<String> before = uids();
        Path first;
        try (var files = Files.list(cur)) {
            first = files.sorted().findFirst().orElseThrow();
        }
        Files.move(first, first.resolveSibling(first.getFileName() + "S"), StandardCopyOption.ATOMIC_MOVE);
        Files.setLastModifiedTime(cur, tick); // a coarse timestamp: the rename did not change it
        fixture.clock.advance(Duration.ofMinutes(5));
        long listings = fixture.store.listings();

        Maildrop drop = fixture.store.open("alice");
        assertEquals(listings + 1, fixture.store.listings(), "cur/ is listed again");
        assertTrue(drop.path(drop.messages().get(0)).getFileName().toString().endsWith(":2,S"));
        assertEquals(before, StoreFixture.uids(drop), "a flag change keeps the UID");
        try (OpenedMessage opened = drop.open(drop.messages().get(0))) {
            assertEquals(19, opened.octets());
        }
        drop.release();
    }

    @Test
    void anIndexWrittenWithinTheMarginOfTheListingIsNotTrusted() throws Exception {
        Path cur = threeMessages();
        // the store's clock is ahead of the file system's: only the index file's own mtime, written
        // right after cur/ changed, shows that the listing may have missed a change in that tick
        FileTime tick = FileTime.from(Instant.now().minusMillis(500));
        Files.setLastModifiedTime(cur, tick);
        fixture.clock.set(Instant.now().plus(Duration.ofHours(1)));
        uids();
        Path first;
        try (var files = Files.list(cur)) {
            first = files.sorted().findFirst().orElseThrow();
        }
        Files.move(first, first.resolveSibling(first.getFileName() + "S"), StandardCopyOption.ATOMIC_MOVE);
        Files.setLastModifiedTime(cur, tick);
        long listings = fixture.store.listings();

        Maildrop drop = fixture.store.open("alice");
        assertEquals(listings + 1, fixture.store.listings(), "cur/ is listed again");
        assertTrue(drop.path(drop.messages().get(0)).getFileName().toString().endsWith(":2,S"));
        drop.release();
    }

    @Test
    void aFileReplacedBehindACurrentIndexIsRefused() throws Exception {
        FileTime settled = currentIndex();
        Path cur = cur();
        Maildrop drop = fixture.store.open("alice");
        long listings = fixture.store.listings();
        Path stored = drop.path(drop.messages().get(0));
        drop.release();
        // same name, same size, another inode; cur/'s mtime put back as if the change hid in its tick
        Path other = Files.writeString(cur.resolveSibling("tmp").resolve("x"), "Subject: X\r\n\r\nTWO\r\n");
        Files.move(other, stored, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(cur, settled);

        Maildrop again = fixture.store.open("alice");
        assertEquals(listings, fixture.store.listings(), "the index still looks current");
        assertThrows(MessageChangedException.class, () -> again.open(again.messages().get(0)));
        try (OpenedMessage opened = again.open(again.messages().get(1))) {
            assertEquals(16, opened.octets(), "the others are served (raw size)");
        }
        again.release();
        Maildrop relisted = fixture.store.open("alice");
        assertEquals(listings + 1, fixture.store.listings(), "the refused file is listed again at the next login");
        try (OpenedMessage opened = relisted.open(relisted.messages().get(0))) {
            assertEquals(19, opened.octets());
        }
        relisted.release();
    }

    @Test
    void aFileTruncatedInPlaceBehindACurrentIndexIsRefused() throws Exception {
        currentIndex();
        Path cur = cur();
        Maildrop drop = fixture.store.open("alice");
        Path stored = drop.path(drop.messages().get(2));
        drop.release();
        Files.write(stored, "Subject: 3\r\n".getBytes(StandardCharsets.US_ASCII)); // cur/'s mtime stays

        Maildrop again = fixture.store.open("alice");
        assertThrows(MessageChangedException.class, () -> again.open(again.messages().get(2)));
        again.release();
    }

    @Test
    void aQuitThatDeletesListsCurAtTheNextLogin() throws Exception {
        currentIndex();
        Path cur = cur();
        Maildrop drop = fixture.store.open("alice");
        List<String> before = StoreFixture.uids(drop);
        drop.commit(Set.of(2));
        curChanged(cur, Duration.ofMinutes(1)); // even if cur/'s mtime did not show the unlink
        long listings = fixture.store.listings();

        Maildrop after = fixture.store.open("alice");
        assertEquals(listings + 1, fixture.store.listings());
        assertEquals(List.of(before.get(0), before.get(2)), StoreFixture.uids(after));
        after.release();
    }

    @Test
    void aReplayedDeletionJournalListsCur() throws Exception {
        FileTime settled = currentIndex();
        Path cur = cur();
        Maildrop drop = fixture.store.open("alice");
        List<String> before = StoreFixture.uids(drop);
        Path second = drop.path(drop.messages().get(1));
        drop.release();
        // a process killed in UPDATE after its unlinks, before the index was saved
        Files.writeString(fixture.maildir("alice").resolve(DeletionJournal.FILE), second.getFileName() + "\n");
        Files.delete(second);
        Files.setLastModifiedTime(cur, settled);
        long listings = fixture.store.listings();

        Maildrop after = fixture.store.open("alice");
        assertEquals(listings + 1, fixture.store.listings());
        assertEquals(List.of(before.get(0), before.get(2)), StoreFixture.uids(after));
        after.release();
    }

    @Test
    void mailDeliveredToNewIsListedAndNeverHiddenByACurrentIndex() throws Exception {
        currentIndex();
        fixture.deliver("alice", "Subject: 4\r\n\r\nfour\r\n");
        Maildrop drop = fixture.store.open("alice");
        assertEquals(4, drop.messages().size());
        drop.release();
    }

    @Test
    void aFormatOneIndexKeepsItsUidsAndIsRewrittenWithForms() throws Exception {
        Path cur = threeMessages();
        List<String> before = uids();
        Path index = fixture.maildir("alice").resolve(MaildirIndex.FILE);
        StringBuilder v1 = new StringBuilder("pop3d-uidlist 1 ")
                .append(before.get(0), 0, 8).append(' ').append(4).append('\n');
        Maildrop drop = fixture.store.open("alice");
        for (MessageRef message : drop.messages()) {
            String name = drop.path(message).getFileName().toString();
            v1.append(message.uid()).append(' ').append(Files.size(drop.path(message))).append(' ')
                    .append(message.octets()).append(' ').append(MaildirStore.baseName(name)).append('\n');
        }
        drop.release();
        Files.writeString(index, v1.toString());
        long read = fixture.store.filesRead();

        assertEquals(before, uids());
        assertEquals(read + 3, fixture.store.filesRead(), "each file read once to learn its form");
        String rewritten = Files.readString(index);
        assertTrue(rewritten.startsWith(MaildirIndex.MAGIC + " "), rewritten);
        assertEquals(List.of(true, false, false), cleanFlags());
        curChanged(cur, Duration.ofMinutes(1));
        assertEquals(before, uids());
    }
}

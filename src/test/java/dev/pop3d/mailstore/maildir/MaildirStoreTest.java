package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.mailstore.MailboxInUseException;
import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MailstoreException;
import dev.pop3d.mailstore.MessageRef;
import dev.pop3d.mailcodec.CrlfOctets;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Maildir store on real files. */
class MaildirStoreTest {
    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock();
    private MaildirStore store;

    private MaildirStore store() {
        if (store == null) {
            store = new MaildirStore(() -> root, MaildirSettings.defaults(Duration.ofMinutes(2)), clock);
        }
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private Path maildir(String user) {
        return MaildirStore.maildir(root, user);
    }

    private Path deliver(String user, String content) throws Exception {
        return deliver(user, content.getBytes(StandardCharsets.ISO_8859_1));
    }

    private Path deliver(String user, byte[] content) throws Exception {
        return MaildirDelivery.deliver(maildir(user), new ByteArrayInputStream(content));
    }

    @Test
    void missingMaildropIsCreatedEmpty() throws Exception {
        Maildrop drop = store().open("alice");
        assertEquals(List.of(), drop.messages());
        assertTrue(Files.isDirectory(maildir("alice").resolve("cur")));
        assertTrue(Files.isDirectory(maildir("alice").resolve("new")));
        assertTrue(Files.isDirectory(maildir("alice").resolve("tmp")));
        drop.release();
    }

    @Test
    void newMailMovesToCurInDeliveryOrderWithCrlfSizes() throws Exception {
        byte[][] bodies = {
            "Subject: a\n\nLF only\n".getBytes(StandardCharsets.US_ASCII),
            "Subject: b\r\n\r\nCRLF\r\n".getBytes(StandardCharsets.US_ASCII),
            "Subject: c\n\nno final newline".getBytes(StandardCharsets.US_ASCII),
            {'S', ':', ' ', 'd', '\n', '\n', 0, 1, (byte) 0xff, '\r', 'x', '\r', '\n', '.', '\n'},
        };
        for (byte[] body : bodies) {
            deliver("alice", body);
        }
        Maildrop drop = store().open("alice");
        assertEquals(4, drop.messages().size());
        try (var fresh = Files.list(maildir("alice").resolve("new"))) {
            assertEquals(0, fresh.count(), "new/ is emptied into cur/");
        }
        for (int i = 0; i < bodies.length; i++) {
            MessageRef ref = drop.messages().get(i);
            assertEquals(i + 1, ref.number());
            assertEquals(CrlfOctets.of(bodies[i]), ref.octets());
            assertArrayEquals(bodies[i], Files.readAllBytes(drop.path(ref)), "message " + (i + 1));
            assertTrue(drop.path(ref).getFileName().toString().endsWith(":2,"));
        }
        drop.release();
    }

    @Test
    void dotFilesDirectoriesAndSymlinksAreNotMail() throws Exception {
        Path message = deliver("alice", "Subject: real\n\nx\n");
        Path cur = maildir("alice").resolve("cur");
        Files.writeString(maildir("alice").resolve("new").resolve(".hidden"), "not mail");
        Files.writeString(cur.resolve(".also-hidden"), "not mail");
        Files.createDirectories(cur.resolve("a-directory"));
        Files.createSymbolicLink(cur.resolve("1.link.host:2,"), message);
        Maildrop drop = store().open("alice");
        assertEquals(1, drop.messages().size());
        drop.release();
    }

    @Test
    void uidsAreValidUniqueAndStableAcrossSessionsAndNewDeliveries() throws Exception {
        deliver("alice", "Subject: 1\n\n1\n");
        deliver("alice", "Subject: 2\n\n2\n");
        Maildrop first = store().open("alice");
        List<String> uids = first.messages().stream().map(MessageRef::uid).collect(Collectors.toList());
        first.release();
        for (String uid : uids) {
            assertTrue(uid.length() <= 70 && uid.chars().allMatch(c -> c >= 0x21 && c <= 0x7e), uid);
        }
        assertEquals(2, new HashSet<>(uids).size());
        deliver("alice", "Subject: 3\n\n3\n");
        // a new store instance is a restart: the index on disk carries the UIDs
        store.close();
        store = null;
        Maildrop second = store().open("alice");
        assertEquals(uids, second.messages().subList(0, 2).stream().map(MessageRef::uid).collect(Collectors.toList()));
        assertFalse(uids.contains(second.messages().get(2).uid()));
        second.release();
    }

    @Test
    void uidsAreNeverReusedAfterDeletion() throws Exception {
        deliver("alice", "Subject: 1\n\n1\n");
        Maildrop drop = store().open("alice");
        String deleted = drop.messages().get(0).uid();
        drop.commit(Set.of(1));
        deliver("alice", "Subject: 2\n\n2\n");
        Maildrop next = store().open("alice");
        assertEquals(1, next.messages().size());
        assertNotEquals(deleted, next.messages().get(0).uid());
        next.release();
    }

    @Test
    void theIndexSparesRereadingMessages() throws Exception {
        for (int i = 0; i < 50; i++) {
            deliver("alice", "Subject: " + i + "\n\nbody\n");
        }
        store().open("alice").release();
        assertEquals(50, store().filesRead());
        deliver("alice", "Subject: new\n\nbody\n");
        Maildrop drop = store().open("alice");
        assertEquals(51, store().filesRead(), "only the new message was read");
        assertEquals(51, drop.messages().size());
        drop.release();
    }

    @Test
    void aCorruptIndexIsRebuiltWithoutLosingMail() throws Exception {
        deliver("alice", "Subject: 1\n\n1\n");
        deliver("alice", "Subject: 2\n\n2\n");
        store().open("alice").release();
        Files.writeString(maildir("alice").resolve(MaildirIndex.FILE), "garbage\nmore garbage\n");
        Maildrop drop = store().open("alice");
        assertEquals(2, drop.messages().size());
        drop.release();
        Files.write(maildir("alice").resolve(MaildirIndex.FILE), new byte[0]);
        Maildrop again = store().open("alice");
        assertEquals(2, again.messages().size());
        again.release();
    }

    @Test
    void secondOpenIsInUseUntilReleaseOrCommit() throws Exception {
        Maildrop drop = store().open("alice");
        assertThrows(MailboxInUseException.class, () -> store().open("alice"));
        drop.release();
        Maildrop again = store().open("alice");
        assertThrows(MailboxInUseException.class, () -> store().open("alice"));
        again.commit(Set.of());
        store().open("alice").release();
        assertFalse(Files.exists(maildir("alice").resolve(MaildropLock.FILE), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void commitRemovesOnlyTheMarkedMessages() throws Exception {
        Path one = deliver("alice", "Subject: 1\n\n1\n");
        deliver("alice", "Subject: 2\n\n2\n");
        deliver("alice", "Subject: 3\n\n3\n");
        Maildrop drop = store().open("alice");
        String kept1 = drop.messages().get(0).uid();
        String kept3 = drop.messages().get(2).uid();
        drop.commit(Set.of(2, 99, -1));
        Maildrop after = store().open("alice");
        assertEquals(List.of(kept1, kept3), after.messages().stream().map(MessageRef::uid).collect(Collectors.toList()));
        assertFalse(Files.exists(maildir("alice").resolve(DeletionJournal.FILE)));
        after.release();
    }

    @Test
    void releaseRemovesNothing() throws Exception {
        deliver("alice", "Subject: 1\n\n1\n");
        store().open("alice").release();
        Maildrop drop = store().open("alice");
        assertEquals(1, drop.messages().size());
        drop.release();
    }

    @Test
    void aJournalLeftByACrashIsReplayedAndTouchesOnlyItsNames() throws Exception {
        deliver("alice", "Subject: 1\n\n1\n");
        deliver("alice", "Subject: 2\n\n2\n");
        Maildrop drop = store().open("alice");
        String doomed = drop.path(drop.messages().get(0)).getFileName().toString();
        String keptUid = drop.messages().get(1).uid();
        drop.release();
        Files.writeString(maildir("alice").resolve(DeletionJournal.FILE), doomed + "\n../../etc/passwd\nno-such-file\n");
        Maildrop after = store().open("alice");
        assertEquals(1, after.messages().size());
        assertEquals(keptUid, after.messages().get(0).uid());
        assertFalse(Files.exists(maildir("alice").resolve(DeletionJournal.FILE)));
        after.release();
    }

    @Test
    void commitAfterTheLockWasTakenOverDeletesNothing() throws Exception {
        deliver("alice", "Subject: 1\n\n1\n");
        Maildrop drop = store().open("alice");
        Path lock = maildir("alice").resolve(MaildropLock.FILE);
        Files.delete(lock);
        Files.createSymbolicLink(lock, Path.of("owner=elsewhere:1:x token=stolen"));
        assertThrows(MailstoreException.class, () -> drop.commit(Set.of(1)));
        assertTrue(Files.exists(lock, java.nio.file.LinkOption.NOFOLLOW_LINKS), "someone else's lock is left alone");
        Files.delete(lock);
        Maildrop after = store().open("alice");
        assertEquals(1, after.messages().size());
        after.release();
    }

    @Test
    void userNamesThatLeaveTheRootAreRefused() {
        for (String user : List.of("", ".", "..", "a/b", "a\\b", "a\nb")) {
            assertThrows(MailstoreException.class, () -> store().open(user), user);
        }
    }

    @Test
    void demoMaildropIsCreatedOnceWithItsMessagesInOrder() throws Exception {
        assertTrue(DemoMaildrop.ensure(root, 2110));
        assertFalse(DemoMaildrop.ensure(root, 2110), "an existing maildrop is never touched");
        Maildrop drop = store().open(DemoMaildrop.USER);
        assertEquals(DemoMaildrop.MESSAGES.size(), drop.messages().size());
        for (int i = 0; i < DemoMaildrop.MESSAGES.size(); i++) {
            byte[] expected;
            try (var in = DemoMaildrop.class.getResourceAsStream("/demo/" + DemoMaildrop.MESSAGES.get(i))) {
                expected = DemoMaildrop.withPort(in.readAllBytes(), 2110);
            }
            assertArrayEquals(expected, Files.readAllBytes(drop.path(drop.messages().get(i))));
        }
        String welcome = Files.readString(drop.path(drop.messages().get(0)));
        assertTrue(welcome.contains("curl pop3://demo:demo@localhost:2110/1"), welcome);
        assertFalse(welcome.contains("${"), "no placeholder is left");
        drop.release();
    }
}

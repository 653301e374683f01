package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.mailstore.Maildrop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: binary garbage in {@code pop3d-uidlist} never takes the mailbox down; the lines that
 * still parse keep their UIDs, lost ones get new UIDs, and no UID is ever reused (RFC 1939 §7).
 */
class BinaryGarbageInIndexKeepsMailboxTest {
    @TempDir
    Path root;
    private StoreFixture fixture;

    @AfterEach
    void close() {
        fixture.close();
    }

    private List<String> threeMessages() throws Exception {
        fixture = new StoreFixture(root);
        for (int i = 1; i <= 3; i++) {
            fixture.deliver("alice", "Subject: " + i + "\n\n" + i + "\n");
        }
        Maildrop drop = fixture.store.open("alice");
        List<String> uids = StoreFixture.uids(drop);
        drop.release();
        return uids;
    }

    private Path index() {
        return fixture.maildir("alice").resolve(MaildirIndex.FILE);
    }

    @Test
    void oneFfByteCostsOnlyItsLine() throws Exception {
        List<String> before = threeMessages();
        List<String> lines = Files.readAllLines(index(), StandardCharsets.UTF_8);
        byte[] second = lines.get(2).getBytes(StandardCharsets.UTF_8);
        byte[] damaged = new byte[second.length + 1];
        System.arraycopy(second, 0, damaged, 0, 5);
        damaged[5] = (byte) 0xff;
        System.arraycopy(second, 5, damaged, 6, second.length - 5);
        var out = new java.io.ByteArrayOutputStream();
        out.write((lines.get(0) + "\n" + lines.get(1) + "\n").getBytes(StandardCharsets.UTF_8));
        out.write(damaged);
        out.write(("\n" + lines.get(3) + "\n").getBytes(StandardCharsets.UTF_8));
        Files.write(index(), out.toByteArray());

        Maildrop drop = fixture.store.open("alice");
        List<String> after = StoreFixture.uids(drop);
        drop.release();
        assertEquals(before.get(0), after.get(0), "line 1 parses: its UID stays");
        assertEquals(before.get(2), after.get(2), "line 3 parses: its UID stays");
        assertFalse(before.contains(after.get(1)), "the lost line's message gets a new UID, not a reused one");
    }

    @Test
    void aMegabyteOfRandomBytesIsRebuiltWithFreshUids() throws Exception {
        List<String> before = threeMessages();
        byte[] junk = new byte[1 << 20];
        new Random(10).nextBytes(junk);
        Files.write(index(), junk);

        Maildrop drop = fixture.store.open("alice");
        List<String> after = StoreFixture.uids(drop);
        drop.release();
        assertEquals(3, after.size());
        assertEquals(3, new HashSet<>(after).size());
        for (String uid : after) {
            assertFalse(before.contains(uid), "no UID reused: " + uid);
        }
        Maildrop again = fixture.store.open("alice");
        assertEquals(after, StoreFixture.uids(again), "the rebuilt index is stable");
        again.release();
    }

    @Test
    void aLostHeaderKeepsTheEntriesAndNeverReissuesTheirUids() throws Exception {
        List<String> before = threeMessages();
        List<String> lines = Files.readAllLines(index(), StandardCharsets.UTF_8);
        Files.write(index(), ("\u00ff\u00fe" + "\n" + String.join("\n", lines.subList(1, 4)) + "\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        fixture.deliver("alice", "Subject: 4\n\n4\n");

        Maildrop drop = fixture.store.open("alice");
        List<String> after = StoreFixture.uids(drop);
        drop.release();
        assertEquals(before, after.subList(0, 3));
        assertFalse(before.contains(after.get(3)));
        Set<String> unique = new HashSet<>(after);
        assertTrue(unique.size() == 4);
    }
}

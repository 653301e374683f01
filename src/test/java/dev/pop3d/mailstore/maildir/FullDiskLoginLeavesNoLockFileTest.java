package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.mailstore.Maildrop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a login on a full disk (a real tmpfs, 0 free blocks) leaves no {@code pop3d.lock.new.*}
 * or other temporary file behind, and — since the lock needs no data block — it succeeds.
 */
class FullDiskLoginLeavesNoLockFileTest {
    @TempDir
    Path base;

    @Test
    void aLoginOnAFullDiskLeavesNothingBehind() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(base.resolve("disk"), "64k"); StoreFixture fixture = new StoreFixture(disk.dir)) {
            fixture.deliver("alice", "Subject: 1\n\n1\n");
            fixture.store.open("alice").release();
            assertEquals(0, disk.fill());
            for (int login = 0; login < 20; login++) {
                Maildrop drop = fixture.store.open("alice");
                assertEquals(1, drop.messages().size());
                drop.release();
            }
            try (Stream<Path> left = Files.list(fixture.maildir("alice"))) {
                List<String> names = left.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
                assertEquals(List.of("cur", "new", "pop3d-uidlist", "tmp"), names);
            }
        }
    }

    @Test
    void onAFullExt4TheLockNeedsNoDataBlockEvenWithALongHostName() throws Exception {
        MaildirSettings longHost = new MaildirSettings(java.time.Duration.ofMinutes(2),
                "a-rather-long-kubernetes-pod-name-7d9c8b6f5-x2k4q/pid[4026531836]", 4_194_303,
                java.util.UUID.randomUUID().toString());
        try (Tmpfs disk = Tmpfs.ext4(base.resolve("ext4"), base.resolve("ext4.img"));
             StoreFixture fixture = new StoreFixture(disk.dir, longHost)) {
            fixture.deliver("alice", "Subject: 1\n\n1\n");
            fixture.store.open("alice").release();
            assertEquals(0, disk.fill());
            for (int login = 0; login < 20; login++) {
                Maildrop drop = fixture.store.open("alice");
                Path lock = fixture.maildir("alice").resolve(MaildropLock.FILE);
                assertTrue(Files.readSymbolicLink(lock).toString().length() <= LockText.MAX_OCTETS);
                assertEquals(1, drop.messages().size());
                drop.release();
            }
        }
    }

    @Test
    void aFullDiskWithNewMailStillLogsInAndLeavesNoTemporaryFile() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(base.resolve("disk2"), "64k"); StoreFixture fixture = new StoreFixture(disk.dir)) {
            fixture.deliver("alice", "Subject: 1\n\n1\n");
            fixture.store.open("alice").release();
            fixture.deliver("alice", "Subject: 2\n\n2\n");
            assertEquals(0, disk.fill());
            Maildrop drop = fixture.store.open("alice");
            assertEquals(2, drop.messages().size());
            drop.release();
            try (Stream<Path> left = Files.list(fixture.maildir("alice"))) {
                assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(".tmp.")
                        || p.getFileName().toString().contains(".new.")), "no temporary file left");
            }
        }
    }
}

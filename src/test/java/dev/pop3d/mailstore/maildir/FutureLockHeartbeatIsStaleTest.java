package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pop3d.mailstore.MailboxInUseException;
import dev.pop3d.mailstore.Maildrop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a lock whose heartbeat lies in the future beyond a small clock skew is not trusted:
 * it is stale, and the mailbox does not stay {@code [IN-USE]} until that date.
 */
class FutureLockHeartbeatIsStaleTest {
    @TempDir
    Path root;

    private static void foreignLock(Path maildir, FileTime mtime) throws Exception {
        Files.createDirectories(maildir);
        Path lock = maildir.resolve(MaildropLock.FILE);
        Files.writeString(lock, "owner=elsewhere.example/pid:[1]:1:x\ntoken=t\n");
        Files.setLastModifiedTime(lock, mtime);
    }

    @Test
    void aHeartbeatOneYearAheadIsTakenOver() throws Exception {
        try (StoreFixture fixture = new StoreFixture(root)) {
            fixture.deliver("alice", "Subject: 1\n\n1\n");
            foreignLock(fixture.maildir("alice"), FileTime.from(fixture.clock.instant().plus(Duration.ofDays(365))));
            Maildrop drop = fixture.store.open("alice");
            assertEquals(1, drop.messages().size());
            drop.release();
        }
    }

    @Test
    void aHeartbeatWithinTheSkewStillHolds() throws Exception {
        try (StoreFixture fixture = new StoreFixture(root)) {
            foreignLock(fixture.maildir("alice"), FileTime.from(fixture.clock.instant().plus(Duration.ofSeconds(5))));
            assertThrows(MailboxInUseException.class, () -> fixture.store.open("alice"));
        }
    }
}

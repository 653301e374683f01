package dev.pop3d.mailstore.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pop3d.mailstore.Maildrop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 ("no orphan files"): a server killed in the middle of an index rewrite, a journal write
 * or a lock take-over leaves {@code pop3d-uidlist.tmp.*}, {@code pop3d-deletions.tmp.*} or
 * {@code pop3d.lock.stale.*}/{@code .released.*} behind (163 of them after the 1,015-kill run). The
 * next login of the mailbox removes them: temporary files at once (only the lock holder writes
 * them), moved-aside locks once they are older than a minute (a live contender holds one for
 * microseconds). Mail, the index and anything else in the Maildir are left alone.
 */
class CrashLeftoversAreSweptTest {
    @TempDir
    Path dir;

    @Test
    void theNextLoginRemovesWhatKilledProcessesLeftBehind() throws Exception {
        try (StoreFixture fixture = new StoreFixture(dir)) {
            fixture.deliver("alice", "Subject: 1\n\n1\n");
            fixture.store.open("alice").release();
            Path maildir = fixture.maildir("alice");
            Files.writeString(maildir.resolve("pop3d-uidlist.tmp.0b7d1f0e-1"), "pop3d-uidlist 1 half");
            Files.writeString(maildir.resolve("pop3d-deletions.tmp.0b7d1f0e-2"), "1.M1.host\n");
            Path oldStale = Files.createSymbolicLink(maildir.resolve("pop3d.lock.stale.0b7d1f0e-3"), Path.of("host 1 x"));
            Path oldReleased = Files.createSymbolicLink(maildir.resolve("pop3d.lock.released.0b7d1f0e-4"), Path.of("host 2 y"));
            Path freshStale = Files.createSymbolicLink(maildir.resolve("pop3d.lock.stale.0b7d1f0e-5"), Path.of("host 3 z"));
            Instant now = fixture.clock.instant();
            setModified(oldStale, now.minusSeconds(3600));
            setModified(oldReleased, now.minusSeconds(61));
            setModified(freshStale, now.minusSeconds(5));
            Files.writeString(maildir.resolve("notes.txt"), "the user's own file");

            Maildrop drop = fixture.store.open("alice");
            assertEquals(1, drop.messages().size());
            drop.release();

            try (Stream<Path> left = Files.list(maildir)) {
                List<String> names = left.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
                assertEquals(List.of("cur", "new", "notes.txt", "pop3d-uidlist", "pop3d.lock.stale.0b7d1f0e-5", "tmp"), names);
            }
        }
    }

    private static void setModified(Path link, Instant when) throws java.io.IOException {
        Files.getFileAttributeView(link, java.nio.file.attribute.BasicFileAttributeView.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).setTimes(FileTime.from(when), null, null);
    }
}

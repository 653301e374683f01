package dev.pop3d.mailstore.maildir;

import dev.pop3d.mailstore.MailstoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * RFC 1939 §6 UPDATE, crash-safe: the names to remove are written and synced to
 * {@code pop3d-deletions} first, then unlinked, then the journal goes. A journal found at the next
 * lock (the process died during UPDATE, after the client's QUIT) is replayed. Nothing but the
 * named files is ever removed. Where the journal cannot be written (a full disk), the names are
 * unlinked one at a time instead. See ADR 0006.
 */
final class DeletionJournal {
    static final String FILE = "pop3d-deletions";
    private static final Logger LOG = Logger.getLogger(DeletionJournal.class);

    private DeletionJournal() {}

    /**
     * Removes {@code names} (file names in {@code cur/}). Returns the names that could not be
     * removed (empty when all went; a file already gone counts as removed).
     */
    static List<String> commit(Path maildir, List<String> names) throws IOException {
        if (names.isEmpty()) {
            return List.of();
        }
        Path journal = maildir.resolve(FILE);
        try {
            Fsync.replace(journal, String.join("\n", names) + "\n");
        } catch (IOException noSpace) {
            // A full disk must not keep a user from freeing space: without a journal, unlink one at a
            // time; a crash then leaves some applied, and never removes an unmarked message.
            LOG.warnf("deletion journal of %s not written (%s): removing %d marked message(s) one at a time",
                    maildir, noSpace.getMessage(), names.size());
            return unlink(maildir.resolve("cur"), names);
        }
        CrashPoints.reach(CrashPoints.JOURNAL_WRITTEN);
        List<String> failed = unlink(maildir.resolve("cur"), names);
        CrashPoints.reach(CrashPoints.UNLINKED_ALL);
        Files.deleteIfExists(journal);
        Fsync.directory(maildir);
        return failed;
    }

    /**
     * Completes an UPDATE cut short by a crash. Call with the lock held, before listing. Returns
     * whether there was a journal (then cur/ may have changed: it is listed, never taken from the index).
     */
    static boolean replay(Path maildir) throws IOException {
        Path journal = maildir.resolve(FILE);
        if (!Files.exists(journal)) {
            return false;
        }
        List<String> names = new ArrayList<>();
        for (String name : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            if (MaildirStore.acceptableName(name)) {
                names.add(name);
            }
        }
        List<String> failed = unlink(maildir.resolve("cur"), names);
        LOG.warnf("replayed deletion journal of %s: %d removed, %d failed", maildir, names.size() - failed.size(),
                failed.size());
        Files.deleteIfExists(journal);
        Fsync.directory(maildir);
        return true;
    }

    private static List<String> unlink(Path cur, List<String> names) throws IOException {
        List<String> failed = new ArrayList<>();
        for (String name : names) {
            try {
                Files.deleteIfExists(cur.resolve(name));
                CrashPoints.reach(CrashPoints.UNLINKED_ONE);
            } catch (IOException e) {
                LOG.errorf("could not remove %s", MailstoreException.reason(e));
                failed.add(name);
            }
        }
        Fsync.directory(cur);
        return failed;
    }
}

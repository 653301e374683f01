package dev.pop3d.mailstore.maildir;

import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MailstoreException;
import dev.pop3d.mailstore.MessageRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** A locked Maildir maildrop: the snapshot taken at open, and the lock until commit or release. */
final class MaildirMaildrop implements Maildrop {
    private final String user;
    private final Path maildir;
    private final List<MessageRef> messages;
    private final List<String> fileNames;
    private final MaildirIndex index;
    private final MaildropLock.Held lock;
    private final AtomicBoolean ended = new AtomicBoolean();

    MaildirMaildrop(String user, Path maildir, List<MessageRef> messages, List<String> fileNames,
                    MaildirIndex index, MaildropLock.Held lock) {
        this.user = user;
        this.maildir = maildir;
        this.messages = List.copyOf(messages);
        this.fileNames = List.copyOf(fileNames);
        this.index = index;
        this.lock = lock;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public List<MessageRef> messages() {
        return messages;
    }

    @Override
    public Path path(MessageRef message) {
        return maildir.resolve("cur").resolve(fileNames.get(message.number() - 1));
    }

    @Override
    public void commit(Set<Integer> deletedNumbers) throws MailstoreException {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            if (deletedNumbers.isEmpty()) {
                return;
            }
            if (!lock.stillOurs()) {
                throw new MailstoreException("lock of " + maildir + " was taken over: nothing deleted");
            }
            List<String> names = new ArrayList<>();
            for (int number : deletedNumbers) {
                if (number >= 1 && number <= fileNames.size()) {
                    names.add(fileNames.get(number - 1));
                }
            }
            List<String> failed = DeletionJournal.commit(maildir, names);
            for (String name : names) {
                if (!failed.contains(name)) {
                    index.remove(MaildirStore.baseName(name));
                }
            }
            saveIndex();
            if (!failed.isEmpty()) {
                throw new MailstoreException(failed.size() + " of " + names.size() + " messages not removed from " + maildir);
            }
        } catch (IOException e) {
            throw new MailstoreException("UPDATE of " + maildir + " failed", e);
        } finally {
            lock.release();
        }
    }

    /** The mail is already gone; a stale index entry is dropped at the next open anyway. */
    private void saveIndex() {
        try {
            index.saveIfChanged();
        } catch (IOException e) {
            org.jboss.logging.Logger.getLogger(MaildirMaildrop.class)
                    .warnf("index of %s not saved after UPDATE: %s", maildir, e.getMessage());
        }
    }

    @Override
    public void release() {
        if (ended.compareAndSet(false, true)) {
            lock.release();
        }
    }
}

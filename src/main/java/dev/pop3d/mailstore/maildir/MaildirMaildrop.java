package dev.pop3d.mailstore.maildir;

import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MailstoreException;
import dev.pop3d.mailstore.MessageRef;
import dev.pop3d.mailstore.MessageChangedException;
import dev.pop3d.mailstore.OpenedMessage;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** A locked Maildir maildrop: the snapshot taken at open, and the lock until commit or release. */
final class MaildirMaildrop implements Maildrop {
    private final String user;
    private final Path maildir;
    private final List<MessageRef> messages;
    private final List<Stored> stored;
    private final MaildirIndex index;
    private final MaildropLock.Held lock;
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * A message file as listed at open (or as the current index lists it): name in cur/, index
     * key, raw size, file identity as text ({@code dev}+{@code ino} on Unix, see
     * {@link MaildirStore#keyText}; null where the file system has none: then size and type are
     * checked only) and whether its stored bytes are already the wire form.
     */
    record Stored(String name, int baseLength, long size, String key, boolean clean) {
        /** The index key: the first {@code baseLength} characters of the name (no String kept per message). */
        String base() {
            return baseLength == name.length() ? name : name.substring(0, baseLength);
        }
    }

    /** The lists as they are if already unmodifiable (a kept snapshot's: no copy per login). */
    MaildirMaildrop(String user, Path maildir, List<MessageRef> messages, List<Stored> stored,
                    MaildirIndex index, MaildropLock.Held lock) {
        this.user = user;
        this.maildir = maildir;
        this.messages = List.copyOf(messages);
        this.stored = List.copyOf(stored);
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
        return maildir.resolve("cur").resolve(stored.get(message.number() - 1).name());
    }

    /**
     * Opens the message through the Maildir's own directories, never a symlink: cur/ is opened
     * relative to the Maildir with O_NOFOLLOW and the file relative to that cur/ with O_NOFOLLOW
     * ({@code SecureDirectoryStream}, i.e. openat(2)), so a cur/ or a message swapped for a link
     * after login cannot lead outside. Then type, size and inode must match the snapshot.
     */
    @Override
    public OpenedMessage open(MessageRef message) throws MailstoreException {
        Stored file = stored.get(message.number() - 1);
        try (DirectoryStream<Path> top = Files.newDirectoryStream(maildir)) {
            if (!(top instanceof SecureDirectoryStream<Path> secure)) {
                return checked(file, Maildrop.super.open(message), false); // opened by path: always stuffed
            }
            try (SecureDirectoryStream<Path> cur = secure.newDirectoryStream(Path.of("cur"), LinkOption.NOFOLLOW_LINKS)) {
                Path name = Path.of(file.name());
                SeekableByteChannel channel = cur.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
                BasicFileAttributes now;
                try {
                    now = cur.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                if (!now.isRegularFile() || (file.key() != null && !file.key().equals(MaildirStore.keyText(now.fileKey())))) {
                    channel.close();
                    throw changed(file, "was replaced (not the file of the snapshot)");
                }
                return checked(file, new OpenedMessage(channel, file.size()), file.clean());
            }
        } catch (java.nio.file.AccessDeniedException e) {
            // a file mode, not a change: the index keeps the size; served once readable again
            throw new MailstoreException(maildir.resolve("cur").resolve(file.name()) + " cannot be read: permission denied");
        } catch (IOException e) {
            throw changed(file, "cannot be opened safely: " + e.getMessage());
        }
    }

    /** The open file's own size (fstat) must be the snapshot's. */
    private OpenedMessage checked(Stored file, OpenedMessage opened, boolean clean) throws MailstoreException {
        try {
            long size = opened.channel().size();
            if (size == file.size()) {
                return new OpenedMessage(opened.channel(), file.size(), clean);
            }
            opened.close();
            throw changed(file, "changed size from " + file.size() + " to " + size);
        } catch (IOException e) {
            throw changed(file, "cannot be read: " + e.getMessage());
        }
    }

    /** Also forgets the cached size, so the next open (this session holds the lock) re-reads it. */
    private MessageChangedException changed(Stored file, String why) {
        index.forgetSize(file.base());
        saveIndex();
        return new MessageChangedException(maildir.resolve("cur").resolve(file.name()) + " " + why);
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
                if (number >= 1 && number <= stored.size()) {
                    names.add(stored.get(number - 1).name());
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

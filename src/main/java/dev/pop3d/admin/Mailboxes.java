package dev.pop3d.admin;

import dev.pop3d.accounts.Accounts;
import dev.pop3d.auth.TestUsers;
import dev.pop3d.config.Pop3Config;
import dev.pop3d.live.LiveSettings;
import dev.pop3d.mailstore.MailboxInUseException;
import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MailstoreException;
import dev.pop3d.mailstore.MessageRef;
import dev.pop3d.mailstore.maildir.MaildirDelivery;
import dev.pop3d.mailstore.maildir.MaildirSettings;
import dev.pop3d.mailstore.maildir.MaildirStore;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The maildrops as the admin API sees them: listed and emptied through the store's own lock (ADR
 * 0005), so nothing is deleted under an open POP3 session — a locked maildrop is
 * {@link MailboxInUseException} at once (no wait), which the API answers with 409. Deliveries go
 * through Maildir tmp/ to new/ ({@link MaildirDelivery}), lock-free as every delivery. Blocking.
 */
@ApplicationScoped
public class Mailboxes {
    /** The largest message the API stores: the default SIZE of intake (pop3.lmtp.max-message-size). */
    static final long MAX_MESSAGE_OCTETS = 64L * 1024 * 1024;

    private final Accounts accounts;
    private final LiveSettings live;
    private final MaildirStore store;

    public Mailboxes(Accounts accounts, LiveSettings live, Pop3Config config) {
        this.accounts = accounts;
        this.live = live;
        // a store of its own, not waiting for a held lock: its locks are seen by the POP3 store
        // as any other holder's (a login waits its pop3.lock.wait for the few ms an API call holds one)
        this.store = new MaildirStore(() -> live.current().maildirRoot(),
                MaildirSettings.defaults(config.lock().staleTimeout(), Duration.ZERO), InstantSource.system());
    }

    void onStop(@Observes ShutdownEvent event) {
        store.close();
    }

    /** The messages as a login would list them (number, CRLF octets, UID). */
    List<MessageRef> list(String user) throws MailstoreException, Busy {
        Maildrop drop = open(user);
        try {
            return List.copyOf(drop.messages());
        } finally {
            drop.release();
        }
    }

    /** Stores {@code message} for {@code user}; at most {@link #MAX_MESSAGE_OCTETS} octets, else {@link TooLarge}. */
    long deliver(String user, InputStream message) throws IOException {
        Bounded bounded = new Bounded(message, MAX_MESSAGE_OCTETS);
        MaildirDelivery.deliver(accounts.maildir(user), bounded);
        return bounded.count;
    }

    /** Removes every message of {@code user} (the deletion journal's crash-safe way); returns how many. */
    int purge(String user) throws MailstoreException, Busy {
        Maildrop drop = open(user);
        int count = drop.messages().size();
        drop.commit(all(drop));
        return count;
    }

    /**
     * Locks {@code user}'s maildrop and, while it is held, runs {@code change}, then removes every
     * message: a user is removed only when its mail can go too.
     */
    int purgeAfter(String user, Change change) throws MailstoreException, IOException, Busy {
        Maildrop drop = open(user);
        try {
            change.run();
        } catch (IOException | RuntimeException e) {
            drop.release();
            throw e;
        }
        int count = drop.messages().size();
        drop.commit(all(drop));
        return count;
    }

    /**
     * Removes every message of every maildrop under the live root (configured users, test users,
     * and maildrops of users gone): all are locked first, so either every one is emptied or, when
     * one is in use, none is. {@code whileLocked} runs with every lock held (reset: test users go).
     */
    int purgeAll(Change whileLocked) throws MailstoreException, IOException, Busy {
        List<Maildrop> drops = new ArrayList<>();
        try {
            for (String user : maildropOwners()) {
                drops.add(open(user));
            }
            whileLocked.run();
        } catch (IOException | MailstoreException | Busy | RuntimeException e) {
            drops.forEach(Maildrop::release);
            throw e;
        }
        int count = 0;
        MailstoreException failed = null;
        for (Maildrop drop : drops) {
            try {
                count += drop.messages().size();
                drop.commit(all(drop));
            } catch (MailstoreException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
        return count;
    }

    private Maildrop open(String user) throws MailstoreException, Busy {
        try {
            return store.open(user);
        } catch (MailboxInUseException e) {
            throw new Busy(user);
        }
    }

    /** A maildrop is locked by an open POP3 session (or another holder): nothing was changed. */
    static final class Busy extends Exception {
        private final String user;

        Busy(String user) {
            super("maildrop of " + user + " is in use", null, false, false);
            this.user = user;
        }

        String user() {
            return user;
        }
    }

    /** A step run while a maildrop lock is held. */
    interface Change {
        void run() throws IOException;
    }

    /** Users with a folder under the maildir root, plus every user the directory knows. */
    private Set<String> maildropOwners() throws IOException {
        Set<String> owners = new HashSet<>();
        try {
            owners.addAll(accounts.users().current().users());
        } catch (dev.pop3d.auth.InvalidUsersException e) {
            throw new IOException(e.getMessage(), e);
        }
        Path root = live.current().maildirRoot();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (TestUsers.nameProblem(name).isEmpty() && Files.isDirectory(entry.resolve("Maildir"),
                            LinkOption.NOFOLLOW_LINKS)) {
                        owners.add(name);
                    }
                }
            }
        }
        return owners;
    }

    private static Set<Integer> all(Maildrop drop) {
        return IntStream.rangeClosed(1, drop.messages().size()).boxed().collect(Collectors.toSet());
    }

    /** The body was longer than the bound: the partial file is gone (MaildirDelivery removes tmp/). */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("message over " + limit + " octets");
        }
    }

    /** Counts what passes and fails at the first octet over the bound; memory stays one buffer. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long count;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                tally(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                tally(n);
            }
            return n;
        }

        private void tally(int n) throws TooLarge {
            count += n;
            if (count > limit) {
                throw new TooLarge(limit);
            }
        }
    }
}

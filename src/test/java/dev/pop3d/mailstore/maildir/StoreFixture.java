package dev.pop3d.mailstore.maildir;

import dev.pop3d.mailstore.MessageRef;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** A Maildir store on a test folder, with a clock that moves only when told. */
final class StoreFixture implements AutoCloseable {
    final Path root;
    final MutableClock clock = new MutableClock();
    final MaildirStore store;

    StoreFixture(Path root) {
        this(root, MaildirSettings.defaults(Duration.ofMinutes(2)));
    }

    StoreFixture(Path root, MaildirSettings settings) {
        this(root, settings, IndexCache.MAX_MESSAGES);
    }

    /** {@code keptMessages}: the bound of the snapshots kept across logins. */
    StoreFixture(Path root, MaildirSettings settings, long keptMessages) {
        this.root = root;
        this.store = new MaildirStore(() -> root, settings, clock, keptMessages);
    }

    Path maildir(String user) {
        return MaildirStore.maildir(root, user);
    }

    Path deliver(String user, String content) throws Exception {
        return MaildirDelivery.deliver(maildir(user), new ByteArrayInputStream(content.getBytes(StandardCharsets.US_ASCII)));
    }

    static List<String> uids(dev.pop3d.mailstore.Maildrop drop) {
        return drop.messages().stream().map(MessageRef::uid).collect(Collectors.toList());
    }

    @Override
    public void close() {
        store.close();
    }
}

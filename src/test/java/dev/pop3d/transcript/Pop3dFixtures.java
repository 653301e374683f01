package dev.pop3d.transcript;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Script fixtures on our server: users come from the test profile, mail is put into new/. */
public final class Pop3dFixtures implements TranscriptRunner.Fixtures {
    /** The users every script may name, configured in {@link Profile}. */
    public static final Map<String, String> USERS = Map.of("alice", "alice-pw", "bob", "bob-pw", "dana", "pw-dana");
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path root;
    private final Set<String> emptied = new HashSet<>();

    public Pop3dFixtures(Path root) {
        this.root = root;
    }

    /** A fixed data directory: the profile and the test instance live in different class loaders. */
    static Path data() {
        return Path.of("target", "test-data-scripts").toAbsolutePath();
    }

    @Override
    public void user(String name, String password) throws IOException {
        if (!password.equals(USERS.get(name))) {
            throw new IllegalArgumentException("script user " + name + "/" + password + " is not configured in the profile");
        }
        empty(name);
    }

    @Override
    public void mail(String user, int number, byte[] message) throws IOException {
        empty(user);
        Path maildir = root.resolve(user).resolve("Maildir");
        String name = String.format("%d.M%06dP1Q%d.scripts", 1_700_000_000L + SEQUENCE.incrementAndGet(), number,
                SEQUENCE.get());
        Path temp = maildir.resolve("tmp").resolve(name);
        Files.write(temp, message);
        Files.move(temp, maildir.resolve("new").resolve(name));
    }

    /** Each script starts from an empty maildrop (the index may stay: UIDs are never reused). */
    private void empty(String user) throws IOException {
        if (!emptied.add(user)) {
            return;
        }
        Path maildir = root.resolve(user).resolve("Maildir");
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(maildir.resolve(sub));
            if (!sub.equals("tmp")) {
                try (var files = Files.list(maildir.resolve(sub))) {
                    files.forEach(f -> {
                        try {
                            Files.delete(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
        }
    }
}

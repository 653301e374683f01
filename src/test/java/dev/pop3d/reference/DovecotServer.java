package dev.pop3d.reference;

import dev.pop3d.testing.PrivateDovecot;
import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A private, unprivileged Dovecot 2.3 POP3 instance (Debian's dovecot-pop3d) on a free loopback
 * port, configured as ../shared/notes/peers.md describes: the RFC-conformant second reference.
 */
final class DovecotServer implements AutoCloseable {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path dir;
    private final Path baseDir;
    private final int port;
    private final PrivateDovecot.MailUser owner;

    DovecotServer(Path dir, Map<String, String> users) throws Exception {
        this.dir = dir;
        this.port = ServerProcess.freePort();
        this.baseDir = Path.of("/tmp", "dvc-" + port);
        owner = PrivateDovecot.mailUser();
        int uid = owner.uid();
        int gid = owner.gid();
        Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(dir.resolve("mail"));
        PrivateDovecot.writePasswd(dir.resolve("state/passwd"), users, owner, dir.resolve("home"));
        Files.writeString(dir.resolve("dovecot.conf"), String.join("\n",
                "protocols = pop3",
                "listen = 127.0.0.1",
                "ssl = no",
                "disable_plaintext_auth = no",
                "auth_mechanisms = plain login",
                "base_dir = " + baseDir,
                "state_dir = " + dir.resolve("state"),
                "log_path = " + dir.resolve("dovecot.log"),
                "first_valid_uid = " + uid,
                "first_valid_gid = " + gid,
                "mail_location = maildir:" + dir.resolve("mail") + "/%u/Maildir:INDEX=" + dir.resolve("state/index")
                        + "/%u:CONTROL=" + dir.resolve("state/control") + "/%u",
                "pop3_uidl_format = %08Xu%08Xv",
                "pop3_lock_session = yes",
                "passdb {\n  driver = passwd-file\n  args = " + dir.resolve("state/passwd") + "\n}",
                "userdb {\n  driver = passwd-file\n  args = " + dir.resolve("state/passwd") + "\n}",
                "service pop3-login {\n  inet_listener pop3 {\n    address = 127.0.0.1\n    port = " + port
                        + "\n  }\n  inet_listener pop3s {\n    port = 0\n  }\n}",
                ""));
        chown(dir);
        Tools.Result started = Tools.run(List.of("dovecot", "-c", dir.resolve("dovecot.conf").toString()), null, 30);
        if (started.exitCode() != 0) {
            throw new IOException("dovecot did not start: " + started.stderr() + started.out());
        }
        RawClient.awaitGreeting("127.0.0.1", port, 100);
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("dovecot.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    int port() {
        return port;
    }

    /** Delivers into the user's new/ (Dovecot gets its own copy: it renames files to add flags). */
    void mail(String user, byte[] message) throws Exception {
        Path maildir = dir.resolve("mail").resolve(user).resolve("Maildir");
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(maildir.resolve(sub));
        }
        String name = String.format("%d.M%dP1Q%d.reference", 1_700_000_000L + SEQUENCE.incrementAndGet(),
                SEQUENCE.get(), SEQUENCE.get());
        Files.write(maildir.resolve("new").resolve(name), message);
        chown(dir.resolve("mail"));
    }

    /** Empties a user's maildrop between scripts. */
    void empty(String user) throws Exception {
        Path maildir = dir.resolve("mail").resolve(user).resolve("Maildir");
        for (String sub : new String[] {"cur", "new"}) {
            if (Files.isDirectory(maildir.resolve(sub))) {
                try (var files = Files.list(maildir.resolve(sub))) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.delete(f);
                    }
                }
            }
        }
    }

    private void chown(Path path) throws IOException {
        PrivateDovecot.chownIfRoot(path, owner, dir);
    }

    @Override
    public void close() throws Exception {
        PrivateDovecot.stop(baseDir);
    }
}

package dev.pop3d.intake.it;

import dev.pop3d.testing.PrivateDovecot;
import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A private, unprivileged Dovecot 2.3 with LMTP and POP3 (Debian's dovecot-lmtpd and
 * dovecot-pop3d) on free loopback ports: the reference for what an LMTP delivery stores. The local
 * part is the user ({@code auth_username_format = %n}), as in pop3d.
 */
final class DovecotLmtp implements AutoCloseable {
    private final Path dir;
    private final Path baseDir;
    private final int lmtpPort;
    private final int pop3Port;

    DovecotLmtp(Path dir, List<String> users) throws Exception {
        this.dir = dir;
        this.lmtpPort = ServerProcess.freePort();
        this.pop3Port = ServerProcess.freePort();
        this.baseDir = Path.of("/tmp", "dvl-" + lmtpPort);
        PrivateDovecot.MailUser owner = PrivateDovecot.mailUser();
        int uid = owner.uid();
        int gid = owner.gid();
        Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(dir.resolve("mail"));
        Map<String, String> passwords = new LinkedHashMap<>();
        users.forEach(user -> passwords.put(user, user));
        PrivateDovecot.writePasswd(dir.resolve("state/passwd"), passwords, owner, dir.resolve("home"));
        Files.writeString(dir.resolve("dovecot.conf"), String.join("\n",
                "protocols = lmtp pop3",
                "listen = 127.0.0.1",
                "ssl = no",
                "disable_plaintext_auth = no",
                "auth_username_format = %n",
                "base_dir = " + baseDir,
                "state_dir = " + dir.resolve("state"),
                "log_path = " + dir.resolve("dovecot.log"),
                "first_valid_uid = " + uid,
                "first_valid_gid = " + gid,
                "mail_location = maildir:" + dir.resolve("mail") + "/%u/Maildir",
                "passdb {\n  driver = passwd-file\n  args = " + dir.resolve("state/passwd") + "\n}",
                "userdb {\n  driver = passwd-file\n  args = " + dir.resolve("state/passwd") + "\n}",
                "service lmtp {\n  inet_listener lmtp {\n    address = 127.0.0.1\n    port = " + lmtpPort
                        + "\n  }\n  unix_listener lmtp {\n    mode = 0\n  }\n}",
                "service pop3-login {\n  inet_listener pop3 {\n    address = 127.0.0.1\n    port = " + pop3Port
                        + "\n  }\n  inet_listener pop3s {\n    port = 0\n  }\n}",
                ""));
        PrivateDovecot.chownIfRoot(dir, owner, dir, dir.getParent()); // the mail user's way in
        Tools.Result started = Tools.run(List.of("dovecot", "-c", dir.resolve("dovecot.conf").toString()), null, 30);
        if (started.exitCode() != 0) {
            throw new IOException("dovecot did not start: " + started.stderr() + started.out());
        }
        RawClient.awaitGreeting("127.0.0.1", pop3Port, 100);
    }

    int lmtpPort() {
        return lmtpPort;
    }

    int pop3Port() {
        return pop3Port;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("dovecot.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Stops the instance through its master.pid. */
    @Override
    public void close() throws Exception {
        PrivateDovecot.stop(baseDir);
    }
}

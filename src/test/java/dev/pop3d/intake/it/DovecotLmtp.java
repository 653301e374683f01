package dev.pop3d.intake.it;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.TestFiles;
import dev.pop3d.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private, unprivileged Dovecot 2.3 with LMTP and POP3 (Debian's dovecot-lmtpd and
 * dovecot-pop3d) on free loopback ports: the reference for what an LMTP delivery stores. The local
 * part is the user ({@code auth_username_format = %n}), as in pop3d.
 */
final class DovecotLmtp implements AutoCloseable {
    private static final String MAIL_USER = "pop3dref";
    private final Path dir;
    private final Path baseDir;
    private final int lmtpPort;
    private final int pop3Port;

    DovecotLmtp(Path dir, List<String> users) throws Exception {
        this.dir = dir;
        this.lmtpPort = ServerProcess.freePort();
        this.pop3Port = ServerProcess.freePort();
        this.baseDir = Path.of("/tmp", "dvl-" + lmtpPort);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && Tools.run(List.of("id", "-u", MAIL_USER), null, 10).exitCode() != 0) {
            Tools.run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", MAIL_USER), null, 30);
        }
        String uid = id("-u", root);
        String gid = id("-g", root);
        Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(dir.resolve("mail"));
        StringBuilder passwd = new StringBuilder();
        for (String user : users) {
            passwd.append(user).append(":{PLAIN}").append(user).append(':').append(uid).append(':').append(gid)
                    .append("::").append(dir.resolve("home")).append("::\n");
        }
        Files.writeString(dir.resolve("state/passwd"), passwd);
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
        if (root) {
            Tools.run(List.of("chown", "-R", uid + ":" + gid, dir.toString()), null, 30);
            Tools.run(List.of("chmod", "755", dir.toString(), dir.getParent().toString()), null, 30); // mail user's way in
        }
        Tools.Result started = Tools.run(List.of("dovecot", "-c", dir.resolve("dovecot.conf").toString()), null, 30);
        if (started.exitCode() != 0) {
            throw new IOException("dovecot did not start: " + started.stderr() + started.out());
        }
        RawClient.awaitGreeting("127.0.0.1", pop3Port, 100);
    }

    private static String id(String flag, boolean root) throws IOException {
        List<String> command = root ? List.of("id", flag, MAIL_USER) : List.of("id", flag);
        return Tools.run(command, null, 10).out().strip();
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
        Path pid = baseDir.resolve("master.pid");
        if (Files.exists(pid)) {
            long master = Long.parseLong(Files.readString(pid).strip());
            ProcessHandle.of(master).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        }
        TestFiles.deleteTree(baseDir);
    }
}

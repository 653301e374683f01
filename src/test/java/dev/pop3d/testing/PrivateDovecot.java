package dev.pop3d.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What every private Dovecot instance of the tests shares (the POP3 reference and the LMTP
 * reference): its mail user, its passwd-file, file ownership and its stop through master.pid.
 */
public final class PrivateDovecot {
    private static final String MAIL_USER = "pop3dref";

    private PrivateDovecot() {}

    /** The uid and gid Dovecot stores mail as. */
    public record MailUser(int uid, int gid) {}

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Dovecot refuses uid 0 for mail: as root, a system user of our own (created once); else ourselves. */
    public static MailUser mailUser() throws IOException {
        if (isRoot()) {
            if (Tools.run(List.of("id", "-u", MAIL_USER), null, 10).exitCode() != 0) {
                Tools.run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", MAIL_USER),
                        null, 30);
            }
            return new MailUser(id("-u", MAIL_USER), id("-g", MAIL_USER));
        }
        return new MailUser(id("-u", null), id("-g", null));
    }

    /** A passwd-file of {@code {PLAIN}} passwords (name → password), every user mapped to {@code owner}. */
    public static void writePasswd(Path file, Map<String, String> users, MailUser owner, Path home) throws IOException {
        StringBuilder passwd = new StringBuilder();
        users.forEach((user, password) -> passwd.append(user).append(":{PLAIN}").append(password).append(':')
                .append(owner.uid()).append(':').append(owner.gid()).append("::").append(home).append("::\n"));
        Files.writeString(file, passwd);
    }

    /** As root: {@code path} (recursively) to the mail user, and the {@code traversable} folders 755. */
    public static void chownIfRoot(Path path, MailUser owner, Path... traversable) throws IOException {
        if (!isRoot()) {
            return;
        }
        Tools.run(List.of("chown", "-R", owner.uid() + ":" + owner.gid(), path.toString()), null, 30);
        List<String> chmod = new ArrayList<>(List.of("chmod", "755"));
        for (Path folder : traversable) {
            chmod.add(folder.toString());
        }
        if (traversable.length > 0) {
            Tools.run(chmod, null, 30);
        }
    }

    /** Stops the instance whose {@code base_dir} is {@code baseDir} through its master.pid, then removes that folder. */
    public static void stop(Path baseDir) throws IOException {
        Path pid = baseDir.resolve("master.pid");
        if (Files.exists(pid)) {
            long master = Long.parseLong(Files.readString(pid).strip());
            ProcessHandle.of(master).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        }
        TestFiles.deleteTree(baseDir);
    }

    private static int id(String flag, String user) throws IOException {
        List<String> command = user == null ? List.of("id", flag) : List.of("id", flag, user);
        return Integer.parseInt(Tools.run(command, null, 10).out().strip());
    }
}

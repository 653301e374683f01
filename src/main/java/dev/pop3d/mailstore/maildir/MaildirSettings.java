package dev.pop3d.mailstore.maildir;

import java.time.Duration;
import java.util.UUID;

/**
 * Settings of the Maildir store.
 *
 * @param staleLockTimeout a lock whose heartbeat is older than this is taken over
 * @param host             this host's name and process namespace, written into lock files (two
 *                         containers on one host network share a name but not a pid namespace)
 * @param pid              this process's id, written into lock files
 * @param instance         a random id of this store instance (a restarted container may reuse
 *                         host name and pid 1; the instance id tells its locks apart)
 * @param lockWait         how long an open waits for the lock of a maildrop held elsewhere (or
 *                         being released by a session of this store) before {@code [IN-USE]}
 */
public record MaildirSettings(Duration staleLockTimeout, String host, long pid, String instance, Duration lockWait) {

    /** Without waiting for a held lock. */
    public MaildirSettings(Duration staleLockTimeout, String host, long pid, String instance) {
        this(staleLockTimeout, host, pid, instance, Duration.ZERO);
    }

    public static MaildirSettings defaults(Duration staleLockTimeout) {
        return defaults(staleLockTimeout, Duration.ZERO);
    }

    public static MaildirSettings defaults(Duration staleLockTimeout, Duration lockWait) {
        return new MaildirSettings(staleLockTimeout, hostName().replace(":", "").replace(" ", "") + pidNamespace(),
                ProcessHandle.current().pid(), UUID.randomUUID().toString(), lockWait);
    }

    /** How often held locks are touched: often enough that a live owner never looks stale. */
    Duration heartbeatInterval() {
        return staleLockTimeout.dividedBy(4);
    }

    /** Linux: "/pid:[4026531836]"; elsewhere empty. */
    private static String pidNamespace() {
        try {
            return "/" + java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid"))
                    .toString().replace(":", "");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return "";
        }
    }

    private static String hostName() {
        return dev.pop3d.platform.HostName.current();
    }
}

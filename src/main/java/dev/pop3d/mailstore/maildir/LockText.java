package dev.pop3d.mailstore.maildir;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What a lock says about its owner, as the target of the {@code pop3d.lock} symlink:
 * {@code <token>:<pid>:<instance>:<host id>[:<host name, cut>]}, at most {@link #MAX_OCTETS}
 * octets so that ext4 keeps it in the inode (a "fast" symlink: no data block, also on a full
 * disk). The host id is 8 hex digits of SHA-256 over host name and pid namespace; the readable
 * name is only for logs. Locks of older servers ({@code owner=<host>:<pid>:<instance>} and
 * {@code token=...} lines in a regular file) are still read.
 */
record LockText(String token, long pid, String instance, String hostId, String hostName) {
    /** ext4 stores symlink targets shorter than 60 octets in the inode itself. */
    static final int MAX_OCTETS = 59;
    private static final SecureRandom RANDOM = new SecureRandom();

    static LockText ours(MaildirSettings settings) {
        byte[] token = new byte[6];
        RANDOM.nextBytes(token);
        String instance = settings.instance().length() > 8 ? settings.instance().substring(0, 8) : settings.instance();
        return new LockText(HexFormat.of().formatHex(token), settings.pid(), instance, hostId(settings.host()), settings.host());
    }

    /** The symlink target, cut to {@link #MAX_OCTETS} (only the readable host name is cut). */
    String text() {
        String fixed = token + ":" + pid + ":" + instance + ":" + hostId;
        String readable = hostName.replaceAll("[^A-Za-z0-9._-]", "");
        int room = MAX_OCTETS - fixed.length() - 1;
        return room <= 0 || readable.isEmpty() ? fixed : fixed + ":" + readable.substring(0, Math.min(room, readable.length()));
    }

    /** Whether this lock names this host (same name and pid namespace) and this store. */
    boolean sameHost(MaildirSettings settings) {
        return hostId.equals(hostId(settings.host()));
    }

    boolean sameStore(MaildirSettings settings) {
        return sameHost(settings) && pid == settings.pid()
                && (settings.instance().equals(instance) || settings.instance().startsWith(instance) && instance.length() == 8);
    }

    String owner() {
        return (hostName.isEmpty() ? "host #" + hostId : hostName) + " pid " + pid;
    }

    static Optional<LockText> parse(String text) {
        if (text.startsWith("owner=") || text.contains("\nowner=")) {
            return legacy(text);
        }
        String[] fields = text.split(":", 5);
        if (fields.length < 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LockText(fields[0], Long.parseLong(fields[1]), fields[2], fields[3],
                    fields.length == 5 ? fields[4] : ""));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<LockText> legacy(String text) {
        String owner = "";
        String token = "";
        for (String field : text.split("[\n ]")) {
            if (field.startsWith("owner=")) {
                owner = field.substring("owner=".length());
            } else if (field.startsWith("token=")) {
                token = field.substring("token=".length());
            }
        }
        String[] parts = owner.split(":", 3);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LockText(token, Long.parseLong(parts[1]), parts[2], hostId(parts[0]), parts[0]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String hostId(String host) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(host.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}

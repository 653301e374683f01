package dev.pop3d.load.faults;

import dev.pop3d.load.client.Pop3Client;
import dev.pop3d.load.faults.Model.Msg;
import dev.pop3d.load.faults.Model.State;
import dev.pop3d.load.faults.Violations.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Checks one maildrop against the {@link Model} while a session holds its lock (so nothing moves):
 * the files on disk (each message once, byte for byte; none deleted that no {@code +OK} QUIT
 * deleted; none back that was gone), then what the server says (UIDL stable, LIST sizes, TOP ids,
 * one RETR compared byte for byte).
 */
final class Checker {
    private Checker() {}

    /** The session's messages in order (number i+1), for the caller's DELE choices. */
    static List<Msg> check(Model model, String user, Pop3Client client, Violations violations, Random random,
                           String context) throws IOException {
        leftovers(model.maildir(user), violations, context);
        List<String> unreadable = new ArrayList<>();
        Map<String, List<byte[]>> disk = model.onDisk(user, unreadable);
        for (String file : unreadable) {
            violations.add(Kind.TRUNCATED, context + ": " + user + " " + file + " has no id header");
        }
        Set<String> known = new HashSet<>();
        for (Msg msg : model.of(user)) {
            known.add(msg.id);
            List<byte[]> copies = disk.getOrDefault(msg.id, List.of());
            if (copies.size() > 1) {
                violations.add(Kind.DUPLICATED, context + ": " + msg.id + " is stored " + copies.size() + " times");
            }
            if (msg.state == State.GONE) {
                if (!copies.isEmpty()) {
                    violations.add(Kind.QUIT_NOT_APPLIED, context + ": " + msg.id + " deleted by a +OK QUIT (or a "
                            + "durable journal) or seen gone, but present");
                }
                continue;
            }
            if (copies.isEmpty()) {
                if (msg.state == State.PRESENT) {
                    violations.add(Kind.LOST, context + ": " + msg.id + " (" + msg.length + " octets) is gone");
                } else {
                    model.mark(msg, State.GONE);
                }
                continue;
            }
            for (byte[] copy : copies) {
                if (!Arrays.equals(copy, msg.bytes)) {
                    violations.add(Kind.TRUNCATED, context + ": " + msg.id + " has " + copy.length + " octets, not "
                            + msg.length + " as delivered");
                }
            }
            model.mark(msg, State.PRESENT);
        }
        for (String id : disk.keySet()) {
            if (!known.contains(id)) {
                violations.add(Kind.DUPLICATED, context + ": " + user + " holds " + id + ", never delivered there");
            }
        }
        return listing(model, user, client, violations, random, context, disk);
    }

    /**
     * What killed processes left in the Maildir root is gone once a login holds the lock: index and
     * journal temporary files at once, locks moved aside once older than a minute (65 s here).
     */
    private static void leftovers(java.nio.file.Path maildir, Violations violations, String context) throws IOException {
        java.time.Instant asideBefore = java.time.Instant.now().minusSeconds(65);
        try (java.util.stream.Stream<java.nio.file.Path> entries = java.nio.file.Files.list(maildir)) {
            for (java.nio.file.Path entry : (Iterable<java.nio.file.Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                boolean temp = name.startsWith("pop3d-uidlist.tmp.") || name.startsWith("pop3d-deletions.tmp.");
                boolean aside = name.startsWith("pop3d.lock.stale.") || name.startsWith("pop3d.lock.released.");
                if (temp || aside && java.nio.file.Files.getLastModifiedTime(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        .toInstant().isBefore(asideBefore)) {
                    violations.add(Kind.LEFTOVER, context + ": " + entry + " is still there after a login");
                }
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // removed meanwhile
        }
    }

    private static List<Msg> listing(Model model, String user, Pop3Client client, Violations violations,
                                     Random random, String context, Map<String, List<byte[]>> disk) throws IOException {
        Pop3Client.MultiLine uidl = client.multiLine("UIDL");
        Pop3Client.MultiLine list = client.multiLine("LIST");
        if (!uidl.ok() || !list.ok()) {
            violations.add(Kind.LISTING, context + ": UIDL/LIST refused: " + uidl.status().line());
            return List.of();
        }
        List<String> uids = uidl.lines();
        List<String> sizes = list.lines();
        int onDisk = disk.values().stream().mapToInt(List::size).sum();
        if (uids.size() != onDisk || sizes.size() != onDisk) {
            violations.add(Kind.LISTING, context + ": " + user + " lists " + uids.size() + " messages, " + onDisk
                    + " files on disk");
        }
        List<String> tops = new ArrayList<>();
        for (int i = 1; i <= uids.size(); i++) {
            tops.add("TOP " + i + " 0");
        }
        client.pipeline(tops);
        List<Msg> messages = new ArrayList<>();
        for (int i = 0; i < uids.size(); i++) {
            Pop3Client.MultiLine top = client.readMultiLine();
            String id = top.ok() ? Model.idOf(top.body()) : null;
            Msg msg = id == null ? null : model.get(id);
            if (msg == null || !msg.user.equals(user)) {
                violations.add(Kind.LISTING, context + ": message " + (i + 1) + " of " + user + " is not ours: "
                        + top.status().line());
                messages.add(null);
                continue;
            }
            messages.add(msg);
            String uid = uids.get(i).substring(uids.get(i).indexOf(' ') + 1);
            observeUid(msg, uid, violations, context);
            long size = Long.parseLong(sizes.get(i).substring(sizes.get(i).indexOf(' ') + 1).strip());
            if (size != msg.length) {
                violations.add(Kind.TRUNCATED, context + ": LIST says " + size + " octets for " + id + ", stored "
                        + msg.length);
            }
        }
        retrOne(client, messages, violations, random, context);
        return messages;
    }

    private static void retrOne(Pop3Client client, List<Msg> messages, Violations violations, Random random,
                                String context) throws IOException {
        if (messages.isEmpty()) {
            return;
        }
        int number = 1 + random.nextInt(messages.size());
        Msg msg = messages.get(number - 1);
        if (msg == null) {
            return;
        }
        byte[] expected = msg.bytes;
        Pop3Client.MultiLine retr = client.multiLine("RETR " + number);
        if (!retr.ok() || expected == null || !Arrays.equals(retr.body(), expected)) {
            violations.add(Kind.TRUNCATED, context + ": RETR " + number + " (" + msg.id + ") gave "
                    + retr.body().length + " octets: " + retr.status().line());
        }
    }

    /** The first UID a client saw for a message is its UID for good (RFC 1939 §7). */
    static void observeUid(Msg msg, String uid, Violations violations, String context) {
        synchronized (msg) {
            if (msg.uid == null) {
                msg.uid = uid;
            } else if (!msg.uid.equals(uid)) {
                violations.add(Kind.UID_CHANGED, context + ": " + msg.id + " was " + msg.uid + ", now " + uid);
            }
        }
    }
}

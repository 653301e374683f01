package dev.pop3d.load.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the Maildirs must hold: every message this harness delivered, with its exact bytes and,
 * once a client saw it, its UID. A message is {@link State#PRESENT} until a QUIT that deleted it
 * was answered {@code +OK} (or its deletion journal was durable before the crash): then
 * {@link State#GONE}. Marked, QUIT sent, no answer: {@link State#MAYBE}, settled by the next
 * check (present once and intact, or gone for good). Thread-safe (the replica clients share one).
 */
final class Model {
    enum State { PRESENT, MAYBE, GONE }

    static final class Msg {
        final String id;
        final String user;
        final String fileName;
        final int length;
        byte[] bytes; // dropped once gone
        State state = State.PRESENT;
        String uid;

        Msg(String id, String user, String fileName, byte[] bytes) {
            this.id = id;
            this.user = user;
            this.fileName = fileName;
            this.bytes = bytes;
            this.length = bytes.length;
        }
    }

    static final String ID_HEADER = "X-Fault-Id: ";
    private final Path root;
    private final String prefix;
    private final Map<String, Msg> byId = new LinkedHashMap<>();
    private long sequence;

    Model(Path root, String prefix) {
        this.root = root;
        this.prefix = prefix;
    }

    Path maildir(String user) {
        return root.resolve(user).resolve("Maildir");
    }

    /** Delivers as an MDA does: written to tmp/, then renamed into new/. */
    synchronized Msg deliver(String user, int size, Random random) throws IOException {
        String id = prefix + "-" + (++sequence);
        byte[] bytes = message(id, size, random);
        Path maildir = maildir(user);
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(maildir.resolve(sub));
        }
        String name = String.format("%d.M%08dP%dQ%s.fault", System.currentTimeMillis() / 1000, sequence,
                ProcessHandle.current().pid(), prefix);
        Path temp = maildir.resolve("tmp").resolve(name);
        Files.write(temp, bytes);
        Files.move(temp, maildir.resolve("new").resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Msg msg = new Msg(id, user, name, bytes);
        byId.put(id, msg);
        return msg;
    }

    synchronized Msg get(String id) {
        return byId.get(id);
    }

    synchronized List<Msg> of(String user) {
        List<Msg> out = new ArrayList<>();
        for (Msg msg : byId.values()) {
            if (msg.user.equals(user)) {
                out.add(msg);
            }
        }
        return out;
    }

    synchronized void mark(Msg msg, State state) {
        if (msg.state == State.GONE) {
            return;
        }
        msg.state = state;
        if (state == State.GONE) {
            msg.bytes = null;
        }
    }

    /** A message's wire form equals its stored bytes: CRLF lines, ending in CRLF. */
    static byte[] message(String id, int size, Random random) {
        StringBuilder text = new StringBuilder(size + 200);
        text.append("Message-ID: <").append(id).append("@fault.invalid>\r\n");
        text.append(ID_HEADER).append(id).append("\r\n");
        text.append("Subject: fault injection ").append(id).append("\r\n\r\n");
        while (text.length() < size) {
            int length = random.nextInt(100);
            if (random.nextInt(10) == 0) {
                text.append('.'); // RFC 1939 §3: the server must stuff it, the client unstuff it
            }
            for (int i = 0; i < length; i++) {
                text.append((char) (' ' + random.nextInt(95)));
            }
            text.append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The id in a message's header block, or null. */
    static String idOf(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 400), StandardCharsets.US_ASCII);
        int at = head.indexOf("\r\n" + ID_HEADER);
        if (at < 0) {
            return null;
        }
        int from = at + 2 + ID_HEADER.length();
        int end = head.indexOf("\r\n", from);
        return end < 0 ? null : head.substring(from, end);
    }

    /** Every message file in cur/ and new/ by id (several files for one id: a duplicate). */
    Map<String, List<byte[]>> onDisk(String user, List<String> unreadable) throws IOException {
        Map<String, List<byte[]>> found = new HashMap<>();
        for (String sub : new String[] {"cur", "new"}) {
            Path folder = maildir(user).resolve(sub);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
                for (Path file : files) {
                    byte[] bytes;
                    try {
                        bytes = Files.readAllBytes(file);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        continue;
                    }
                    String id = idOf(bytes);
                    if (id == null) {
                        unreadable.add(sub + "/" + file.getFileName());
                    } else {
                        found.computeIfAbsent(id, k -> new ArrayList<>()).add(bytes);
                    }
                }
            }
        }
        return found;
    }
}

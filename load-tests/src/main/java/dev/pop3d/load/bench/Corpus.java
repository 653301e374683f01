package dev.pop3d.load.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The seeded corpus every server gets: regular users with a few messages of 1 KiB to 1 MiB, one
 * user with one big message (64 MiB), one user with a 10,000-message mailbox, one user for the
 * command scenario and the idle scenario's one-message users. Messages are stored LF or CRLF
 * (alternating), with 8-bit bytes, lines starting with "." and lone "." lines; the first header of
 * each is {@code X-Bench-Id: user/k}, which identifies it in a RETR whatever the server's order.
 * For each message the expected wire form's length and SHA-256 are kept (CRLF form, and the form
 * without trailing white space that GreenMail sends: {@link TrimmedDigest}).
 */
final class Corpus {
    static final String ID_HEADER = "X-Bench-Id: ";
    static final String DOMAIN = "bench.test";

    /** Sizes of one corpus: full or smoke. */
    record Sizes(int users, int bigboxMessages, int bigOctets, int idleUsers) {
    }

    /** One stored message and what a correct server sends for it. */
    record Message(String id, String user, Path file, long crlfOctets, byte[] sha256, byte[] normalisedSha256) {
    }

    private final Path master;
    private final long seed;
    private final Sizes sizes;
    private final Map<String, List<Message>> mailboxes = new LinkedHashMap<>();
    private final Map<String, Message> byId = new HashMap<>();
    private final List<String> regularUsers = new ArrayList<>();
    private final List<String> idleUsers = new ArrayList<>();

    private Corpus(Path master, long seed, Sizes sizes) {
        this.master = master;
        this.seed = seed;
        this.sizes = sizes;
    }

    static Corpus generate(Path master, long seed, Sizes sizes) throws IOException {
        Corpus corpus = new Corpus(master, seed, sizes);
        corpus.write();
        return corpus;
    }

    Path master() {
        return master;
    }

    long seed() {
        return seed;
    }

    Sizes sizes() {
        return sizes;
    }

    static String password(String user) {
        return "pw-" + user;
    }

    List<String> regularUsers() {
        return regularUsers;
    }

    List<String> idleUsers() {
        return idleUsers;
    }

    List<String> allUsers() {
        return List.copyOf(mailboxes.keySet());
    }

    List<Message> mailbox(String user) {
        return mailboxes.get(user);
    }

    Message byId(String id) {
        return byId.get(id);
    }

    long totalOctets() {
        return byId.values().stream().mapToLong(Message::crlfOctets).sum();
    }

    int messageCount() {
        return byId.size();
    }

    /** {@code user:{SHA256}base64} lines (pop3d). */
    List<String> pop3dUsers() {
        return mailboxes.keySet().stream().map(u -> u + ":{SHA256}" + sha256Base64(password(u))).toList();
    }

    /** Dovecot passwd-file lines {@code user:{SHA256}base64:uid:gid::home::}. */
    List<String> dovecotUsers(int uid, int gid, Path mailRoot) {
        return mailboxes.keySet().stream().map(u -> u + ":{SHA256}" + sha256Base64(password(u)) + ":" + uid + ":" + gid
                + "::" + mailRoot.resolve(u) + "::").toList();
    }

    static String sha256Base64(String text) {
        return Base64.getEncoder().encodeToString(BenchClient.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private void write() throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 1; i <= sizes.users(); i++) {
            String user = String.format("u%05d", i);
            regularUsers.add(user);
            int count = 1 + random.nextInt(4);
            for (int k = 1; k <= count; k++) {
                double p = random.nextDouble();
                int octets = p < 0.70 ? between(random, 1024, 8 * 1024)
                        : p < 0.95 ? between(random, 8 * 1024, 64 * 1024) : between(random, 64 * 1024, 1024 * 1024);
                message(user, k, octets, random);
            }
        }
        message("big", 1, sizes.bigOctets(), random);
        for (int k = 1; k <= sizes.bigboxMessages(); k++) {
            message("bigbox", k, between(random, 1024, 3 * 1024), random);
        }
        for (int k = 1; k <= 3; k++) {
            message("cmd", k, between(random, 1024, 4 * 1024), random);
        }
        for (int i = 1; i <= sizes.idleUsers(); i++) {
            String user = String.format("idle%05d", i);
            idleUsers.add(user);
            message(user, 1, 1024, random);
        }
    }

    private static int between(SplittableRandom random, int low, int high) {
        return low + random.nextInt(high - low);
    }

    private void message(String user, int k, int targetOctets, SplittableRandom random) throws IOException {
        Path maildir = master.resolve(user).resolve("Maildir");
        if (k == 1) {
            Files.createDirectories(maildir.resolve("cur"));
            Files.createDirectories(maildir.resolve("new"));
            Files.createDirectories(maildir.resolve("tmp"));
        }
        String id = user + "/" + k;
        boolean crlf = (byId.size() % 2) == 1;
        Path file = maildir.resolve("cur").resolve(String.format("1764590000.M%06dP1.bench:2,", k));
        MessageDigest full = BenchClient.sha256();
        TrimmedDigest normalised = new TrimmedDigest();
        long octets = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
            List<byte[]> lines = new ArrayList<>();
            lines.add((ID_HEADER + id).getBytes(StandardCharsets.ISO_8859_1));
            lines.add(("From: sender" + k + "@" + DOMAIN).getBytes(StandardCharsets.ISO_8859_1));
            lines.add(("To: " + user + "@" + DOMAIN).getBytes(StandardCharsets.ISO_8859_1));
            lines.add(("Subject: bench message " + id).getBytes(StandardCharsets.ISO_8859_1));
            lines.add("Date: Mon, 01 Dec 2025 12:00:00 +0000".getBytes(StandardCharsets.ISO_8859_1));
            lines.add(("Message-ID: <" + id.replace('/', '.') + "@" + DOMAIN + ">").getBytes(StandardCharsets.ISO_8859_1));
            lines.add("MIME-Version: 1.0".getBytes(StandardCharsets.ISO_8859_1));
            lines.add("Content-Type: text/plain; charset=iso-8859-1".getBytes(StandardCharsets.ISO_8859_1));
            lines.add("Content-Transfer-Encoding: 8bit".getBytes(StandardCharsets.ISO_8859_1));
            lines.add(new byte[0]);
            long written = 0;
            byte[] eol = crlf ? new byte[] {'\r', '\n'} : new byte[] {'\n'};
            byte[] crlfBytes = {'\r', '\n'};
            int index = 0;
            while (true) {
                byte[] line = index < lines.size() ? lines.get(index++) : bodyLine(random);
                out.write(line);
                out.write(eol);
                written += line.length + eol.length;
                octets += line.length + 2;
                full.update(line);
                full.update(crlfBytes);
                normalised.line(line, 0, line.length);
                if (index >= lines.size() && written >= targetOctets) {
                    break;
                }
            }
            if (random.nextInt(5) == 0) { // a trailing empty line (GreenMail drops it)
                out.write(eol);
                octets += 2;
                full.update(crlfBytes);
            }
        }
        Message message = new Message(id, user, file, octets, full.digest(), normalised.finish());
        mailboxes.computeIfAbsent(user, u -> new ArrayList<>()).add(message);
        byId.put(id, message);
    }

    private static byte[] bodyLine(SplittableRandom random) {
        int kind = random.nextInt(100);
        if (kind < 2) {
            return new byte[] {'.'};
        }
        if (kind < 5) {
            return new byte[0];
        }
        int length = 1 + random.nextInt(120);
        byte[] line = new byte[length];
        boolean eightBit = kind < 15;
        for (int i = 0; i < length; i++) {
            line[i] = eightBit && random.nextInt(8) == 0 ? (byte) (0xA0 + random.nextInt(0x60))
                    : (byte) (0x20 + random.nextInt(0x5F));
        }
        if (kind < 10) {
            line[0] = '.';
        }
        return line;
    }
}

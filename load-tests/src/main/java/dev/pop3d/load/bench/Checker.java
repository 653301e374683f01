package dev.pop3d.load.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Correctness under load: every answer is checked against the corpus (LIST octet counts, RETR bytes
 * in CRLF form, TOP, UIDL stable across sessions). A wrong answer from a strict server fails the
 * run; GreenMail's are compared after normalising its known deviations and only counted.
 */
final class Checker {
    private final Corpus corpus;
    private final Map<String, List<String>> uidls = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> wrong = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> checks = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();

    Checker(Corpus corpus) {
        this.corpus = corpus;
    }

    Corpus corpus() {
        return corpus;
    }

    void fail(Peer peer, String what) {
        wrong.computeIfAbsent(peer.name, k -> new AtomicLong()).incrementAndGet();
        if (examples.size() < 20) {
            examples.add(peer.name + ": " + what);
            System.err.println("WRONG ANSWER " + peer.name + ": " + what);
        }
    }

    void checked(Peer peer) {
        checks.computeIfAbsent(peer.name, k -> new AtomicLong()).incrementAndGet();
    }

    long wrong(String peer) {
        AtomicLong n = wrong.get(peer);
        return n == null ? 0 : n.get();
    }

    long checks(String peer) {
        AtomicLong n = checks.get(peer);
        return n == null ? 0 : n.get();
    }

    List<String> examples() {
        return List.copyOf(examples);
    }

    /** LIST: one line per message; strict servers' octet counts are the CRLF sizes of the stored messages. */
    long[] list(Peer peer, String user, List<String> lines) throws BenchClient.WrongAnswer {
        List<Corpus.Message> box = corpus.mailbox(user);
        if (lines.size() != box.size()) {
            throw new BenchClient.WrongAnswer("LIST " + user, box.size() + " lines", lines.size() + " lines");
        }
        long[] sizes = new long[lines.size() + 1];
        for (int i = 0; i < lines.size(); i++) {
            String[] parts = lines.get(i).split(" ");
            if (parts.length != 2 || Integer.parseInt(parts[0]) != i + 1) {
                throw new BenchClient.WrongAnswer("LIST " + user, "\"" + (i + 1) + " <octets>\"", lines.get(i));
            }
            sizes[i + 1] = Long.parseLong(parts[1]);
        }
        if (peer.strict()) {
            long[] got = Arrays.copyOfRange(sizes, 1, sizes.length);
            long[] expected = box.stream().mapToLong(Corpus.Message::crlfOctets).toArray();
            Arrays.sort(got);
            Arrays.sort(expected);
            if (!Arrays.equals(got, expected)) {
                throw new BenchClient.WrongAnswer("LIST " + user, "the CRLF sizes of the stored messages", "other sizes");
            }
        }
        checked(peer);
        return sizes;
    }

    /** UIDL: as many as messages, and the same listing in every session of this server's data. */
    void uidl(Peer peer, String user, List<String> lines) throws BenchClient.WrongAnswer {
        if (lines.size() != corpus.mailbox(user).size()) {
            throw new BenchClient.WrongAnswer("UIDL " + user, corpus.mailbox(user).size() + " lines", lines.size() + " lines");
        }
        List<String> previous = uidls.putIfAbsent(peer.name + "#" + peer.generation + "#" + user, lines);
        if (previous != null && !previous.equals(lines)) {
            throw new BenchClient.WrongAnswer("UIDL " + user, "the listing of the previous session", "a different one");
        }
        checked(peer);
    }

    /** RETR m: the body is one of the user's messages, byte for byte, and LIST's count for m matches it. */
    void retr(Peer peer, String user, int m, long[] sizes, BenchClient.Body body) throws BenchClient.WrongAnswer {
        Corpus.Message message = corpus.byId(body.id());
        if (message == null || !message.user().equals(user)) {
            throw new BenchClient.WrongAnswer("RETR " + m + " of " + user, "one of " + user + "'s messages", "id " + body.id());
        }
        if (peer.strict()) {
            if (body.octets() != message.crlfOctets() || !Arrays.equals(body.sha256(), message.sha256())) {
                throw new BenchClient.WrongAnswer("RETR " + m + " (" + message.id() + ")", message.crlfOctets() + " octets as stored",
                        body.octets() + " octets" + (body.octets() == message.crlfOctets() ? " with other bytes" : ""));
            }
            if (sizes != null && sizes[m] != message.crlfOctets()) {
                throw new BenchClient.WrongAnswer("LIST " + m + " (" + message.id() + ")", message.crlfOctets() + " octets", sizes[m] + "");
            }
        } else if (!Arrays.equals(body.sha256(), message.normalisedSha256())) {
            throw new BenchClient.WrongAnswer("RETR " + m + " (" + message.id() + ")", "the stored bytes (normalised)", "other bytes");
        }
        checked(peer);
    }

    /** TOP m n: the header, the blank line and the first n body lines of the stored message. */
    void top(Peer peer, String command, Corpus.Message message, int bodyLines, List<String> got) throws IOException {
        List<String> expected = topLines(message, bodyLines);
        List<String> actual = got;
        if (peer.lenient()) { // GreenMail: its Return-Path/Received first; trailing white space dropped
            int from = 0;
            while (from < actual.size() && !actual.get(from).startsWith(Corpus.ID_HEADER)) {
                from++;
            }
            actual = new ArrayList<>(actual.subList(Math.min(from, actual.size()), actual.size()));
            expected = new ArrayList<>(expected);
            trimEmpty(actual);
            trimEmpty(expected);
        }
        if (!actual.equals(expected)) {
            throw new BenchClient.WrongAnswer(command + " (" + message.id() + ")", expected.size() + " lines as stored",
                    actual.size() + " lines" + (actual.size() == expected.size() ? " with other text" : ""));
        }
        checked(peer);
    }

    /** Trailing white space left out, as {@link TrimmedDigest} does. */
    private static void trimEmpty(List<String> lines) {
        while (!lines.isEmpty()) {
            String last = lines.get(lines.size() - 1).replaceAll("[ \t]+$", "");
            if (!last.isEmpty()) {
                lines.set(lines.size() - 1, last);
                return;
            }
            lines.remove(lines.size() - 1);
        }
    }

    static List<String> topLines(Corpus.Message message, int bodyLines) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(16 * 1024);
        try (FileChannel file = FileChannel.open(message.file(), StandardOpenOption.READ)) {
            while (head.hasRemaining() && file.read(head) > 0) {
                // fill
            }
        }
        String text = new String(head.array(), 0, head.position(), StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>();
        boolean body = false;
        int taken = 0;
        int start = 0;
        while (start < text.length()) {
            int lf = text.indexOf('\n', start);
            if (lf < 0) {
                break;
            }
            String line = text.substring(start, lf > start && text.charAt(lf - 1) == '\r' ? lf - 1 : lf);
            start = lf + 1;
            if (body && taken++ >= bodyLines) {
                break;
            }
            lines.add(line);
            if (!body && line.isEmpty()) {
                body = true;
            }
        }
        return lines;
    }
}

package dev.pop3d.mailstore.maildir;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Reads {@code pop3d-uidlist} leniently: bytes split at LF, each line decoded as UTF-8 on its own,
 * so one 0xFF byte (or a megabyte of random bytes) costs only the lines it hits, never the
 * mailbox. Lines that parse keep their UIDs; the others are counted and logged once. A lost
 * header gets a new validity, so the UIDs given from then on cannot collide with kept ones.
 */
final class IndexReader {
    private static final Logger LOG = Logger.getLogger(IndexReader.class);

    private IndexReader() {}

    private record Header(int validity, long next) {}

    static MaildirIndex read(Path file, byte[] bytes, SecureRandom random) {
        int start = 0;
        int lineNumber = 0;
        int dropped = 0;
        Optional<Header> header = Optional.empty();
        Map<String, MaildirIndex.Entry> entries = new LinkedHashMap<>();
        Set<String> uids = new HashSet<>();
        while (start < bytes.length) {
            int end = indexOf(bytes, (byte) '\n', start);
            Optional<String> line = decode(bytes, start, end);
            start = end + 1;
            if (lineNumber++ == 0) {
                header = line.flatMap(IndexReader::header);
                if (header.isEmpty()) {
                    dropped++;
                }
                continue;
            }
            Optional<Map.Entry<String, MaildirIndex.Entry>> entry = line.flatMap(IndexReader::entry);
            if (entry.isPresent() && uids.add(entry.get().getValue().uid())
                    && !entries.containsKey(entry.get().getKey())) {
                entries.put(entry.get().getKey(), entry.get().getValue());
            } else {
                dropped++;
            }
        }
        Header kept = header.map(h -> new Header(h.validity(), Math.max(h.next(), nextAfter(h.validity(), uids))))
                .orElseGet(() -> new Header(freshValidity(random, uids), 1));
        if (dropped > 0) {
            LOG.warnf("index %s: %d unreadable line(s) dropped%s, %d UID(s) kept; the rest is rebuilt", file,
                    dropped, header.isPresent() ? "" : " (header among them: new validity)", entries.size());
        }
        return MaildirIndex.of(file, kept.validity(), kept.next(), entries, dropped > 0);
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return bytes.length;
    }

    /** Strict per line: a line with a malformed sequence is dropped, never guessed at. */
    private static Optional<String> decode(byte[] bytes, int from, int to) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return Optional.of(decoder.decode(ByteBuffer.wrap(bytes, from, to - from)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static Optional<Header> header(String line) {
        String[] fields = line.split(" ");
        if (fields.length != 4 || !(fields[0] + " " + fields[1]).equals(MaildirIndex.MAGIC)
                || fields[2].length() != 8) {
            return Optional.empty();
        }
        try {
            long next = Long.parseLong(fields[3]);
            return next < 1 ? Optional.empty()
                    : Optional.of(new Header(Integer.parseUnsignedInt(fields[2], 16), next));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Map.Entry<String, MaildirIndex.Entry>> entry(String line) {
        String[] fields = line.split(" ", 4);
        if (fields.length != 4 || !Uids.valid(fields[0]) || !MaildirStore.acceptableName(fields[3])) {
            return Optional.empty();
        }
        try {
            long raw = Long.parseLong(fields[1]);
            long octets = Long.parseLong(fields[2]);
            return raw < -1 || octets < 0 ? Optional.empty() // -1: size to be read again
                    : Optional.of(Map.entry(fields[3], new MaildirIndex.Entry(fields[0], raw, octets)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The sequence after every kept UID of this validity (a damaged header must not reissue one). */
    private static long nextAfter(int validity, Set<String> uids) {
        String prefix = String.format("%08x", validity);
        long next = 1;
        for (String uid : uids) {
            if (uid.length() == 16 && uid.startsWith(prefix)) {
                try {
                    next = Math.max(next, Long.parseUnsignedLong(uid.substring(8), 16) + 1);
                } catch (NumberFormatException e) {
                    // not one of ours: it cannot collide with %08x%08x
                }
            }
        }
        return next;
    }

    private static int freshValidity(SecureRandom random, Set<String> uids) {
        while (true) {
            int validity = random.nextInt();
            String prefix = String.format("%08x", validity);
            if (uids.stream().noneMatch(uid -> uid.startsWith(prefix))) {
                return validity;
            }
        }
    }
}

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

    /** Header fields; {@code version} 0 when the header line was lost. */
    private record Header(int version, int validity, long next, MaildirIndex.Listing listing) {}

    static MaildirIndex read(Path file, byte[] bytes, SecureRandom random) {
        int headerEnd = indexOf(bytes, (byte) '\n', 0);
        Optional<Header> header = bytes.length == 0 ? Optional.empty()
                : decode(newDecoder(), bytes, 0, headerEnd).flatMap(IndexReader::header);
        int dropped = bytes.length > 0 && header.isEmpty() ? 1 : 0;
        int version = header.map(Header::version).orElse(0);
        int expected = Math.min(bytes.length / 40, 1 << 20) + 16; // lines are ~80 octets: no rehashing
        Map<String, MaildirIndex.Entry> entries = new LinkedHashMap<>(expected * 2);
        SeenUids seen = new SeenUids(version == 2 ? 0 : expected);
        String validityHex = header.map(h -> java.util.HexFormat.of().toHexDigits(h.validity())).orElse(null);
        IndexLineParser fast = version == 2 ? new IndexLineParser(bytes) : null;
        CharsetDecoder decoder = null;
        long after = 1; // the sequence after every kept UID of the header's validity
        for (int start = headerEnd + 1; start < bytes.length; ) {
            String base;
            MaildirIndex.Entry entry;
            long sequence;
            if (fast != null && fast.parse(start, validityHex)) {
                base = fast.base;
                entry = fast.entry;
                sequence = fast.sequence;
                start = fast.end + 1;
            } else { // anything but the canonical form: decoded and parsed the general way
                int end = indexOf(bytes, (byte) '\n', start);
                decoder = decoder == null ? newDecoder() : decoder;
                Optional<Map.Entry<String, MaildirIndex.Entry>> general = decode(decoder, bytes, start, end)
                        .flatMap(l -> entry(l, version));
                start = end + 1;
                if (general.isEmpty()) {
                    dropped++;
                    continue;
                }
                base = general.get().getKey();
                entry = general.get().getValue();
                sequence = IndexLineParser.sequenceOf(entry.uid(), validityHex);
            }
            boolean newUid = seen.add(entry.uid(), sequence);
            if (newUid && header.isPresent()) {
                after = Math.max(after, sequence >= 0 ? sequence + 1 : sequenceAfter(header.get().validity(), entry.uid()));
            }
            if (!newUid || entries.putIfAbsent(base, entry) != null) {
                dropped++;
            }
        }
        long sequenceAfterKept = after;
        Header kept = header.map(h -> new Header(h.version(), h.validity(), Math.max(h.next(), sequenceAfterKept), h.listing()))
                .orElseGet(() -> new Header(0, freshValidity(random, seen.others), 1, null));
        if (dropped > 0) {
            LOG.warnf("index %s: %d unreadable line(s) dropped%s, %d UID(s) kept; the rest is rebuilt", file,
                    dropped, header.isPresent() ? "" : " (header among them: new validity)", entries.size());
        }
        // a lost line may have been a message of the listing: then the listing no longer holds
        MaildirIndex.Listing listing = dropped > 0 ? null : kept.listing();
        return MaildirIndex.of(file, kept.validity(), kept.next(), entries, dropped > 0 || kept.version() != 2, listing);
    }

    /**
     * The UIDs seen so far: those of the header's own form ({@code %08x%08x}, lower case, this
     * validity) as bits of their sequence number, any other as a String (never equal to one of
     * the first kind, so the two sets cannot disagree).
     */
    private static final class SeenUids {
        /** Sequences up to this are bits (512 KiB at most, whatever a damaged file says); later ones Strings. */
        private static final long MAX_BIT = 1 << 22;
        private final java.util.BitSet ours = new java.util.BitSet();
        final Set<String> others;

        SeenUids(int expected) {
            this.others = new HashSet<>(Math.max(16, expected * 2));
        }

        boolean add(String uid, long sequence) {
            if (sequence >= 0 && sequence < MAX_BIT) {
                if (ours.get((int) sequence)) {
                    return false;
                }
                ours.set((int) sequence);
                return true;
            }
            return others.add(uid);
        }
    }

    private static CharsetDecoder newDecoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
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
    private static Optional<String> decode(CharsetDecoder decoder, byte[] bytes, int from, int to) {
        boolean ascii = true;
        for (int i = from; i < to && ascii; i++) {
            ascii = bytes[i] >= 0;
        }
        if (ascii) { // the usual line: ASCII is valid UTF-8 as it is
            return Optional.of(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
        }
        decoder.reset();
        try {
            return Optional.of(decoder.decode(ByteBuffer.wrap(bytes, from, to - from)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** Format 2: magic, validity, next, cur/ key and mtime (both "-" or both set); format 1: the first three. */
    private static Optional<Header> header(String line) {
        String[] fields = line.split(" ");
        int version = fields.length == 6 && (fields[0] + " " + fields[1]).equals(MaildirIndex.MAGIC) ? 2
                : fields.length == 4 && (fields[0] + " " + fields[1]).equals(MaildirIndex.MAGIC_V1) ? 1 : 0;
        if (version == 0 || fields[2].length() != 8) {
            return Optional.empty();
        }
        try {
            long next = Long.parseLong(fields[3]);
            int validity = Integer.parseUnsignedInt(fields[2], 16);
            if (next < 1) {
                return Optional.empty();
            }
            if (version == 1) {
                return Optional.of(new Header(1, validity, next, null));
            }
            if (fields[4].isEmpty() || fields[4].equals("-") != fields[5].equals("-")) {
                return Optional.empty();
            }
            MaildirIndex.Listing listing = fields[4].equals("-") ? null
                    : new MaildirIndex.Listing(fields[4], Long.parseLong(fields[5]));
            return Optional.of(new Header(2, validity, next, listing));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A line of the header's format; without a header, format 2 is tried first, then format 1. */
    private static Optional<Map.Entry<String, MaildirIndex.Entry>> entry(String line, int version) {
        return switch (version) {
            case 1 -> entryV1(line);
            case 2 -> entryV2(line);
            default -> entryV2(line).or(() -> entryV1(line));
        };
    }

    /** {@code <uid> <raw> <octets> <c|s|?> <key|-> <base length|-> <file name, or base>}. */
    static Optional<Map.Entry<String, MaildirIndex.Entry>> entryV2(String line) {
        int[] ends = new int[6]; // the 6 separating blanks; the file name is the rest (it may hold blanks)
        for (int i = 0, from = 0; i < ends.length; i++) {
            ends[i] = line.indexOf(' ', from);
            if (ends[i] < 0) {
                return Optional.empty();
            }
            from = ends[i] + 1;
        }
        String uid = line.substring(0, ends[0]);
        String name = line.substring(ends[5] + 1);
        boolean noKey = ends[4] - ends[3] == 2 && line.charAt(ends[3] + 1) == '-';
        boolean noBase = ends[5] - ends[4] == 2 && line.charAt(ends[4] + 1) == '-';
        if (!Uids.valid(uid) || ends[3] - ends[2] != 2 || ends[4] - ends[3] < 2 || ends[5] - ends[4] < 2
                || !MaildirStore.acceptableName(name)) {
            return Optional.empty();
        }
        MaildirIndex.Form form = switch (line.charAt(ends[2] + 1)) {
            case 'c' -> MaildirIndex.Form.CLEAN;
            case 's' -> MaildirIndex.Form.STUFFED;
            case '?' -> MaildirIndex.Form.UNKNOWN;
            default -> null;
        };
        try {
            long raw = Long.parseLong(line, ends[0] + 1, ends[1], 10);
            long octets = Long.parseLong(line, ends[1] + 1, ends[2], 10);
            if (form == null || raw < -1 || octets < 0) { // -1: size to be read again
                return Optional.empty();
            }
            String key = noKey ? null : line.substring(ends[3] + 1, ends[4]);
            if (noBase) {
                return Optional.of(Map.entry(name, new MaildirIndex.Entry(uid, raw, octets, form, null, key)));
            }
            int baseLength = Integer.parseInt(line, ends[4] + 1, ends[5], 10);
            // the base is the whole name, or the name up to its first ':' (MaildirStore.baseName)
            if (baseLength != name.length() && baseLength != name.indexOf(':') || baseLength < 1) {
                return Optional.empty();
            }
            String base = baseLength == name.length() ? name : name.substring(0, baseLength);
            return Optional.of(Map.entry(base, new MaildirIndex.Entry(uid, raw, octets, form, name, key)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Format 1: {@code <uid> <raw> <octets> <base>}; form and file name not known. */
    private static Optional<Map.Entry<String, MaildirIndex.Entry>> entryV1(String line) {
        String[] fields = line.split(" ", 4);
        if (fields.length != 4 || !Uids.valid(fields[0]) || !MaildirStore.acceptableName(fields[3])) {
            return Optional.empty();
        }
        try {
            long raw = Long.parseLong(fields[1]);
            long octets = Long.parseLong(fields[2]);
            return raw < -1 || octets < 0 ? Optional.empty()
                    : Optional.of(Map.entry(fields[3],
                            new MaildirIndex.Entry(fields[0], raw, octets, MaildirIndex.Form.UNKNOWN, null, null)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The sequence after {@code uid} if it is one of this validity ({@code %08x%08x}), else 1: a
     * damaged header must not reissue a kept UID.
     */
    private static long sequenceAfter(int validity, String uid) {
        if (uid.length() != 16) {
            return 1;
        }
        long sequence = 0;
        for (int i = 0; i < 16; i++) {
            int digit = Character.digit(uid.charAt(i), 16);
            if (digit < 0) {
                return 1; // not one of ours: it cannot collide with %08x%08x
            }
            sequence = sequence << 4 | digit;
        }
        return (int) (sequence >>> 32) == validity ? (sequence & 0xffffffffL) + 1 : 1;
    }

    private static int freshValidity(SecureRandom random, Set<String> uids) {
        while (true) {
            int validity = random.nextInt();
            String prefix = java.util.HexFormat.of().toHexDigits(validity);
            if (uids.stream().noneMatch(uid -> uid.startsWith(prefix))) {
                return validity;
            }
        }
    }
}

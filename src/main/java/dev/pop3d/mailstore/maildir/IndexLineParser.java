package dev.pop3d.mailstore.maildir;

import java.nio.charset.StandardCharsets;

/**
 * The fast reading of one format-2 line of {@code pop3d-uidlist}, straight from the file's bytes:
 * each byte looked at once (the line's end is found on the way), numbers parsed in place, no
 * line String, no regular expression, no lambda (ADR 0013, amended: the first login after a
 * restart runs this mostly interpreted). It takes only the canonical form the store writes —
 * ASCII, decimal sizes without sign (or {@code -1}), a form code, a key or {@code -}, a base
 * length or {@code -}, a Maildir name — and answers "not mine" for anything else, which
 * {@link IndexReader} then reads the general way (UTF-8 per line, {@code Long.parseLong}): so a
 * line read here is read exactly as there. One instance per read; not thread-safe. The fields
 * hold the last line read.
 */
final class IndexLineParser {
    /** Longest decimal this reader parses in place (no overflow below 10^18). */
    private static final int MAX_DIGITS = 18;

    private final byte[] bytes;
    /** After {@link #parse} returned true: the line's base name (its index key), entry, and end (its LF or the file's end). */
    String base;
    MaildirIndex.Entry entry;
    int end;
    /** The UID as {@code %08x%08x} (lower case) of this validity: its sequence number, else -1. */
    long sequence;

    private int at;

    IndexLineParser(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Reads the line that starts at {@code from}; false when it is not in the canonical form (the
     * general reader then decides: it may still parse, or be dropped).
     */
    boolean parse(int from, String validityHex) {
        at = from;
        int uidEnd = uidEnd();
        long raw = uidEnd < 0 ? -2 : rawSize();
        long octets = raw < -1 ? -1 : number();
        if (octets < 0 || at + 1 >= bytes.length || bytes[at + 1] != ' ') {
            return false;
        }
        MaildirIndex.Form form = switch (bytes[at]) {
            case 'c' -> MaildirIndex.Form.CLEAN;
            case 's' -> MaildirIndex.Form.STUFFED;
            case '?' -> MaildirIndex.Form.UNKNOWN;
            default -> null;
        };
        at += 2;
        int keyStart = at;
        int keyEnd = keyEnd();
        if (form == null || keyEnd <= keyStart) {
            return false;
        }
        boolean noKey = keyEnd - keyStart == 1 && bytes[keyStart] == '-';
        boolean noBase = at + 1 < bytes.length && bytes[at] == '-' && bytes[at + 1] == ' ';
        long baseLength;
        if (noBase) {
            at += 2;
            baseLength = -1;
        } else if ((baseLength = number()) < 1) {
            return false;
        }
        int nameStart = at;
        int colon = nameEnd();
        int nameLength = end - nameStart;
        if (colon < -1 || nameLength == 0 || bytes[nameStart] == '.'
                || !noBase && baseLength != nameLength && baseLength != colon) {
            return false;
        }
        String uid = ascii(from, uidEnd - from);
        String name = ascii(nameStart, nameLength);
        String key = noKey ? null : ascii(keyStart, keyEnd - keyStart);
        sequence = sequenceOf(uid, validityHex);
        if (noBase) {
            base = name;
            entry = new MaildirIndex.Entry(uid, raw, octets, form, null, key);
        } else {
            base = baseLength == nameLength ? name : name.substring(0, (int) baseLength);
            entry = new MaildirIndex.Entry(uid, raw, octets, form, name, key);
        }
        return true;
    }

    /** RFC 1939 §7: 1 to 70 characters 0x21..0x7E, then a blank (consumed); the UID's end, or -1. */
    private int uidEnd() {
        int start = at;
        for (int i = start; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == ' ') {
                at = i + 1;
                return i - start >= 1 && i - start <= Uids.MAX_UIDL_CHARS ? i : -1;
            }
            if (b < 0x21 || b > 0x7e) {
                return -1;
            }
        }
        return -1;
    }

    /** The raw size: digits, or exactly {@code -1} (size to be read again); -2 if neither. */
    private long rawSize() {
        if (at + 2 < bytes.length && bytes[at] == '-' && bytes[at + 1] == '1' && bytes[at + 2] == ' ') {
            at += 3;
            return -1;
        }
        long n = number();
        return n < 0 ? -2 : n;
    }

    /** 1 to 18 decimal digits then a blank (consumed); -1 if not. */
    private long number() {
        long n = 0;
        int start = at;
        while (at < bytes.length && bytes[at] >= '0' && bytes[at] <= '9') {
            n = n * 10 + (bytes[at++] - '0');
        }
        if (at == start || at - start > MAX_DIGITS || at >= bytes.length || bytes[at] != ' ') {
            return -1;
        }
        at++;
        return n;
    }

    /** The key's end (its blank, consumed); -1 at a line end or a byte that is not ASCII. */
    private int keyEnd() {
        for (int i = at; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == ' ') {
                at = i + 1;
                return i;
            }
            if (b == '\n' || b < 0) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Scans the name to the line's end ({@link #end}); returns the offset of its first ':' (-1:
     * none), or -2 for a byte that is not ASCII or cannot be in a Maildir name (CR, '/').
     */
    private int nameEnd() {
        int colon = -1;
        int i = at;
        for (; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                break;
            }
            if (b < 0 || b == '\r' || b == '/') {
                return -2;
            }
            if (b == ':' && colon < 0) {
                colon = i - at;
            }
        }
        end = i;
        return colon;
    }

    private String ascii(int from, int length) {
        return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
    }

    /** The sequence number of a UID {@code %08x%08x} whose first half is {@code validityHex}, else -1. */
    static long sequenceOf(String uid, String validityHex) {
        if (uid.length() != 16 || validityHex == null || !uid.startsWith(validityHex)) {
            return -1;
        }
        long sequence = 0;
        for (int i = 8; i < 16; i++) {
            char c = uid.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            sequence = sequence << 4 | digit;
        }
        return sequence;
    }
}

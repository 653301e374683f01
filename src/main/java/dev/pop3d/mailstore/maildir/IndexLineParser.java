package dev.pop3d.mailstore.maildir;

import java.nio.charset.StandardCharsets;

/**
 * The fast reading of one format-2 line of {@code pop3d-uidlist}, straight from the file's bytes:
 * one pass, numbers parsed in place, no line String, no regular expression (ADR 0013, amended).
 * It takes only the canonical form the store writes — ASCII, decimal sizes without sign (or
 * {@code -1}), a form code, a key or {@code -}, a base length or {@code -}, a Maildir name — and
 * answers "not mine" for anything else, which {@link IndexReader} then reads the general way
 * (UTF-8 per line, {@code Long.parseLong}): so a line read here is read exactly as there.
 * One instance per read; not thread-safe. Fields hold the last line read.
 */
final class IndexLineParser {
    /** Longest decimal this reader parses in place (no overflow below 10^18). */
    private static final int MAX_DIGITS = 18;

    private final byte[] bytes;
    /** The line's base name (its index key) and entry, after {@link #parse} returned true. */
    String base;
    MaildirIndex.Entry entry;
    /** The UID as {@code %08x%08x} (lower case) of this validity: its sequence number, else -1. */
    long sequence;

    private int at;

    IndexLineParser(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Reads {@code bytes[from, to)} (no LF); false when the line is not in the canonical form
     * (the general reader then decides: it may still parse, or be dropped).
     */
    boolean parse(int from, int to, String validityHex) {
        at = from;
        int uidEnd = blank(to);
        int uidLength = uidEnd - from;
        if (uidEnd < 0 || uidLength < 1 || uidLength > Uids.MAX_UIDL_CHARS) {
            return false;
        }
        for (int i = from; i < uidEnd; i++) {
            if (bytes[i] < 0x21 || bytes[i] > 0x7e) {
                return false;
            }
        }
        long raw = rawSize(to);
        long octets = raw < -1 ? -2 : number(to);
        if (octets < 0 || at + 2 > to || bytes[at + 1] != ' ') {
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
        int keyEnd = blank(to);
        if (form == null || keyEnd <= keyStart) {
            return false;
        }
        boolean noKey = keyEnd - keyStart == 1 && bytes[keyStart] == '-';
        boolean noBase = at + 1 < to && bytes[at] == '-' && bytes[at + 1] == ' ';
        long baseLength;
        if (noBase) {
            at += 2;
            baseLength = -1;
        } else if ((baseLength = number(to)) < 1) {
            return false;
        }
        int nameStart = at;
        int colon = -1;
        for (int i = nameStart; i < to; i++) {
            byte b = bytes[i];
            if (b < 0 || b == '\r' || b == '/') { // not ASCII, or not a Maildir name: the general reader decides
                return false;
            }
            if (b == ':' && colon < 0) {
                colon = i - nameStart;
            }
        }
        int nameLength = to - nameStart;
        if (nameLength == 0 || bytes[nameStart] == '.'
                || !noBase && baseLength != nameLength && baseLength != colon) {
            return false;
        }
        for (int i = keyStart; i < keyEnd; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        String uid = ascii(from, uidLength);
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

    /** The raw size: digits, or exactly {@code -1} (size to be read again); -2 if neither. */
    private long rawSize(int to) {
        if (at + 2 < to && bytes[at] == '-' && bytes[at + 1] == '1' && bytes[at + 2] == ' ') {
            at += 3;
            return -1;
        }
        long n = number(to);
        return n < 0 ? -2 : n;
    }

    /** 1 to 18 decimal digits then a blank (consumed); -1 if not. */
    private long number(int to) {
        long n = 0;
        int start = at;
        while (at < to && bytes[at] >= '0' && bytes[at] <= '9') {
            n = n * 10 + (bytes[at++] - '0');
        }
        if (at == start || at - start > MAX_DIGITS || at >= to || bytes[at] != ' ') {
            return -1;
        }
        at++;
        return n;
    }

    /** Index of the next blank before {@code to}, consumed; -1 if none. */
    private int blank(int to) {
        for (int i = at; i < to; i++) {
            if (bytes[i] == ' ') {
                at = i + 1;
                return i;
            }
        }
        return -1;
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

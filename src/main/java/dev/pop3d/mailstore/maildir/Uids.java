package dev.pop3d.mailstore.maildir;

/** RFC 1939 §7 unique-id rules. */
final class Uids {
    /** RFC 1939 §7: a unique-id is 1 to 70 characters. */
    static final int MAX_UIDL_CHARS = 70;

    private Uids() {}

    /** 1 to 70 characters, each in 0x21..0x7E. */
    static boolean valid(String uid) {
        if (uid.isEmpty() || uid.length() > MAX_UIDL_CHARS) {
            return false;
        }
        for (int i = 0; i < uid.length(); i++) {
            char c = uid.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}

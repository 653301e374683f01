package dev.pop3d.pop3.protocol;

/** Extended response codes (RFC 2449 §8, RFC 3206), written in brackets after {@code -ERR}. */
public enum ResponseCode {
    /** RFC 2449 §8.1.1: the maildrop is locked by another session. */
    IN_USE("IN-USE"),
    /** RFC 2449 §8.1.2: the user logged in too recently (LOGIN-DELAY). */
    LOGIN_DELAY("LOGIN-DELAY"),
    /** RFC 3206 §4: the failure is about the credentials. */
    AUTH("AUTH"),
    /** RFC 3206 §4: a temporary system problem; trying later may work. */
    SYS_TEMP("SYS/TEMP"),
    /** RFC 3206 §4: a permanent system problem. */
    SYS_PERM("SYS/PERM");

    private final String text;

    ResponseCode(String text) {
        this.text = text;
    }

    public String text() { return text; }
}

package dev.pop3d.admin;

/** The JSON bodies of the admin API (field names are the API's contract, ADR 0019). */
final class AdminJson {
    private AdminJson() {}

    /** POST /api/users. */
    record NewUser(String name, String password) {}

    /** A user as the API answers it; {@code created} is false when an existing test user's password was set. */
    record User(String name, boolean created) {}

    /** One message of GET /api/users/{name}/messages: its POP3 number, LIST size (CRLF octets) and UIDL. */
    record Message(int number, long size, String uid) {}

    /** POST /api/users/{name}/messages: the octets stored. */
    record Delivered(String user, long octets) {}

    /** The purges and the reset: how many messages were removed. */
    record Removed(int messages) {}

    /** Every error: a sentence saying what was wrong. */
    record Error(String error) {}
}

package dev.pop3d.mailstore;

/**
 * One message of a maildrop as the session sees it, fixed when the maildrop was opened.
 *
 * @param number 1-based message number (RFC 1939 §5), in delivery order
 * @param uid    unique-id listing value (RFC 1939 §7): 1 to 70 characters 0x21..0x7E, unique in
 *               the maildrop and stable across sessions and restarts
 * @param octets size of the message in CRLF form (see {@code CrlfOctets}), no stuffing
 */
public record MessageRef(int number, String uid, long octets) {}

package dev.pop3d.testcontainers;

/**
 * One message of a maildrop as the admin API lists it ({@code GET /api/users/{name}/messages}): its
 * POP3 message number, its size in octets as STAT and LIST count them (CRLF line ends), and its UIDL.
 */
public record Pop3dMessage(int number, long size, String uid) {}

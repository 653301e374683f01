package dev.pop3d.intake.protocol;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The lines prepended to each recipient's copy, in Dovecot LMTP's order and shape (ADR 0018):
 * {@code Return-Path} (RFC 5321 §4.4: the reverse path, at final delivery), {@code Delivered-To}
 * (the recipient as given in RCPT) and the {@code Received} trace record that RFC 5321 §4.4 says
 * a receiver MUST add. Dovecot leaves {@code Delivered-To} and {@code for} out when one
 * transaction has several recipients (it saves one copy for all); every copy here is written
 * for its recipient, so each has both.
 */
public final class TraceHeaders {
    /** RFC 5322 §3.3 date-time, as Dovecot writes it: {@code Tue, 01 Dec 2026 17:24:06 +0000}. */
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private TraceHeaders() {}

    /**
     * @param client the client's address as an RFC 5321 §4.1.3 literal, brackets included
     * @param id     this transaction's id (the session id and the transaction number)
     */
    public static byte[] of(Dialect dialect, String host, String helo, String client, String id, String sender,
                            String recipient, ZonedDateTime now) {
        String text = "Return-Path: <" + safe(sender) + ">\r\n"
                + "Delivered-To: " + safe(recipient) + "\r\n"
                + "Received: from " + safe(helo) + " (" + client + ")\r\n"
                + "\tby " + host + " with " + dialect.protocolName() + "\r\n"
                + "\tid " + id + "\r\n"
                + "\t(envelope-from <" + safe(sender) + ">)\r\n"
                + "\tfor <" + safe(recipient) + ">; " + DATE.format(now) + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Client text in a header: printable US-ASCII, no spaces or controls (they cannot be in it anyway). */
    private static String safe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c > ' ' && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}

package dev.pop3d.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an SMTP or LMTP delivery stores before the DATA bytes, as Dovecot's LMTP does: Return-Path,
 * Delivered-To and a Received trace record (its id and date vary).
 */
final class Trace {
    private static final Pattern HEADERS = Pattern.compile(
            "Return-Path: <([^>]*)>\r\nDelivered-To: (\\S+)\r\nReceived: from [^\r\n]+\r\n(?:\t[^\r\n]*\r\n)*");

    private Trace() {}

    /** Checks the trace lines of {@code stored} name {@code from} and {@code to}; returns what follows them. */
    static byte[] data(byte[] stored, String from, String to) {
        String text = new String(stored, StandardCharsets.ISO_8859_1);
        Matcher trace = HEADERS.matcher(text);
        assertTrue(trace.lookingAt(), "trace headers first:\n" + text);
        assertEquals(from, trace.group(1));
        assertEquals(to, trace.group(2));
        assertTrue(trace.group().contains("for <" + to + ">;"), trace.group());
        return Arrays.copyOfRange(stored, trace.end(), stored.length);
    }
}

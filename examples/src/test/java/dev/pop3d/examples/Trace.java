package dev.pop3d.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pop3d stores an SMTP or LMTP delivery as Dovecot's LMTP does: {@code Return-Path},
 * {@code Delivered-To} and a {@code Received} trace record, then the DATA bytes unchanged.
 */
final class Trace {
    private static final Pattern HEADERS = Pattern.compile(
            "Return-Path: <[^>]*>\r\nDelivered-To: \\S+\r\nReceived: from [^\r\n]+\r\n(?:\t[^\r\n]*\r\n)*");

    private Trace() {}

    /** What follows the trace lines of a delivered message: the bytes the client sent. */
    static byte[] sent(byte[] delivered) {
        Matcher trace = HEADERS.matcher(new String(delivered, StandardCharsets.ISO_8859_1));
        assertTrue(trace.lookingAt(), "trace headers first");
        return Arrays.copyOfRange(delivered, trace.end(), delivered.length);
    }
}

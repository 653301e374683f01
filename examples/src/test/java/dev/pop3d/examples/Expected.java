package dev.pop3d.examples;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** What pop3d stores for an SMTP or LMTP delivery: Return-Path and Delivered-To first, as Dovecot's LMTP does. */
final class Expected {
    private Expected() {}

    static byte[] delivered(String from, String to, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("Return-Path: <" + from + ">\r\nDelivered-To: " + to + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }
}

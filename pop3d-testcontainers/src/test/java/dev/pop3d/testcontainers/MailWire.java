package dev.pop3d.testcontainers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A tiny SMTP (RFC 5321) / LMTP (RFC 2033) client for the tests: one message, dot-stuffed. */
final class MailWire {
    private MailWire() {}

    /** Sends {@code data} (CRLF lines) from {@code from} to {@code to}; returns the replies after DATA (LMTP: one per recipient). */
    static List<String> send(boolean lmtp, int port, String from, List<String> to, byte[] data) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            expect(reply(in), "220");
            expect(command(in, out, (lmtp ? "LHLO" : "EHLO") + " localhost"), "250");
            expect(command(in, out, "MAIL FROM:<" + from + ">"), "250");
            for (String rcpt : to) {
                expect(command(in, out, "RCPT TO:<" + rcpt + ">"), "250");
            }
            expect(command(in, out, "DATA"), "354");
            out.write(stuffed(data));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < (lmtp ? to.size() : 1); i++) {
                replies.add(reply(in));
            }
            command(in, out, "QUIT");
            return replies;
        }
    }

    private static byte[] stuffed(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        for (byte b : data) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }

    private static String command(InputStream in, OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(in);
    }

    /** A whole reply, multi-line ones included; returns its last line. */
    private static String reply(InputStream in) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IOException("connection closed after: " + line);
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                return line.toString();
            }
        }
    }

    private static void expect(String reply, String code) throws IOException {
        if (!reply.startsWith(code)) {
            throw new IOException("expected " + code + ", got: " + reply);
        }
    }
}

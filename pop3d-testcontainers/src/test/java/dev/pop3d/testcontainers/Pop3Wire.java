package dev.pop3d.testcontainers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A tiny blocking POP3 client for the tests: commands, status lines, dot-unstuffed multi-line bodies. */
final class Pop3Wire implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Pop3Wire(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        expectOk(line());
    }

    /** Logs in with USER/PASS. */
    Pop3Wire login(String user, String password) throws IOException {
        expectOk(command("USER " + user));
        expectOk(command("PASS " + password));
        return this;
    }

    String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return line();
    }

    /** RETR n: the message as stored (RFC 1939 §3: the dot-stuffing undone), CRLF line ends. */
    byte[] retr(int number) throws IOException {
        expectOk(command("RETR " + number));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = line();
            if (line.equals(".")) {
                return body.toByteArray();
            }
            body.writeBytes((line.startsWith(".") ? line.substring(1) : line).getBytes(StandardCharsets.ISO_8859_1));
            body.writeBytes(new byte[] {'\r', '\n'});
        }
    }

    /** STAT's message count. */
    int count() throws IOException {
        String stat = command("STAT");
        expectOk(stat);
        return Integer.parseInt(stat.split(" ")[1]);
    }

    /** A line without its CRLF (ISO-8859-1: every octet one char). */
    String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int b; (b = in.read()) >= 0; previous = b) {
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        throw new IOException("connection closed after: " + line.toString(StandardCharsets.ISO_8859_1));
    }

    private static void expectOk(String line) throws IOException {
        if (!line.startsWith("+OK")) {
            throw new IOException("expected +OK, got: " + line);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT");
        } finally {
            socket.close();
        }
    }
}

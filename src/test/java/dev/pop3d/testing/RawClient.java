package dev.pop3d.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal POP3 client over a real socket, byte-exact, for server tests. */
public final class RawClient implements Pop3Conversation {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One line without its CRLF; "<closed>" at end of stream. */
    public String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return "<closed>";
    }

    /** Polls until a server on {@code port} greets with +OK, for at most {@code attempts} tenths of a second. */
    public static void awaitGreeting(String host, int port, int attempts) throws IOException, InterruptedException {
        for (int i = 0; i < attempts; i++) {
            try (RawClient probe = new RawClient(host, port)) {
                if (probe.line().startsWith("+OK")) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("no POP3 greeting on " + host + ":" + port);
    }

    /** Read timeout for every later read. */
    public RawClient timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    /** Sends raw bytes as they are. */
    public void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads a multi-line answer's lines up to the "." line (not un-stuffed). */
    public java.util.List<String> lines() throws IOException {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (String line = line(); !line.equals("."); line = line()) {
            if (line.equals("<closed>")) {
                throw new IOException("closed inside a multi-line answer");
            }
            lines.add(line);
        }
        return lines;
    }

    /** Reads a body up to ".CRLF", un-stuffed, exactly as sent (CRLFs kept). */
    public byte[] body() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) != -1) {
            line.write(b);
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                line.reset();
                if (bytes.length == 3 && bytes[0] == '.' && bytes[1] == '\r') {
                    return body.toByteArray();
                }
                int skip = bytes[0] == '.' ? 1 : 0;
                body.write(bytes, skip, bytes.length - skip);
            }
        }
        throw new IOException("closed inside a body");
    }

    public void login(String user, String password) throws IOException {
        String greeting = line();
        if (!greeting.startsWith("+OK")) {
            throw new IOException("greeting: " + greeting);
        }
        String answer = command("USER " + user);
        answer = answer.startsWith("+OK") ? command("PASS " + password) : answer;
        if (!answer.startsWith("+OK")) {
            throw new IOException("login of " + user + ": " + answer);
        }
    }

    public String command(String line) throws IOException {
        send(line);
        return line();
    }

    public InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

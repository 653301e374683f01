package dev.pop3d.load.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small blocking POP3 client for load and fault tests: one socket, commands sent one at a time
 * or pipelined, status lines and multi-line replies read as raw bytes (dot-unstuffed, RFC 1939
 * §3), and the time of every step recorded ({@link #steps()}). It knows nothing of the server's
 * code. Not thread-safe; loopback addresses only are meant (no name is ever resolved: pass an IP
 * literal).
 */
public final class Pop3Client implements Closeable {
    /** RFC 2449 §4 allows replies of up to 512 octets; a longer line is a protocol error here. */
    public static final int MAX_STATUS_LINE_OCTETS = 8192;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final List<Step> steps = new ArrayList<>();
    private long bodyOctets;

    private Pop3Client(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Connects to an IP literal (e.g. {@code 127.0.0.1}) with a connect and read timeout. */
    public static Pop3Client connect(String ipLiteral, int port, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        long start = System.nanoTime();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(literal(ipLiteral), port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        Pop3Client client = new Pop3Client(socket);
        client.steps.add(new Step("connect", start, System.nanoTime()));
        return client;
    }

    /** Reads the greeting. */
    public Reply greeting() throws IOException {
        long start = System.nanoTime();
        Reply reply = readStatus();
        steps.add(new Step("greeting", start, System.nanoTime()));
        return reply;
    }

    /** Sends one command line and reads its status line. */
    public Reply command(String line) throws IOException {
        long start = System.nanoTime();
        send(line);
        Reply reply = readStatus();
        steps.add(new Step(verb(line), start, System.nanoTime()));
        return reply;
    }

    /** Sends one command line (CRLF added) without reading anything. */
    public void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends several command lines in one write (RFC 2449 PIPELINING); read the replies after. */
    public void pipeline(List<String> lines) throws IOException {
        StringBuilder all = new StringBuilder();
        lines.forEach(line -> all.append(line).append("\r\n"));
        out.write(all.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one status line ({@code +OK ...} or {@code -ERR ...}), without its CRLF. */
    public Reply readStatus() throws IOException {
        return Reply.of(new String(readLine(), StandardCharsets.ISO_8859_1));
    }

    /** Sends a multi-line command (RETR, TOP, UIDL, LIST, CAPA) and reads status and body. */
    public MultiLine multiLine(String line) throws IOException {
        long start = System.nanoTime();
        send(line);
        MultiLine reply = readMultiLine();
        steps.add(new Step(verb(line), start, System.nanoTime()));
        return reply;
    }

    /** Reads a status line and, after {@code +OK}, the body up to the terminating dot line. */
    public MultiLine readMultiLine() throws IOException {
        Reply status = readStatus();
        if (!status.ok()) {
            return new MultiLine(status, new byte[0]);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            byte[] line = readLine();
            if (line.length == 1 && line[0] == '.') {
                return new MultiLine(status, body.toByteArray());
            }
            int from = line.length > 0 && line[0] == '.' ? 1 : 0; // RFC 1939 §3: byte-stuffed
            body.write(line, from, line.length - from);
            body.write('\r');
            body.write('\n');
            bodyOctets += line.length + 2;
        }
    }

    /**
     * Reads up to {@code octets} raw bytes of whatever the server sends (e.g. the start of a RETR
     * body), for a test that acts in the middle of a stream. Returns how many arrived.
     */
    public int readRaw(int octets) throws IOException {
        int total = 0;
        while (total < octets) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            total++;
        }
        bodyOctets += total;
        return total;
    }

    /** Body octets read so far. */
    public long bodyOctets() {
        return bodyOctets;
    }

    public void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Every step so far, in order. */
    public List<Step> steps() {
        return List.copyOf(steps);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a broken socket: nothing left to do
        }
    }

    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed" + (line.size() > 0 ? " mid-line" : ""));
            }
            if (b == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                return java.util.Arrays.copyOf(bytes, bytes.length - 1);
            }
            line.write(b);
            previous = b;
            if (line.size() > MAX_STATUS_LINE_OCTETS) {
                throw new IOException("line longer than " + MAX_STATUS_LINE_OCTETS + " octets");
            }
        }
    }

    /** An IPv4 dotted quad or an IPv6 literal as an address, never a name lookup. */
    static java.net.InetAddress literal(String ip) throws IOException {
        if (ip.indexOf(':') >= 0) {
            if (!ip.matches("[0-9A-Fa-f:.]+")) {
                throw new IOException("not an IP literal: " + ip);
            }
            return java.net.InetAddress.getByName(ip); // a literal: parsed, not resolved
        }
        String[] parts = ip.split("\\.");
        if (parts.length != 4) {
            throw new IOException("not an IPv4 literal: " + ip);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = Integer.parseInt(parts[i]);
            if (value < 0 || value > 255) {
                throw new IOException("not an IPv4 literal: " + ip);
            }
            bytes[i] = (byte) value;
        }
        return java.net.InetAddress.getByAddress(bytes);
    }

    private static String verb(String line) {
        int space = line.indexOf(' ');
        return (space < 0 ? line : line.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
    }

    /** A status line. */
    public record Reply(String line) {
        static Reply of(String line) {
            return new Reply(line);
        }

        public boolean ok() {
            return line.startsWith("+OK");
        }
    }

    /** A multi-line reply: its status line and the unstuffed body (each line ending in CRLF). */
    public record MultiLine(Reply status, byte[] body) {
        public boolean ok() {
            return status.ok();
        }

        /** The body's lines as text (for UIDL and LIST listings). */
        public List<String> lines() {
            String text = new String(body, StandardCharsets.ISO_8859_1);
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\r\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
            return lines;
        }
    }

    /** One step of a session: what, and when it started and ended ({@link System#nanoTime()}). */
    public record Step(String name, long startNanos, long endNanos) {
        public double millis() {
            return (endNanos - startNanos) / 1e6;
        }
    }
}

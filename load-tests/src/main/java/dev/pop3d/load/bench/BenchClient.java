package dev.pop3d.load.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The load generator's POP3 client: a blocking socket bound to a chosen 127.0.0.x source address,
 * its own read buffer (no per-byte stream calls, so a 64 MiB RETR is not client-bound), multi-line
 * bodies dot-unstuffed (RFC 1939 §3) into a SHA-256 and a length instead of a byte array, and the
 * time of the first body byte. Not thread-safe.
 */
final class BenchClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer;
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private int lineLength;

    private BenchClient(Socket socket, int bufferOctets) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.buffer = new byte[bufferOctets];
    }

    /** Connects from {@code source} (an IPv4 loopback address) to 127.0.0.1:port. */
    static BenchClient connect(InetAddress source, int port, int timeoutMillis, int bufferOctets) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            if (source != null) {
                socket.bind(new InetSocketAddress(source, 0));
            }
            socket.connect(new InetSocketAddress(loopback(), port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            return new BenchClient(socket, bufferOctets);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    static InetAddress loopback() {
        return source(1);
    }

    /** 127.0.0.{@code last}, never a name lookup. */
    static InetAddress source(int last) {
        try {
            return Inet4Address.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void sendAll(List<String> lines) throws IOException {
        StringBuilder all = new StringBuilder();
        lines.forEach(l -> all.append(l).append("\r\n"));
        out.write(all.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one status line without its CRLF. */
    String status() throws IOException {
        readLine();
        return new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
    }

    /** Sends a command, reads its status line; an answer other than +OK throws {@link WrongAnswer}. */
    String ok(String command) throws IOException {
        send(command);
        return expectOk(command, status());
    }

    static String expectOk(String command, String status) throws WrongAnswer {
        if (!status.startsWith("+OK")) {
            throw new WrongAnswer(command.startsWith("PASS") ? "PASS ***" : command, "+OK ...", status);
        }
        return status;
    }

    /** Reads a multi-line body after a +OK status (already read) into lines of text. */
    List<String> textBody() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            readLine();
            if (lineLength == 1 && line[0] == '.') {
                return lines;
            }
            int from = lineLength > 0 && line[0] == '.' ? 1 : 0;
            lines.add(new String(line, from, lineLength - from, StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * Reads a multi-line body (status already read): unstuffed, each line ending in CRLF. With
     * {@code normalised} (GreenMail), lines before the X-Bench-Id header (its SMTP side's
     * Return-Path and Received) and trailing white space (which it drops) are left out: {@link TrimmedDigest}.
     */
    Body body(boolean normalised) throws IOException {
        MessageDigest digest = sha256();
        TrimmedDigest trimmed = normalised ? new TrimmedDigest() : null;
        long octets = 0;
        long firstByteNanos = 0;
        byte[] crlf = {'\r', '\n'};
        String id = "";
        boolean started = !normalised;
        while (true) {
            readLine();
            if (firstByteNanos == 0) {
                firstByteNanos = System.nanoTime();
            }
            if (lineLength == 1 && line[0] == '.') {
                return new Body(octets, normalised ? trimmed.finish() : digest.digest(), firstByteNanos, id);
            }
            int from = lineLength > 0 && line[0] == '.' ? 1 : 0;
            int length = lineLength - from;
            octets += length + 2;
            if (id.isEmpty() && startsWith(from, Corpus.ID_HEADER)) {
                id = new String(line, from + Corpus.ID_HEADER.length(), length - Corpus.ID_HEADER.length(),
                        StandardCharsets.ISO_8859_1).strip();
                started = true;
            }
            if (!normalised) {
                digest.update(line, from, length);
                digest.update(crlf);
            } else if (started) {
                trimmed.line(line, from, length);
            }
        }
    }

    private boolean startsWith(int from, String prefix) {
        if (lineLength - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (line[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The time the first byte of the next reply arrives (blocks until it does); consumes nothing. */
    long awaitByte() throws IOException {
        if (position >= limit) {
            fill();
        }
        return System.nanoTime();
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already broken: nothing to release
        }
    }

    private void readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (position >= limit) {
                fill();
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            append(start, position - start);
            if (position < limit) {
                position++; // the LF
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return;
            }
        }
    }

    private void append(int from, int count) {
        if (lineLength + count > line.length) {
            line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
        }
        System.arraycopy(buffer, from, line, lineLength, count);
        lineLength += count;
    }

    private void fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            throw new EOFException("connection closed by the server");
        }
        position = 0;
        limit = n;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A received body: its unstuffed CRLF octets, their SHA-256, when its first line arrived, its X-Bench-Id. */
    record Body(long octets, byte[] sha256, long firstByteNanos, String id) {
    }

    /** A reply that is not what RFC 1939 (or the stored corpus) says it must be. */
    static final class WrongAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        WrongAnswer(String command, String expected, String actual) {
            super(command + ": expected " + expected + ", got " + actual);
        }
    }
}

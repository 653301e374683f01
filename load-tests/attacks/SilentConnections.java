// Silent connections (issue 9, row 2): many sockets from one address that never send a byte.
//
//   java load-tests/attacks/SilentConnections.java --host 127.0.0.1 --port P --from 127.0.0.2 \
//       [--count 1000] [--hold 10] --user alice --password pw [--user-from 127.0.0.1]
//
// Opens --count sockets bound to --from (Linux routes all of 127.0.0.0/8 on loopback), reads each
// greeting (+OK accepted, -ERR or a close refused), holds them --hold seconds watching which the
// server closes by itself (the login timeout), then logs in as --user from --user-from while the
// silent sockets are still held. One JSON line on stdout; exit 0. Loopback only.
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public final class SilentConnections {
    private static final long GREETING_WAIT_MS = 10_000;
    private static final int LOGIN_TIMEOUT_MS = 10_000;

    /** One silent socket: what it was told first, and whether the server closed it. */
    static final class Silent {
        final SocketChannel channel;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        String greeting;
        String lastLine;
        boolean closedByServer;
        long closedAtMs = -1;

        Silent(SocketChannel channel) {
            this.channel = channel;
        }

        /** The lines read so far; the first is the greeting. */
        void take(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                if (bytes[i] == '\n') {
                    String line = received.toString(StandardCharsets.ISO_8859_1).replace("\r", "");
                    received.reset();
                    if (greeting == null) {
                        greeting = line;
                    } else {
                        lastLine = line;
                    }
                } else if (received.size() < 1024) {
                    received.write(bytes[i]);
                }
            }
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = args(argv);
        String host = loopback(a.getOrDefault("host", "127.0.0.1"));
        int port = Integer.parseInt(need(a, "port"));
        String from = loopback(a.getOrDefault("from", "127.0.0.2"));
        String userFrom = loopback(a.getOrDefault("user-from", "127.0.0.1"));
        int count = Integer.parseInt(a.getOrDefault("count", "1000"));
        long holdMs = Long.parseLong(a.getOrDefault("hold", "10")) * 1_000;
        String user = need(a, "user");
        String password = need(a, "password");

        long started = System.nanoTime();
        List<Silent> sockets = new ArrayList<>();
        int connectFailed = 0;
        String connectError = "";
        Selector selector = Selector.open();
        for (int i = 0; i < count; i++) {
            try {
                SocketChannel channel = SocketChannel.open();
                channel.bind(new InetSocketAddress(from, 0));
                channel.connect(new InetSocketAddress(host, port));
                channel.configureBlocking(false);
                Silent silent = new Silent(channel);
                channel.register(selector, SelectionKey.OP_READ, silent);
                sockets.add(silent);
            } catch (IOException e) {
                connectFailed++;
                connectError = e.getMessage();
            }
            if (i % 50 == 49) {
                pump(selector, 0, started); // read greetings as they come
            }
        }
        // every greeting (or close) within GREETING_WAIT_MS
        long greetingDeadline = System.currentTimeMillis() + GREETING_WAIT_MS;
        while (System.currentTimeMillis() < greetingDeadline && sockets.stream().anyMatch(s -> s.greeting == null && !s.closedByServer)) {
            pump(selector, 100, started);
        }
        int accepted = 0;
        int refused = 0;
        Map<String, Integer> refusals = new TreeMap<>();
        for (Silent s : sockets) {
            if (s.greeting != null && s.greeting.startsWith("+OK")) {
                accepted++;
            } else {
                refused++;
                refusals.merge(s.greeting == null ? "(closed without greeting)" : s.greeting, 1, Integer::sum);
            }
        }
        // hold: the accepted ones stay silent; note which the server closes by itself
        long holdEnd = System.currentTimeMillis() + holdMs;
        while (System.currentTimeMillis() < holdEnd) {
            pump(selector, Math.max(1, Math.min(200, holdEnd - System.currentTimeMillis())), started);
        }
        int acceptedClosedByServer = 0;
        Map<String, Integer> closeLines = new TreeMap<>();
        for (Silent s : sockets) {
            if (s.greeting != null && s.greeting.startsWith("+OK") && s.closedByServer) {
                acceptedClosedByServer++;
                closeLines.merge(s.lastLine == null ? "(no line)" : s.lastLine, 1, Integer::sum);
            }
        }
        int stillOpen = 0;
        for (Silent s : sockets) {
            stillOpen += s.closedByServer ? 0 : 1;
        }
        // the real user, from another address, while the silent sockets are held
        long loginStart = System.nanoTime();
        String result = login(host, port, userFrom, user, password);
        long loginMs = (System.nanoTime() - loginStart) / 1_000_000;
        for (Silent s : sockets) {
            s.channel.close();
        }
        selector.close();

        StringBuilder json = new StringBuilder("{");
        field(json, "tool", quote("SilentConnections"));
        field(json, "from", quote(from));
        field(json, "count", count);
        field(json, "connectFailed", connectFailed);
        field(json, "connectError", quote(connectError == null ? "" : connectError));
        field(json, "accepted", accepted);
        field(json, "refused", refused);
        field(json, "refusals", map(refusals));
        field(json, "holdSeconds", holdMs / 1000);
        field(json, "acceptedClosedByServer", acceptedClosedByServer);
        field(json, "closeLines", map(closeLines));
        field(json, "stillOpenAtLogin", stillOpen);
        field(json, "realUserFrom", quote(userFrom));
        field(json, "realUserResult", quote(result));
        field(json, "realUserOk", result.startsWith("+OK"));
        field(json, "realUserMs", loginMs);
        json.setLength(json.length() - 1);
        System.out.println(json.append('}'));
    }

    /** Reads whatever arrived on the silent sockets; an end of stream is a close by the server. */
    private static void pump(Selector selector, long waitMs, long started) throws IOException {
        if (waitMs == 0) {
            selector.selectNow();
        } else {
            selector.select(waitMs);
        }
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        for (SelectionKey key : new ArrayList<>(selector.selectedKeys())) {
            selector.selectedKeys().remove(key);
            Silent s = (Silent) key.attachment();
            buffer.clear();
            int n;
            try {
                n = s.channel.read(buffer);
            } catch (IOException reset) {
                n = -1;
            }
            if (n > 0) {
                s.take(buffer.array(), n);
            } else if (n < 0) {
                s.closedByServer = true;
                s.closedAtMs = (System.nanoTime() - started) / 1_000_000;
                key.cancel();
            }
        }
    }

    /** USER/PASS/STAT/QUIT; the first answer that is not +OK, or the STAT answer. */
    private static String login(String host, int port, String from, String user, String password) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(host, port), LOGIN_TIMEOUT_MS);
            socket.setSoTimeout(LOGIN_TIMEOUT_MS);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String greeting = line(in);
            if (!greeting.startsWith("+OK")) {
                return "greeting: " + greeting;
            }
            String stat = "";
            for (String command : new String[] {"USER " + user, "PASS " + password, "STAT"}) {
                out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
                String reply = line(in);
                if (!reply.startsWith("+OK")) {
                    return command.split(" ")[0] + ": " + reply;
                }
                stat = reply;
            }
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            line(in);
            return stat;
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    // ---- small helpers (each tool is one file: no shared code)

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return "<closed>";
    }

    private static String map(Map<String, Integer> counts) {
        StringBuilder out = new StringBuilder("{");
        counts.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
        return out.append('}').toString();
    }

    /** Loopback only: an IP literal in 127.0.0.0/8 or ::1 (no DNS). */
    private static String loopback(String host) throws IOException {
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+") || !InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("not a loopback IP literal: " + host);
        }
        return host;
    }

    private static Map<String, String> args(String[] argv) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + argv[i]);
            }
            String key = argv[i].substring(2);
            boolean flag = i + 1 >= argv.length || argv[i + 1].startsWith("--");
            map.put(key, flag ? "true" : argv[++i]);
        }
        return map;
    }

    private static String need(Map<String, String> a, String key) {
        String value = a.get(key);
        if (value == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return value;
    }

    private static void field(StringBuilder json, String name, Object value) {
        json.append(quote(name)).append(':').append(value).append(',');
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20) {
                q.append(String.format("\\u%04x", (int) c));
            } else {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }
}

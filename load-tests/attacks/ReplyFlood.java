// Reply flood (issue 9, row 1): clients pipeline commands and never read the replies.
//
//   java load-tests/attacks/ReplyFlood.java --host 127.0.0.1 --port P --http H --pid PID \
//       --user probe --password pw [--clients 4] [--mb 30] [--seconds 60] [--hold 3] \
//       [--top --flood-user flood%d --flood-password pw]
//
// Each flood client writes --mb MiB of "CAPA\r\n" before login (or, with --top, logs in as
// --flood-user, "%d" replaced by the client number, and writes "TOP 1 700\r\n"), over a
// non-blocking SocketChannel, and never reads. A server without back-pressure buffers every reply.
// The flood stops at its byte count or after --seconds, whichever comes first; the sockets are
// then held --hold seconds more (the server may still be digesting) and closed.
// Meanwhile a probe logs in as --user every second and RETRs message 1, and GETs
// http://HOST:HTTP/q/health/live. One JSON line on stdout; exit 0. Loopback only.
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public final class ReplyFlood {
    private static final int PROBE_TIMEOUT_MS = 5_000;
    private static final int HEALTH_TIMEOUT_MS = 2_000;

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = args(argv);
        String host = loopback(a.getOrDefault("host", "127.0.0.1"));
        int port = Integer.parseInt(need(a, "port"));
        int http = Integer.parseInt(a.getOrDefault("http", "0"));
        long pid = Long.parseLong(a.getOrDefault("pid", "0"));
        int clients = Integer.parseInt(a.getOrDefault("clients", "4"));
        long bytesEach = (long) (Double.parseDouble(a.getOrDefault("mb", "30")) * 1024 * 1024);
        long seconds = Long.parseLong(a.getOrDefault("seconds", "60"));
        long hold = Long.parseLong(a.getOrDefault("hold", "3"));
        boolean top = a.containsKey("top");
        String user = need(a, "user");
        String password = need(a, "password");

        long rssBefore = rssKb(pid);
        Probe probe = new Probe(host, port, http, user, password);
        Thread probeThread = new Thread(probe, "probe");
        probeThread.setDaemon(true);
        probeThread.start();

        long started = System.nanoTime();
        long deadline = started + seconds * 1_000_000_000L;
        List<SocketChannel> channels = new ArrayList<>();
        long[] pushed = new long[clients];
        String[] ended = new String[clients];
        Selector selector = Selector.open();
        byte[] line = (top ? "TOP 1 700\r\n" : "CAPA\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer chunk = repeated(line, 64 * 1024);
        for (int i = 0; i < clients; i++) {
            SocketChannel channel;
            try {
                channel = SocketChannel.open(new InetSocketAddress(host, port));
                if (top) {
                    login(channel, String.format(need(a, "flood-user"), i + 1), need(a, "flood-password"));
                }
            } catch (IOException e) {
                ended[i] = "connect: " + e.getMessage();
                channels.add(null);
                continue;
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_WRITE, i);
            channels.add(channel);
        }
        // write until each client has pushed its bytes, the peer is gone, or the deadline
        while (System.nanoTime() < deadline && !selector.keys().isEmpty()) {
            selector.select(200);
            for (SelectionKey key : new ArrayList<>(selector.selectedKeys())) {
                selector.selectedKeys().remove(key);
                int i = (Integer) key.attachment();
                SocketChannel channel = (SocketChannel) key.channel();
                try {
                    ByteBuffer view = chunk.duplicate();
                    long left = bytesEach - pushed[i];
                    if (left < view.remaining()) {
                        view.limit((int) left);
                    }
                    pushed[i] += channel.write(view);
                    if (pushed[i] >= bytesEach) {
                        ended[i] = "all bytes written";
                        key.cancel();
                    }
                } catch (IOException e) {
                    ended[i] = "write: " + e.getMessage();
                    key.cancel();
                }
            }
        }
        double floodSeconds = (System.nanoTime() - started) / 1e9;
        for (int i = 0; i < clients; i++) {
            if (ended[i] == null) {
                ended[i] = "deadline (peer not reading)";
            }
        }
        sleepSeconds(hold); // the probe keeps going while the flood sockets stay open
        for (SocketChannel channel : channels) {
            if (channel != null) {
                channel.close();
            }
        }
        selector.close();
        probe.stop();
        probeThread.join(PROBE_TIMEOUT_MS * 3L);
        Thread.sleep(1_000);
        Probe.Attempt finalProbe = probe.retr();
        int finalHealth = probe.health();
        boolean alive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        long rssAfter = rssKb(pid);

        long total = 0;
        StringBuilder each = new StringBuilder("[");
        StringBuilder why = new StringBuilder("[");
        for (int i = 0; i < clients; i++) {
            total += pushed[i];
            each.append(i == 0 ? "" : ",").append(pushed[i]);
            why.append(i == 0 ? "" : ",").append(quote(ended[i]));
        }
        StringBuilder json = new StringBuilder("{");
        field(json, "tool", quote("ReplyFlood"));
        field(json, "mode", quote(top ? "top" : "capa"));
        field(json, "clients", clients);
        field(json, "bytesPerClientTarget", bytesEach);
        field(json, "bytesPushed", total);
        field(json, "bytesPushedPerClient", each.append(']'));
        field(json, "floodEnded", why.append(']'));
        field(json, "floodSeconds", String.format("%.1f", floodSeconds));
        probe.report(json);
        field(json, "finalProbeOk", finalProbe.ok());
        field(json, "finalProbeDetail", quote(finalProbe.detail()));
        field(json, "finalHealthStatus", finalHealth);
        field(json, "serverAlive", alive);
        field(json, "rssKbBefore", rssBefore);
        field(json, "rssKbAfter", rssAfter);
        json.setLength(json.length() - 1);
        System.out.println(json.append('}'));
        System.exit(0); // the probe thread may still sit in a read against a dead server
    }

    /** Logs in on the blocking channel (the only replies this client ever reads). */
    private static void login(SocketChannel channel, String user, String password) throws IOException {
        Socket socket = channel.socket();
        socket.setSoTimeout(PROBE_TIMEOUT_MS);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        expectOk(in, "greeting");
        out.write(("USER " + user + "\r\nPASS " + password + "\r\n").getBytes(StandardCharsets.UTF_8));
        expectOk(in, "USER");
        expectOk(in, "PASS");
        // from here on the channel is used non-blocking and never read
    }

    private static void expectOk(InputStream in, String what) throws IOException {
        String reply = line(in);
        if (!reply.startsWith("+OK")) {
            throw new IOException(what + ": " + reply);
        }
    }

    /** The probe: a real user's RETR 1 and the liveness endpoint, once a second. */
    static final class Probe implements Runnable {
        record Attempt(boolean ok, long millis, String detail) {}

        private final String host;
        private final int port;
        private final int http;
        private final String user;
        private final String password;
        private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        private final Map<Integer, Integer> healthCodes = Collections.synchronizedMap(new TreeMap<>());
        private volatile boolean running = true;

        Probe(String host, int port, int http, String user, String password) {
            this.host = host;
            this.port = port;
            this.http = http;
            this.user = user;
            this.password = password;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            while (running) {
                long start = System.nanoTime();
                attempts.add(retr());
                if (http > 0) {
                    healthCodes.merge(health(), 1, Integer::sum);
                }
                long spent = (System.nanoTime() - start) / 1_000_000;
                try {
                    Thread.sleep(Math.max(0, 1_000 - spent));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        Attempt retr() {
            long start = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MS);
                socket.setSoTimeout(PROBE_TIMEOUT_MS);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                String greeting = line(in);
                if (!greeting.startsWith("+OK")) {
                    return new Attempt(false, ms(start), "greeting: " + greeting);
                }
                for (String command : new String[] {"USER " + user, "PASS " + password, "RETR 1"}) {
                    out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
                    String reply = line(in);
                    if (!reply.startsWith("+OK")) {
                        return new Attempt(false, ms(start), command.split(" ")[0] + ": " + reply);
                    }
                }
                long octets = 0;
                for (String body = line(in); !body.equals("."); body = line(in)) {
                    if (body.equals("<closed>")) {
                        return new Attempt(false, ms(start), "closed inside RETR");
                    }
                    octets += body.length() + 2;
                }
                out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                line(in);
                return new Attempt(true, ms(start), "RETR 1: " + octets + " octets");
            } catch (IOException e) {
                return new Attempt(false, ms(start), e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        /** The HTTP status of /q/health/live, or -1 when there was no answer in time. */
        int health() {
            if (http <= 0) {
                return -1;
            }
            try {
                HttpURLConnection c = (HttpURLConnection) new URL("http://" + host + ":" + http + "/q/health/live")
                        .openConnection(java.net.Proxy.NO_PROXY);
                c.setConnectTimeout(HEALTH_TIMEOUT_MS);
                c.setReadTimeout(HEALTH_TIMEOUT_MS);
                int code = c.getResponseCode();
                (code < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
                c.disconnect();
                return code;
            } catch (IOException e) {
                return -1;
            }
        }

        void report(StringBuilder json) {
            List<Attempt> done;
            synchronized (attempts) {
                done = new ArrayList<>(attempts);
            }
            List<Long> ok = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (Attempt attempt : done) {
                if (attempt.ok()) {
                    ok.add(attempt.millis());
                } else if (errors.size() < 3) {
                    errors.add(quote(attempt.detail()));
                }
            }
            Collections.sort(ok);
            field(json, "probeOk", ok.size());
            field(json, "probeFailed", done.size() - ok.size());
            field(json, "probeP50Ms", ok.isEmpty() ? -1 : ok.get(ok.size() / 2));
            field(json, "probeMaxMs", ok.isEmpty() ? -1 : ok.get(ok.size() - 1));
            field(json, "probeErrors", "[" + String.join(",", errors) + "]");
            StringBuilder codes = new StringBuilder("{");
            synchronized (healthCodes) {
                healthCodes.forEach((code, n) -> codes.append(codes.length() > 1 ? "," : "")
                        .append(quote(String.valueOf(code))).append(':').append(n));
            }
            field(json, "healthStatusCounts", codes.append('}'));
        }

        private static long ms(long start) {
            return (System.nanoTime() - start) / 1_000_000;
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
            if (line.size() < 100_000) {
                line.write(b);
            }
        }
        return "<closed>";
    }

    private static ByteBuffer repeated(byte[] line, int size) {
        ByteBuffer buffer = ByteBuffer.allocate(size - size % line.length);
        while (buffer.hasRemaining()) {
            buffer.put(line);
        }
        return buffer.flip().asReadOnlyBuffer();
    }

    private static long rssKb(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process is gone
        }
        return -1;
    }

    private static void sleepSeconds(long seconds) throws InterruptedException {
        Thread.sleep(seconds * 1_000);
    }

    /** Loopback only: an IP literal in 127.0.0.0/8 or ::1 (no DNS). */
    private static String loopback(String host) throws IOException {
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+") || !InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("--host must be a loopback IP literal, not " + host);
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

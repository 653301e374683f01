// CONF1 junk (issue 9, row 5): one junk datagram from each of many fresh source ports.
//
//   java load-tests/attacks/Conf1Junk.java --host 127.0.0.1 --port CONF1 --http H \
//       [--count 10000] [--bytes 1] [--rate 2000] [--warmup 100] [--seconds 60]
//
// Sends --warmup junk datagrams as fast as it can (so that bounded per-outcome series, "dropped"
// beyond the global error-reply rate included, exist before the first snapshot), fetches /q/metrics, sends --count datagrams of --bytes junk octets, each from a
// new DatagramSocket (a fresh ephemeral source port; no answer is read) at --rate per second
// (paced, so the server's socket buffer does not drop them unseen), fetches /q/metrics
// again, and compares: size, series (name and labels, values ignored) and the series whose labels
// hold a remote_address. Stops after --count datagrams or --seconds. One JSON line on stdout;
// exit 0. Loopback only.
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class Conf1Junk {
    private static final int HTTP_TIMEOUT_MS = 10_000;
    private static final long SETTLE_MS = 1_000;

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = args(argv);
        String host = loopback(a.getOrDefault("host", "127.0.0.1"));
        int port = Integer.parseInt(need(a, "port"));
        int http = Integer.parseInt(need(a, "http"));
        int count = Integer.parseInt(a.getOrDefault("count", "10000"));
        int size = Integer.parseInt(a.getOrDefault("bytes", "1"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "100"));
        long seconds = Long.parseLong(a.getOrDefault("seconds", "60"));
        int rate = Integer.parseInt(a.getOrDefault("rate", "2000"));
        InetAddress target = InetAddress.getByName(host);

        send(target, port, warmup, size, 0, Long.MAX_VALUE);
        Thread.sleep(SETTLE_MS);
        metrics(host, http); // the first scrape adds its own HTTP series
        String before = metrics(host, http);
        long started = System.nanoTime();
        int sent = send(target, port, count, size, rate, started + seconds * 1_000_000_000L);
        double sendSeconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(SETTLE_MS);
        String after = metrics(host, http);

        Set<String> seriesBefore = series(before);
        Set<String> seriesAfter = series(after);
        List<String> added = new ArrayList<>();
        for (String s : seriesAfter) {
            if (!seriesBefore.contains(s)) {
                added.add(s);
            }
        }
        // the JVM's own meters gain series on their own (jvm_gc_pause_seconds{cause=...} at the
        // first GC of a kind): counted apart, they are bounded and not caused by the datagrams
        long addedOutsideJvm = added.stream().filter(s -> !s.startsWith("jvm_")).count();
        List<String> removed = new ArrayList<>();
        for (String s : seriesBefore) {
            if (!seriesAfter.contains(s)) {
                removed.add(s);
            }
        }
        StringBuilder json = new StringBuilder("{");
        field(json, "tool", quote("Conf1Junk"));
        field(json, "datagrams", sent);
        field(json, "bytesEach", size);
        field(json, "rate", rate);
        field(json, "sendSeconds", String.format("%.1f", sendSeconds));
        field(json, "metricsBytesBefore", before.getBytes(StandardCharsets.UTF_8).length);
        field(json, "metricsBytesAfter", after.getBytes(StandardCharsets.UTF_8).length);
        field(json, "seriesBefore", seriesBefore.size());
        field(json, "seriesAfter", seriesAfter.size());
        field(json, "remoteAddressSeriesBefore", remoteAddress(seriesBefore));
        field(json, "remoteAddressSeriesAfter", remoteAddress(seriesAfter));
        field(json, "seriesAdded", added.size());
        field(json, "seriesAddedOutsideJvm", addedOutsideJvm);
        field(json, "seriesRemoved", removed.size());
        field(json, "addedSample", list(added));
        field(json, "removedSample", list(removed));
        json.setLength(json.length() - 1);
        System.out.println(json.append('}'));
    }

    /** Up to {@code count} datagrams, each from a new socket (a fresh source port); rate 0: unpaced. */
    private static int send(InetAddress target, int port, int count, int size, int rate, long deadline)
            throws IOException, InterruptedException {
        byte[] junk = new byte[size];
        for (int i = 0; i < size; i++) {
            junk[i] = (byte) ('x' + i % 3);
        }
        InetAddress source = InetAddress.getByName(target instanceof java.net.Inet6Address ? "::1" : "127.0.0.1");
        int sent = 0;
        long start = System.nanoTime();
        for (; sent < count && System.nanoTime() < deadline; sent++) {
            if (rate > 0 && sent % 100 == 0) {
                long due = start + sent * 1_000_000_000L / rate;
                long ahead = due - System.nanoTime();
                if (ahead > 0) {
                    Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                }
            }
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(source, 0))) {
                socket.send(new DatagramPacket(junk, junk.length, target, port));
            }
        }
        return sent;
    }

    private static String metrics(String host, int http) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://" + host + ":" + http + "/q/metrics")
                .openConnection(java.net.Proxy.NO_PROXY);
        c.setConnectTimeout(HTTP_TIMEOUT_MS);
        c.setReadTimeout(HTTP_TIMEOUT_MS);
        try {
            if (c.getResponseCode() != 200) {
                throw new IOException("/q/metrics answered " + c.getResponseCode());
            }
            return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /** Prometheus text: every sample line's name and labels, without its value. */
    private static Set<String> series(String text) {
        Set<String> series = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('}');
            series.add(end >= 0 ? line.substring(0, end + 1) : line.split(" ")[0]);
        }
        return series;
    }

    private static long remoteAddress(Set<String> series) {
        return series.stream().filter(s -> s.contains("remote_address")).count();
    }

    private static String list(List<String> series) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < Math.min(5, series.size()); i++) {
            out.append(i == 0 ? "" : ",").append(quote(series.get(i)));
        }
        return out.append(']').toString();
    }

    // ---- small helpers (each tool is one file: no shared code)

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

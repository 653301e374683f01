// Auth starvation (issue 9, row 4): wrong-password logins, abandoned at once, against bcrypt
// users, while a good user tries to log in.
//
//   java load-tests/attacks/AuthStarvation.java --host 127.0.0.1 --port P \
//       --targets b1,b2,b3 --good-user good --good-password pw [--attackers 200] \
//       [--first-attacker 127.0.0.2] [--seconds 20] [--max-attempts 200000] [--good-from 127.0.0.1] \
//       [--good-timeout 30]
//
// Attacker i (of --attackers, from consecutive addresses starting at --first-attacker, so
// 127.0.0.2 to 127.0.0.201 by default) loops: connect, greeting, USER target, PASS wrong, close
// without waiting for the answer (as fast as the server allows; a refused greeting pauses it
// 20 ms). Meanwhile the good user logs in from --good-from, USER/PASS/QUIT, every 100 ms; each
// login is timed from connect to the +OK of PASS, and waits at most --good-timeout seconds. The
// percentiles cover every attempt: a failed one (refused, timed out) counts as --good-timeout.
// Stops after --seconds (or --max-attempts attacker PASS lines). One JSON line on stdout; exit 0.
// Loopback only.
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

public final class AuthStarvation {
    private static final int REFUSED_PAUSE_MS = 20;
    private static final int TIMEOUT_MS = 10_000;
    private static final int GOOD_PAUSE_MS = 100;
    /** Milliseconds since connect at the end of each step of the good user's last login. */
    private static final StringBuilder lastPhases = new StringBuilder();

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = args(argv);
        String host = loopback(a.getOrDefault("host", "127.0.0.1"));
        int port = Integer.parseInt(need(a, "port"));
        String[] targets = need(a, "targets").split(",");
        String goodUser = need(a, "good-user");
        String goodPassword = need(a, "good-password");
        String goodFrom = loopback(a.getOrDefault("good-from", "127.0.0.1"));
        int attackers = Integer.parseInt(a.getOrDefault("attackers", "200"));
        byte[] first = InetAddress.getByName(loopback(a.getOrDefault("first-attacker", "127.0.0.2"))).getAddress();
        long seconds = Long.parseLong(a.getOrDefault("seconds", "20"));
        int maxAttempts = Integer.parseInt(a.getOrDefault("max-attempts", "200000"));
        // long enough to time a starved login rather than give up on it
        int goodTimeoutMs = Integer.parseInt(a.getOrDefault("good-timeout", "30")) * 1_000;

        long started = System.nanoTime();
        long deadline = started + seconds * 1_000_000_000L;
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger attackErrors = new AtomicInteger();
        Map<String, Integer> refusals = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < attackers; i++) {
            int n = i;
            String from = address(first, i);
            Thread attacker = new Thread(() -> {
                for (int k = 0; System.nanoTime() < deadline && attempts.get() < maxAttempts; k++) {
                    try (Socket socket = new Socket()) {
                        socket.bind(new InetSocketAddress(from, 0));
                        socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
                        socket.setSoTimeout(TIMEOUT_MS);
                        InputStream in = socket.getInputStream();
                        OutputStream out = socket.getOutputStream();
                        String greeting = line(in);
                        if (!greeting.startsWith("+OK")) {
                            refused.incrementAndGet();
                            refusals.merge(greeting, 1, Integer::sum);
                            Thread.sleep(REFUSED_PAUSE_MS);
                            continue;
                        }
                        String target = targets[(n + k) % targets.length];
                        out.write(("USER " + target + "\r\n").getBytes(StandardCharsets.UTF_8));
                        line(in);
                        out.write(("PASS wrong-" + n + "-" + k + "\r\n").getBytes(StandardCharsets.UTF_8));
                        attempts.incrementAndGet();
                        // closed here, without reading the answer
                    } catch (IOException e) {
                        attackErrors.incrementAndGet();
                        pause(REFUSED_PAUSE_MS); // no tight loop against a server that is gone
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "attacker-" + i);
            attacker.setDaemon(true);
            threads.add(attacker);
        }
        // the good user's first logins before the attack: JIT and first-use costs are not the attack's
        int goodPauseMs = Integer.parseInt(a.getOrDefault("good-pause-ms", String.valueOf(GOOD_PAUSE_MS)));
        List<Long> warmUp = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            login(host, port, goodFrom, goodUser, goodPassword, goodTimeoutMs);
            warmUp.add((System.nanoTime() - start) / 1_000_000);
        }
        threads.forEach(Thread::start);

        List<Long> good = new ArrayList<>();
        List<Long> all = new ArrayList<>(); // failures as the timeout
        Map<String, Integer> goodFailures = new HashMap<>();
        long slowestMs = -1;
        String slowest = "";
        while (System.nanoTime() < deadline) {
            long start = System.nanoTime();
            String result = login(host, port, goodFrom, goodUser, goodPassword, goodTimeoutMs);
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (ms > slowestMs) {
                slowestMs = ms;
                slowest = lastPhases.toString();
            }
            if (result.equals("+OK")) {
                good.add(ms);
            } else {
                goodFailures.merge(result, 1, Integer::sum);
            }
            all.add(result.equals("+OK") ? ms : goodTimeoutMs);
            Thread.sleep(goodPauseMs);
        }
        for (Thread thread : threads) {
            thread.join(TIMEOUT_MS);
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        Collections.sort(good);
        Collections.sort(all);

        StringBuilder json = new StringBuilder("{");
        field(json, "tool", quote("AuthStarvation"));
        field(json, "attackers", attackers);
        field(json, "attackerAddresses", quote(address(first, 0) + "-" + address(first, attackers - 1)));
        field(json, "targets", targets.length);
        field(json, "seconds", String.format("%.1f", elapsed));
        field(json, "attackerAttempts", attempts.get());
        field(json, "attackerAttemptsPerSecond", String.format("%.1f", attempts.get() / elapsed));
        field(json, "attackerRefused", refused.get());
        field(json, "attackerRefusals", map(refusals));
        field(json, "attackerErrors", attackErrors.get());
        field(json, "goodLogins", good.size());
        field(json, "goodFailures", goodFailures.values().stream().mapToInt(Integer::intValue).sum());
        field(json, "goodFailureReasons", map(goodFailures));
        field(json, "goodTimeoutMs", goodTimeoutMs);
        field(json, "goodWarmUpMs", warmUp.toString().replace(" ", ""));
        field(json, "goodSlowestSteps", quote(slowest));
        field(json, "goodP50Ms", percentile(all, 50));
        field(json, "goodP99Ms", percentile(all, 99));
        field(json, "goodMaxMs", all.isEmpty() ? -1 : all.get(all.size() - 1));
        field(json, "goodOkP50Ms", percentile(good, 50));
        json.setLength(json.length() - 1);
        System.out.println(json.append('}'));
        System.exit(0); // attackers still inside a connect are daemons: do not wait for them
    }

    /** "+OK", or what went wrong (the first answer that is not +OK). */
    private static String login(String host, int port, String from, String user, String password, int timeoutMs) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            long t0 = System.nanoTime();
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            lastPhases.setLength(0);
            lastPhases.append("connect=").append((System.nanoTime() - t0) / 1_000_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String greeting = line(in);
            lastPhases.append(" greeting=").append((System.nanoTime() - t0) / 1_000_000);
            if (!greeting.startsWith("+OK")) {
                return "greeting: " + greeting;
            }
            for (String command : new String[] {"USER " + user, "PASS " + password}) {
                out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
                String reply = line(in);
                lastPhases.append(" ").append(command.split(" ")[0]).append('=').append((System.nanoTime() - t0) / 1_000_000);
                if (!reply.startsWith("+OK")) {
                    return command.split(" ")[0] + ": " + reply;
                }
            }
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            line(in);
            lastPhases.append(" QUIT=").append((System.nanoTime() - t0) / 1_000_000);
            return "+OK";
        } catch (IOException e) {
            return e.getClass().getSimpleName();
        }
    }

    /** Nearest-rank percentile; -1 without samples. */
    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** The i-th IPv4 address after {@code first}. */
    private static String address(byte[] first, int i) {
        long value = ((first[0] & 0xffL) << 24 | (first[1] & 0xff) << 16 | (first[2] & 0xff) << 8 | (first[3] & 0xff)) + i;
        return ((value >> 24) & 0xff) + "." + ((value >> 16) & 0xff) + "." + ((value >> 8) & 0xff) + "." + (value & 0xff);
    }

    // ---- small helpers (each tool is one file: no shared code)

    private static void pause(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

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
        new java.util.TreeMap<>(counts).forEach((k, v) ->
                out.append(out.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
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

// Hang-up password guessing (issue 9, row 3): never wait for a slow "wrong password".
//
//   java load-tests/attacks/HangupGuess.java --host 127.0.0.1 --port P --from 127.0.0.2 \
//       --user alice [--seconds 10] [--max-guesses 5000] [--wait-ms 150] [--concurrency 24] \
//       [--real-password pw --real-at 360]
//
// --concurrency workers, all from --from, each: connect, USER, PASS guess-i, and hang up when
// PASS is not answered within --wait-ms (a server that answers a right password at once but a
// wrong one after a delay tells the attacker "wrong" by its silence). Guess number --real-at is
// the real password. Stops after --seconds or --max-guesses PASS lines, whichever comes first.
// "sent" counts PASS lines written, "answered" those answered within the wait. A greeting other
// than +OK (the per-address limit) is "refused"; the worker pauses 20 ms and connects again.
// One JSON line on stdout; exit 0. Loopback only.
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

public final class HangupGuess {
    private static final int REFUSED_PAUSE_MS = 20;
    private static final int GREETING_WAIT_MS = 2_000;

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = args(argv);
        String host = loopback(a.getOrDefault("host", "127.0.0.1"));
        int port = Integer.parseInt(need(a, "port"));
        String from = loopback(a.getOrDefault("from", "127.0.0.2"));
        String user = need(a, "user");
        long seconds = Long.parseLong(a.getOrDefault("seconds", "10"));
        int maxGuesses = Integer.parseInt(a.getOrDefault("max-guesses", "5000"));
        int waitMs = Integer.parseInt(a.getOrDefault("wait-ms", "150"));
        int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "24"));
        String real = a.get("real-password");
        int realAt = Integer.parseInt(a.getOrDefault("real-at", "-1"));

        AtomicInteger guesses = new AtomicInteger(); // PASS lines written; guess i is number i
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger answeredOk = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger connects = new AtomicInteger();
        AtomicLong acceptedAtGuess = new AtomicLong(-1);
        AtomicLong acceptedAtMs = new AtomicLong(-1);
        Map<String, Integer> refusals = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        long deadline = started + seconds * 1_000_000_000L;

        Thread[] workers = new Thread[concurrency];
        for (int w = 0; w < concurrency; w++) {
            workers[w] = new Thread(() -> {
                while (System.nanoTime() < deadline && guesses.get() < maxGuesses && acceptedAtGuess.get() < 0) {
                    connects.incrementAndGet();
                    try (Socket socket = new Socket()) {
                        socket.bind(new InetSocketAddress(from, 0));
                        socket.connect(new InetSocketAddress(host, port), GREETING_WAIT_MS);
                        socket.setSoTimeout(GREETING_WAIT_MS);
                        InputStream in = socket.getInputStream();
                        OutputStream out = socket.getOutputStream();
                        String greeting = line(in);
                        if (!greeting.startsWith("+OK")) {
                            refused.incrementAndGet();
                            refusals.merge(greeting, 1, Integer::sum);
                            Thread.sleep(REFUSED_PAUSE_MS);
                            continue;
                        }
                        out.write(("USER " + user + "\r\n").getBytes(StandardCharsets.UTF_8));
                        if (!line(in).startsWith("+OK")) {
                            errors.incrementAndGet();
                            continue;
                        }
                        int guess = guesses.incrementAndGet();
                        if (guess > maxGuesses) {
                            guesses.decrementAndGet();
                            break;
                        }
                        String password = guess == realAt && real != null ? real : "guess-" + guess;
                        out.write(("PASS " + password + "\r\n").getBytes(StandardCharsets.UTF_8));
                        socket.setSoTimeout(waitMs);
                        try {
                            String reply = line(in);
                            if (!reply.equals("<closed>")) {
                                answered.incrementAndGet();
                            }
                            if (reply.startsWith("+OK")) {
                                answeredOk.incrementAndGet();
                                acceptedAtGuess.compareAndSet(-1, guess);
                                acceptedAtMs.compareAndSet(-1, (System.nanoTime() - started) / 1_000_000);
                            }
                        } catch (SocketTimeoutException silence) {
                            // no answer within the wait: hang up (the try closes the socket)
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                        pause(REFUSED_PAUSE_MS); // no tight loop against a server that is gone
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "guesser-" + w);
            workers[w].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;

        StringBuilder json = new StringBuilder("{");
        field(json, "tool", quote("HangupGuess"));
        field(json, "from", quote(from));
        field(json, "concurrency", concurrency);
        field(json, "waitMs", waitMs);
        field(json, "seconds", String.format("%.1f", elapsed));
        field(json, "connects", connects.get());
        field(json, "refused", refused.get());
        field(json, "refusals", map(refusals));
        field(json, "errors", errors.get());
        field(json, "sent", guesses.get());
        field(json, "guessesPerSecond", String.format("%.1f", guesses.get() / elapsed));
        field(json, "answered", answered.get());
        field(json, "answeredOk", answeredOk.get());
        field(json, "realAt", realAt);
        field(json, "realAccepted", acceptedAtGuess.get() > 0);
        field(json, "acceptedAtGuess", acceptedAtGuess.get());
        field(json, "acceptedAtMs", acceptedAtMs.get());
        json.setLength(json.length() - 1);
        System.out.println(json.append('}'));
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

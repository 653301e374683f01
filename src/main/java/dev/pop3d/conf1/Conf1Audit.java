package dev.pop3d.conf1;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit of CONF1: every SET (object, value, result) and every refused token, per source
 * network ({@link TokenGuard#network}) and window. The first event of a network in a window is
 * written at once; the rest of that window becomes one summary line when it ends, so a flood of
 * datagrams cannot flood the log. Never the token: ATT's value is masked. Bounded: at most
 * {@link #MAX_NETWORKS} networks are tracked, the rest count under {@code other}. Thread-safe.
 */
public final class Conf1Audit {
    static final int MAX_NETWORKS = 1000;

    /** Where lines go (the access log): alternating keys and values. */
    @FunctionalInterface
    public interface Sink {
        void line(Object... keyValues);
    }

    private record Key(String network, String kind) {}

    private static final class Window {
        final Instant start;
        int suppressed;
        String lastDetail = "";

        Window(Instant start) {
            this.start = start;
        }
    }

    private final Sink sink;
    private final Duration window;
    private final InstantSource clock;
    private final Map<Key, Window> windows = new LinkedHashMap<>();

    public Conf1Audit(Sink sink, Duration window, InstantSource clock) {
        this.sink = sink;
        this.window = window;
        this.clock = clock;
    }

    /** A SET with the right token: the object, its value as shown (ATT masked) and whether it took. */
    public void set(InetAddress source, String object, String argument, boolean ok) {
        String shown = object.equals("ATT") ? "**********" : argument;
        record("set", source, new Object[] {"kind", "set", "source", TokenGuard.network(source), "object", object,
                "value", shown, "result", ok ? "ok" : "refused"}, object);
    }

    /** A request with a wrong token (the token itself is never written). */
    public void refused(InetAddress source) {
        record("refused-token", source, new Object[] {"kind", "refused-token", "source", TokenGuard.network(source)}, "");
    }

    private void record(String kind, InetAddress source, Object[] line, String detail) {
        boolean first;
        synchronized (this) {
            flushEnded(clock.instant());
            Key key = new Key(TokenGuard.network(source), kind);
            if (!windows.containsKey(key) && windows.size() >= MAX_NETWORKS) {
                key = new Key("other", kind);
            }
            Window w = windows.get(key);
            first = w == null;
            if (first) {
                windows.put(key, new Window(clock.instant()));
            } else {
                w.suppressed++;
                w.lastDetail = detail;
            }
        }
        if (first) {
            sink.line(line);
        }
    }

    /** Writes the summaries of windows that ended (the endpoint calls this every second). */
    public void flush() {
        List<Object[]> lines;
        synchronized (this) {
            lines = flushEnded(clock.instant());
        }
        lines.forEach(sink::line);
    }

    private List<Object[]> flushEnded(Instant now) {
        List<Object[]> lines = new ArrayList<>();
        for (Iterator<Map.Entry<Key, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Window> e = it.next();
            if (!now.isBefore(e.getValue().start.plus(window))) {
                if (e.getValue().suppressed > 0) {
                    lines.add(new Object[] {"kind", e.getKey().kind(), "source", e.getKey().network(),
                            "more", e.getValue().suppressed, "window-s", window.toSeconds(),
                            "last-object", e.getValue().lastDetail});
                }
                it.remove();
            }
        }
        return lines;
    }
}

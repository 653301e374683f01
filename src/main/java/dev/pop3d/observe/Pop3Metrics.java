package dev.pop3d.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every meter of pop3d, and the one source of the numbers CONF1 reports: CCU is
 * {@link #loggedIn()}, HTU and BTF are the persisted counters' volume-wide sums
 * ({@link PersistentCounters#historicLogins()}), exposed here as function counters.
 * Tags are bounded: verbs, results, never user names or addresses.
 */
public final class Pop3Metrics {
    private final MeterRegistry registry;
    private final PersistentCounters counters;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger loggedIn = new AtomicInteger();
    private final Counter sessions;
    private final Counter lockConflicts;
    private final Timer retrDuration;
    /**
     * Tagged counters looked up once: {@code registry.counter(name, tags)} builds tags and an id
     * and searches the registry at every call (12 commands a session, 20,000 CONF1 requests a
     * second in load-tests). The keys are the bounded tag values themselves.
     */
    private final ConcurrentHashMap<String, Counter[]> commands = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> conf1Requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> authentications = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> hdrpQueries = new ConcurrentHashMap<>();

    public Pop3Metrics(MeterRegistry registry, PersistentCounters counters) {
        this.registry = registry;
        this.counters = counters;
        Gauge.builder("pop3d.sessions.active", open, AtomicInteger::get)
                .description("POP3 connections open now").register(registry);
        Gauge.builder("pop3d.sessions.logged.in", loggedIn, AtomicInteger::get)
                .description("POP3 sessions logged in now (CONF1 CCU)").register(registry);
        sessions = Counter.builder("pop3d.sessions").description("POP3 connections accepted").register(registry);
        // volume-wide sums (every instance on this data directory, ADR 0008): the same on every pod
        FunctionCounter.builder("pop3d.logins.historic", counters, PersistentCounters::historicLogins)
                .description("successful logins since the data directory was created, all instances (CONF1 HTU)")
                .register(registry);
        FunctionCounter.builder("pop3d.bytes.sent", counters, PersistentCounters::historicBytesSent).baseUnit("bytes")
                .description("octets written to POP3 clients, all instances on the data directory (CONF1 BTF)")
                .register(registry);
        lockConflicts = Counter.builder("pop3d.lock.conflicts")
                .description("logins refused because the maildrop was in use").register(registry);
        retrDuration = Timer.builder("pop3d.retr.duration").description("RETR and TOP, first byte to terminator")
                .register(registry);
    }

    /** {@code pop3d_access_log_dropped_total}: access-log lines dropped (the file stalled or refused them). */
    public void watch(AccessLog accessLog) {
        FunctionCounter.builder("pop3d.access.log.dropped", accessLog, AccessLog::dropped)
                .description("access-log lines not written to the file (its queue was full, or it refused them)")
                .register(registry);
    }

    public void connectionOpened() {
        open.incrementAndGet();
        sessions.increment();
    }

    public void connectionClosed() {
        open.decrementAndGet();
    }

    /** A login succeeded: CCU up, HTU up. */
    public void loggedIn() {
        loggedIn.incrementAndGet();
        counters.logins().incrementAndGet();
    }

    /** A logged-in session ended. */
    public void loggedOut() {
        loggedIn.decrementAndGet();
    }

    public int currentlyLoggedIn() {
        return loggedIn.get();
    }

    public void authentication(String result) {
        authentications.computeIfAbsent(result, r -> registry.counter("pop3d.auth", "result", r.toLowerCase(Locale.ROOT)))
                .increment();
        if (result.equalsIgnoreCase("in_use")) {
            lockConflicts.increment();
        }
    }

    /** {@code verb} is a POP3 verb or "unknown"; result ok or err. */
    public void command(String verb, boolean ok) {
        commands.computeIfAbsent(verb, v -> new Counter[] {
                registry.counter("pop3d.commands", "command", v, "result", "ok"),
                registry.counter("pop3d.commands", "command", v, "result", "err")})[ok ? 0 : 1].increment();
    }

    public void bytesSent(long octets) {
        counters.bytesSent().addAndGet(octets);
    }

    public void retr(Duration took) {
        retrDuration.record(took);
    }

    public void conf1Request(String result) {
        conf1Requests.computeIfAbsent(result, r -> registry.counter("pop3d.conf1.requests", "result", r)).increment();
    }

    /** An HDRP query: {@code hit}, {@code miss}, {@code error}, {@code invalid} or {@code refused} (never a site name). */
    public void hdrpQuery(String result) {
        hdrpQueries.computeIfAbsent(result, r -> registry.counter("pop3d.hdrp.queries", "result", r)).increment();
    }

    /** One HDRP fetch from a site, {@code ok} or {@code failed}. */
    public void hdrpFetch(Duration took, boolean ok) {
        registry.timer("pop3d.hdrp.fetch.duration", "result", ok ? "ok" : "failed").record(took);
    }

    /** A connection refused at accept: {@code total} (pop3.limits.max-connections) or {@code per_address}. */
    public void connectionRefused(String limit) {
        registry.counter("pop3d.connections.refused", "limit", limit).increment();
    }

    /** A users-file reload: {@code reloaded} or {@code rejected} (unchanged checks are not counted). */
    public void usersReload(String result) {
        registry.counter("pop3d.users.reloads", "result", result.toLowerCase(Locale.ROOT)).increment();
    }

    /** An admin API call (ADR 0019): {@code operation} from the API's fixed set, {@code status} its HTTP status. */
    public void adminRequest(String operation, int status) {
        registry.counter("pop3d.admin.requests", "operation", operation, "status", Integer.toString(status)).increment();
    }

    public void transformation(boolean ok) {
        registry.counter("pop3d.transform.runs", "result", ok ? "ok" : "failed").increment();
    }

    // ---- mail intake (LMTP, SMTP): tags are the endpoint (lmtp, smtp) and bounded results, never an address

    /** An intake connection accepted ({@code endpoint} lmtp or smtp). */
    public void intakeConnection(String endpoint) {
        registry.counter("pop3d.intake.connections", "endpoint", endpoint).increment();
    }

    /**
     * One recipient's copy after DATA: {@code stored}, {@code no_space}, {@code failed} or
     * {@code too_big}; {@code octets} of the message (without the prepended lines) when stored.
     */
    public void intakeDelivery(String endpoint, String result, long octets) {
        registry.counter("pop3d.intake.deliveries", "endpoint", endpoint, "result", result).increment();
        if (result.equals("stored")) {
            registry.counter("pop3d.intake.bytes", "endpoint", endpoint).increment(octets);
        }
    }

    /**
     * Something refused: {@code unknown_user}, {@code bad_address}, {@code too_many_recipients},
     * {@code lookup_failed}, {@code too_big}, {@code bad_command}, {@code connections}, {@code timeout}.
     */
    public void intakeReject(String endpoint, String reason) {
        registry.counter("pop3d.intake.rejects", "endpoint", endpoint, "reason", reason).increment();
    }

    /** From the end of DATA to every copy durable (fsync, rename, fsync) or failed. */
    public void intakeDeliveryDuration(String endpoint, Duration took) {
        registry.timer("pop3d.intake.delivery.duration", "endpoint", endpoint).record(took);
    }

    public PersistentCounters counters() {
        return counters;
    }
}

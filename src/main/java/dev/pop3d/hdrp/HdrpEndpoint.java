package dev.pop3d.hdrp;

import dev.pop3d.config.HdrpConfig;
import dev.pop3d.config.Pop3Config;
import dev.pop3d.endpoint.Bindings;
import dev.pop3d.endpoint.Conf1Contribution;
import dev.pop3d.endpoint.Conf1Object;
import dev.pop3d.endpoint.Conf1Reply;
import dev.pop3d.endpoint.EndpointReadiness;
import dev.pop3d.endpoint.Ipv6;
import dev.pop3d.endpoint.WorkerPool;
import dev.pop3d.endpoint.WorkerPools;
import dev.pop3d.observe.Pop3Metrics;
import dev.pop3d.platform.HostName;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The HDRP endpoint (docs/HDRP.md): control lines over TCP, the header over UDP to the datagram
 * that brings a valid ticket from the same address, a shared bounded cache saved on
 * {@code terminate} and at shutdown. A thin Vert.x shell around {@link Target}, {@link Tickets},
 * {@link HeaderCache} and {@link HeaderFetcher}; it contributes CONF1 objects HCH, HCM, HCE, HCC.
 */
@ApplicationScoped
public class HdrpEndpoint implements Conf1Contribution {
    private static final Logger LOG = Logger.getLogger(HdrpEndpoint.class);
    static final int MAX_LINE_OCTETS = 2048;
    static final int MAX_TICKET_OCTETS = 64;
    static final String POOL = "pop3d-hdrp";

    private final Vertx vertx;
    private final HdrpConfig config;
    private final Pop3Config pop3;
    private final Pop3Metrics metrics;
    private final EndpointReadiness readiness;
    private final WorkerPools pools;
    private final List<NetServer> servers = new CopyOnWriteArrayList<>();
    private final List<DatagramSocket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger clients = new AtomicInteger();
    private EndpointReadiness.Endpoint endpoint;
    private HeaderCache cache;
    private Tickets tickets;
    private HeaderFetcher fetcher;
    private WorkerPool workers;
    private volatile int port = -1;
    private volatile int udpPort = -1;
    private Resolver resolver = Resolver.system();
    private TargetPolicy policy;

    public HdrpEndpoint(Vertx vertx, HdrpConfig config, Pop3Config pop3, Pop3Metrics metrics,
                        EndpointReadiness readiness, WorkerPools pools) {
        this.vertx = vertx;
        this.config = config;
        this.pop3 = pop3;
        this.metrics = metrics;
        this.readiness = readiness;
        this.pools = pools;
        this.policy = TargetPolicy.of(config.allowPrivateTargets());
    }

    /** Before the POP3 listener: once POP3 greets, every endpoint is up (tests and probes rely on it). */
    void onStart(@Observes @jakarta.annotation.Priority(200) StartupEvent event) throws Exception {
        if (!config.enabled()) {
            return;
        }
        endpoint = readiness.join("hdrp");
        workers = pools.pool(POOL, 4);
        Path file = config.cache().file().orElse(pop3.dataDir().resolve("hdrp")
                .resolve("cache-" + HostName.asFileName(HostName.current()) + ".json"));
        cache = new HeaderCache(config.cache().maxEntries(), config.cache().ttl(), InstantSource.system(), file);
        try {
            LOG.infof("HDRP cache %s: %d entries loaded", file, cache.load());
        } catch (Exception e) {
            LOG.warnf("HDRP cache %s unreadable (%s): starting empty", file, e.getMessage());
        }
        tickets = new Tickets(config.ticketTtl(), InstantSource.system(), new SecureRandom(),
                config.maxClients() * config.maxQueriesInFlight());
        fetcher = new HeaderFetcher(vertx, resolver, policy, workers, config.fetch().connectTimeout(),
                config.fetch().readTimeout(), config.fetch().maxHeaderBytes(), config.tls().trustAll());
        Ipv6 ipv6 = Ipv6.probe();
        for (Bindings.Bound<DatagramSocket> bound : Bindings.bindAll("HDRP/UDP", config.host(), ipv6, this::bindUdp)) {
            sockets.add(bound.value());
            udpPort = bound.value().localAddress().port();
        }
        for (Bindings.Bound<NetServer> bound : Bindings.bindAll("HDRP", config.host(), ipv6, this::bindTcp)) {
            servers.add(bound.value());
            port = bound.value().actualPort();
        }
        endpoint.ready(config.host() + " tcp " + port + " udp " + udpPort);
        LOG.infof("HDRP listening on %s tcp port %d, udp port %d", config.host(), port, udpPort);
    }

    /** For tests: the resolver and policy every fetch uses (set before start). */
    void resolveWith(Resolver resolver, TargetPolicy policy) {
        this.resolver = resolver;
        this.policy = policy;
    }

    public int port() {
        return port;
    }

    public int udpPort() {
        return udpPort;
    }

    private Future<NetServer> bindTcp(String host) {
        return vertx.createNetServer(new NetServerOptions().setHost(host).setPort(config.port()).setTcpNoDelay(true))
                .connectHandler(this::client).listen();
    }

    private Future<DatagramSocket> bindUdp(String host) {
        DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions().setIpV6(host.contains(":")));
        socket.handler(packet -> datagram(socket, packet));
        socket.exceptionHandler(e -> LOG.debugf("HDRP udp error: %s", e.getMessage()));
        return socket.listen(udpPort > 0 && config.udpPort() == 0 ? udpPort : config.udpPort(), host)
                .onFailure(e -> socket.close());
    }

    private void client(NetSocket socket) {
        if (clients.incrementAndGet() > config.maxClients()) {
            clients.decrementAndGet();
            socket.end(Buffer.buffer("ERR too many clients, try again later\n"));
            return;
        }
        socket.closeHandler(v -> clients.decrementAndGet());
        new Client(socket).start();
    }

    /** One control connection: its lines are answered in order, at most max-queries-in-flight waiting. */
    private final class Client {
        private final NetSocket socket;
        private final InetAddress peer;
        private Future<Void> chain = Future.succeededFuture();
        private int waiting;
        private boolean ending;

        Client(NetSocket socket) {
            this.socket = socket;
            this.peer = address(socket.remoteAddress().hostAddress());
        }

        void start() {
            RecordParser lines = RecordParser.newDelimited("\n", this::line).maxRecordSize(MAX_LINE_OCTETS);
            lines.exceptionHandler(e -> {
                socket.write(Buffer.buffer("ERR line too long\n"));
                socket.close();
            });
            socket.handler(lines);
        }

        private void line(Buffer raw) {
            if (ending) {
                return;
            }
            String text = raw.toString(StandardCharsets.UTF_8).strip();
            if (text.equalsIgnoreCase("terminate")) {
                ending = true;
                chain = chain.compose(v -> workers.<Void>run(() -> {
                    saveCache();
                    return null;
                })).onComplete(r -> socket.end(Buffer.buffer("BYE\n")));
                return;
            }
            if (waiting >= config.maxQueriesInFlight()) {
                chain = chain.onComplete(r -> reply("ERR too many queries in flight"));
                metrics.hdrpQuery("refused");
                return;
            }
            waiting++;
            chain = chain.compose(v -> answer(text)).onComplete(r -> {
                waiting--;
                reply(r.succeeded() ? r.result() : "ERR internal error");
            }).mapEmpty();
        }

        private Future<String> answer(String text) {
            Target.Result parsed = Target.parse(text);
            if (parsed.target().isEmpty()) {
                metrics.hdrpQuery("invalid");
                return Future.succeededFuture("ERR " + parsed.error());
            }
            Target target = parsed.target().get();
            java.util.Optional<byte[]> cached = cache.get(target);
            if (cached.isPresent()) {
                metrics.hdrpQuery("hit");
                return Future.succeededFuture(ticket(cached.get()));
            }
            long started = System.nanoTime();
            return fetcher.fetch(target).map(header -> {
                metrics.hdrpFetch(Duration.ofNanos(System.nanoTime() - started), true);
                metrics.hdrpQuery("miss");
                cache.put(target, header);
                return ticket(header);
            }).recover(e -> {
                metrics.hdrpFetch(Duration.ofNanos(System.nanoTime() - started), false);
                metrics.hdrpQuery("error");
                String reason = e instanceof HeaderFetcher.FetchException ? e.getMessage() : "fetch failed";
                return Future.succeededFuture("ERR " + reason.replace('\n', ' ').replace('\r', ' '));
            });
        }

        private String ticket(byte[] header) {
            return tickets.issue(peer, header).map(t -> "PORT " + udpPort + " " + t)
                    .orElse("ERR too many tickets outstanding, try again later");
        }

        private void reply(String line) {
            socket.write(Buffer.buffer(line + "\n"));
        }
    }

    /** A datagram answers only a valid ticket from the address that asked over TCP; else nothing. */
    private void datagram(DatagramSocket socket, DatagramPacket packet) {
        Buffer data = packet.data();
        if (data.length() == 0 || data.length() > MAX_TICKET_OCTETS) {
            return;
        }
        String ticket = data.toString(StandardCharsets.US_ASCII).strip();
        InetAddress source = address(packet.sender().hostAddress());
        if (source == null) {
            return;
        }
        tickets.redeem(ticket, source).ifPresent(pending ->
                socket.send(Buffer.buffer(pending.header()), packet.sender().port(), packet.sender().hostAddress()));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // an IP literal from the socket: parsed, never resolved
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private void saveCache() {
        try {
            cache.save();
        } catch (Exception e) {
            LOG.warnf("HDRP cache not saved to %s: %s", cache.file(), e.getMessage());
        }
    }

    @Override
    public List<Conf1Object> conf1Objects() {
        List<Conf1Object> objects = new ArrayList<>();
        objects.add(counter("HCH", "HDRP cache hits", () -> cache == null ? 0 : cache.hits()));
        objects.add(counter("HCM", "HDRP cache misses", () -> cache == null ? 0 : cache.misses()));
        objects.add(counter("HCE", "HDRP cache entries", () -> cache == null ? 0 : cache.size()));
        objects.add(new Conf1Object() {
            public String code() { return "HCC"; }

            public boolean writable() { return true; }

            public Conf1Reply get() { return Conf1Reply.suc("Clear HDRP cache: false"); }

            public Conf1Reply set(String argument) {
                if (!argument.equalsIgnoreCase("true")) {
                    return Conf1Reply.err("HCC takes true (clears the HDRP cache)");
                }
                long entries = cache == null ? 0 : cache.size();
                if (cache != null) {
                    cache.clear();
                }
                return Conf1Reply.suc("HDRP cache cleared: " + entries);
            }
        });
        return objects;
    }

    private static Conf1Object counter(String code, String label, java.util.function.LongSupplier value) {
        return new Conf1Object() {
            public String code() { return code; }

            public boolean writable() { return false; }

            public Conf1Reply get() { return Conf1Reply.suc(label + ": " + value.getAsLong()); }
        };
    }

    @Override
    public int rank() {
        return 30;
    }

    void onStop(@Observes ShutdownEvent event) {
        if (endpoint == null) {
            return;
        }
        endpoint.stopped();
        servers.forEach(NetServer::close);
        sockets.forEach(DatagramSocket::close);
        fetcher.close();
        saveCache(); // not only on terminate, as the seed did
    }
}

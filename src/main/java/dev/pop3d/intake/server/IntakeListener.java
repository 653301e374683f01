package dev.pop3d.intake.server;

import dev.pop3d.accounts.Accounts;
import dev.pop3d.config.Pop3Config;
import dev.pop3d.endpoint.Bindings;
import dev.pop3d.endpoint.EndpointReadiness;
import dev.pop3d.endpoint.Ipv6;
import dev.pop3d.endpoint.WorkerPool;
import dev.pop3d.endpoint.WorkerPools;
import dev.pop3d.intake.protocol.Dialect;
import dev.pop3d.observe.AccessLog;
import dev.pop3d.observe.Pop3Metrics;
import dev.pop3d.platform.HostName;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The mail intake endpoints: LMTP (RFC 2033, {@code pop3.lmtp.*}) and SMTP for tests
 * ({@code pop3.smtp.*}), each only when enabled, each joining readiness under its name. Both run
 * the same {@link dev.pop3d.intake.protocol.IntakeDriver}; recipients come from {@link Accounts}
 * and messages go to their Maildirs through {@link IntakeDelivery} on the bounded
 * {@value #POOL} worker pool.
 */
@ApplicationScoped
public class IntakeListener {
    private static final Logger LOG = Logger.getLogger(IntakeListener.class);
    static final String POOL = "pop3d-intake";
    static final int POOL_SIZE = 4;

    private final Vertx vertx;
    private final Pop3Config config;
    private final Accounts accounts;
    private final Pop3Metrics metrics;
    private final AccessLog accessLog;
    private final EndpointReadiness readiness;
    private final WorkerPools pools;
    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();

    public IntakeListener(Vertx vertx, Pop3Config config, Accounts accounts, Pop3Metrics metrics, AccessLog accessLog,
                          EndpointReadiness readiness, WorkerPools pools) {
        this.vertx = vertx;
        this.config = config;
        this.accounts = accounts;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.readiness = readiness;
        this.pools = pools;
    }

    /** Before the POP3 listener (priority 200, as HDRP): once POP3 greets, every endpoint is up. */
    void onStart(@Observes @jakarta.annotation.Priority(200) StartupEvent event) throws Exception {
        if (!config.lmtp().enabled() && !config.smtp().enabled()) {
            return;
        }
        WorkerPool pool = pools.pool(POOL, POOL_SIZE);
        Ipv6 ipv6 = Ipv6.probe();
        if (config.lmtp().enabled()) {
            start(Dialect.LMTP, config.lmtp().host(), config.lmtp().port(), pool, ipv6);
        }
        if (config.smtp().enabled()) {
            start(Dialect.SMTP, config.smtp().host(), config.smtp().port(), pool, ipv6);
        }
    }

    private void start(Dialect dialect, List<String> hosts, int port, WorkerPool pool, Ipv6 ipv6) throws Exception {
        Endpoint endpoint = new Endpoint(dialect, readiness.join(dialect.tag()),
                new IntakeServices(dialect, HostName.current(), config.lmtp(), accounts, metrics, accessLog, pool, vertx,
                        java.time.Clock.systemDefaultZone()));
        List<String> bound = new ArrayList<>();
        int[] actual = {port};
        for (Bindings.Bound<NetServer> server : Bindings.bindAll(dialect.name(), hosts, ipv6,
                // a random port (0): the other addresses get the one the first bind chose
                host -> bind(endpoint, host, actual[0]).onSuccess(s -> actual[0] = s.actualPort()))) {
            endpoint.servers.add(server.value());
            bound.add(server.host());
        }
        endpoint.port = actual[0];
        endpoints.add(endpoint);
        endpoint.readiness.ready(String.join(",", bound) + " port " + endpoint.port);
        LOG.infof("%s intake listening on %s port %d, max message size %d octets", dialect.name(),
                String.join(",", bound), endpoint.port, config.lmtp().maxMessageSize());
    }

    private Future<NetServer> bind(Endpoint endpoint, String host, int port) {
        return vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true))
                .connectHandler(socket -> accept(endpoint, socket)).listen();
    }

    private void accept(Endpoint endpoint, NetSocket socket) {
        String tag = endpoint.dialect.tag();
        if (endpoint.stopping || endpoint.open.incrementAndGet() > config.lmtp().maxConnections()) {
            endpoint.open.decrementAndGet();
            metrics.intakeReject(tag, endpoint.stopping ? "shutdown" : "connections");
            socket.write(Buffer.buffer("421 4.3.2 " + endpoint.services.host()
                    + " Too many connections, try again later\r\n"));
            socket.end();
            return;
        }
        metrics.intakeConnection(tag);
        IntakeConnection[] holder = new IntakeConnection[1];
        holder[0] = new IntakeConnection(endpoint.services, socket, sessionId(), () -> {
            endpoint.connections.remove(holder[0]);
            endpoint.open.decrementAndGet();
        });
        endpoint.connections.add(holder[0]);
        holder[0].start();
    }

    /** The bound port of an endpoint, or -1 when it is not running. */
    public int port(Dialect dialect) {
        return endpoints.stream().filter(e -> e.dialect == dialect).mapToInt(e -> e.port).findFirst().orElse(-1);
    }

    private static String sessionId() {
        return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    /** Refuses new clients, tells idle sessions 421, lets deliveries in progress finish for the grace period. */
    void onStop(@Observes ShutdownEvent event) {
        for (Endpoint endpoint : endpoints) {
            endpoint.stopping = true;
            endpoint.readiness.stopped();
            endpoint.servers.forEach(NetServer::close);
            Set.copyOf(endpoint.connections).forEach(IntakeConnection::shutdown);
        }
        long deadline = System.nanoTime() + config.shutdown().gracePeriod().toNanos();
        while (endpoints.stream().anyMatch(e -> e.open.get() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // the shutdown thread, not an event loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        endpoints.forEach(e -> Set.copyOf(e.connections).forEach(IntakeConnection::cut));
    }

    /** One running endpoint. */
    private static final class Endpoint {
        final Dialect dialect;
        final EndpointReadiness.Endpoint readiness;
        final IntakeServices services;
        final List<NetServer> servers = new CopyOnWriteArrayList<>();
        final AtomicInteger open = new AtomicInteger();
        final Set<IntakeConnection> connections = ConcurrentHashMap.newKeySet();
        volatile boolean stopping;
        volatile int port = -1;

        Endpoint(Dialect dialect, EndpointReadiness.Endpoint readiness, IntakeServices services) {
            this.dialect = dialect;
            this.readiness = readiness;
            this.services = services;
        }
    }
}

package dev.pop3d.conf1;

import dev.pop3d.endpoint.Conf1Reply;
import dev.pop3d.config.Conf1Config;
import dev.pop3d.endpoint.Bindings;
import dev.pop3d.endpoint.Conf1Contribution;
import dev.pop3d.endpoint.Conf1Object;
import dev.pop3d.endpoint.EndpointReadiness;
import dev.pop3d.endpoint.Ipv6;
import dev.pop3d.endpoint.WorkerPool;
import dev.pop3d.endpoint.WorkerPools;
import dev.pop3d.live.LiveSettings;
import dev.pop3d.observe.AccessLog;
import dev.pop3d.observe.Pop3Metrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.Comparator;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The CONF1 UDP endpoint: one Vert.x datagram socket per configured address (IPv4 and IPv6
 * loopback by default). Each datagram is answered with exactly one datagram to its source; SET
 * MDF/LGF, which may touch the disk, run on a worker. A bad datagram never stops it. The sockets
 * live on an event loop of their own ({@value #LOOP_THREAD}), never on one that serves POP3
 * sessions: a flood of administration datagrams (20,000/s in load-tests) must not queue POP3
 * replies behind it.
 */
@ApplicationScoped
public class Conf1Endpoint {
    private static final Logger LOG = Logger.getLogger(Conf1Endpoint.class);
    /** SET MDF and SET LGF check or create folders; everything else is answered on the loop. */
    static final String POOL = "pop3d-conf1";
    static final int POOL_SIZE = 2;
    static final String LOOP_THREAD = "pop3d-conf1-loop";

    private final Vertx vertx;
    private final Conf1Config config;
    private final LiveSettings live;
    private final Pop3Metrics metrics;
    private final AccessLog accessLog;
    private final EndpointReadiness readiness;
    private final WorkerPools pools;
    private final Instance<Conf1Contribution> contributions;
    private final List<DatagramSocket> sockets = new CopyOnWriteArrayList<>();
    private EndpointReadiness.Endpoint endpoint;
    private WorkerPool workers;
    private Conf1Service service;
    private long auditFlusher = -1;
    private io.netty.channel.EventLoopGroup loop;
    private io.vertx.core.impl.ContextInternal context;

    public Conf1Endpoint(Vertx vertx, Conf1Config config, LiveSettings live, Pop3Metrics metrics, AccessLog accessLog,
                         EndpointReadiness readiness, WorkerPools pools, @Any Instance<Conf1Contribution> contributions) {
        this.accessLog = accessLog;
        this.vertx = vertx;
        this.config = config;
        this.live = live;
        this.metrics = metrics;
        this.readiness = readiness;
        this.pools = pools;
        this.contributions = contributions;
    }

    /** Before the POP3 listener (default priority): a refused configuration must not serve mail first. */
    void onStart(@Observes @jakarta.annotation.Priority(100) StartupEvent event) throws Exception {
        if (!config.enabled()) {
            return; // a disabled endpoint does not join the readiness registry
        }
        endpoint = readiness.join("conf1");
        // conf1.token-file, conf1.token, else <data-dir>/conf1.token (created once, 0600): never a fixed default
        String token = Conf1Token.resolve(Conf1Token.Settings.of(config, live.dataDir()), new SecureRandom()).value();
        live.update(s -> s.withToken(token));
        Conf1Audit audit = new Conf1Audit(keyValues -> accessLog.event("conf1-audit", keyValues),
                config.throttle().window(), InstantSource.system());
        service = new Conf1Service(new Conf1Registry(contributedObjects()),
                new TokenGuard(config.throttle().maxFailures(), config.throttle().window(), InstantSource.system()),
                () -> live.current().token(), audit);
        auditFlusher = vertx.setPeriodic(1000, id -> audit.flush());
        workers = pools.pool(POOL, POOL_SIZE);
        io.vertx.core.impl.VertxInternal internal = (io.vertx.core.impl.VertxInternal) vertx;
        loop = internal.transport().eventLoopGroup(io.vertx.core.spi.transport.Transport.IO_EVENT_LOOP_GROUP, 1, r -> {
            Thread thread = new Thread(r, LOOP_THREAD);
            thread.setDaemon(true);
            return thread;
        }, 50);
        context = internal.createEventLoopContext(loop.next(), internal.getWorkerPool(),
                Thread.currentThread().getContextClassLoader());
        for (Bindings.Bound<DatagramSocket> bound : Bindings.bindAll("CONF1", config.host(), Ipv6.probe(), this::bind)) {
            sockets.add(bound.value());
            LOG.infof("CONF1 listening on udp %s port %d", bound.host(), bound.value().localAddress().port());
        }
        endpoint.ready("udp " + ports());
    }

    /** Every feature's objects (ranked, for a stable GET INF), then CONF1's own ATT. */
    private List<Conf1Object> contributedObjects() {
        List<Conf1Contribution> ranked = new ArrayList<>();
        contributions.forEach(ranked::add);
        ranked.sort(Comparator.comparingInt(Conf1Contribution::rank)
                .thenComparing(c -> c.getClass().getName()));
        List<Conf1Object> objects = new ArrayList<>();
        ranked.forEach(c -> objects.addAll(c.conf1Objects()));
        objects.add(new AttObject(live));
        return objects;
    }

    /** Creating the socket may itself throw where IPv6 is missing: {@link Bindings} handles both. */
    private io.vertx.core.Future<DatagramSocket> bind(String host) {
        io.vertx.core.Promise<DatagramSocket> bound = io.vertx.core.Promise.promise();
        context.runOnContext(v -> { // created on the endpoint's own loop, so its events stay there
            DatagramSocket socket;
            try {
                socket = vertx.createDatagramSocket(new DatagramSocketOptions().setIpV6(host.contains(":"))
                        .setReceiveBufferSize(RECEIVE_BUFFER));
            } catch (RuntimeException e) {
                bound.fail(e);
                return;
            }
            socket.handler(packet -> answer(socket, packet));
            socket.exceptionHandler(e -> LOG.debugf("CONF1 socket error: %s", e.getMessage()));
            socket.listen(config.port(), host).onFailure(e -> socket.close()).onComplete(bound);
        });
        return bound.future();
    }

    /** Datagrams that may wait for the loop (the kernel caps it at net.core.rmem_max). */
    private static final int RECEIVE_BUFFER = 4 << 20;

    private void answer(DatagramSocket socket, DatagramPacket packet) {
        byte[] datagram = packet.data().getBytes();
        String host = packet.sender().host();
        int port = packet.sender().port();
        if (!service.mayBlock(datagram, datagram.length)) {
            // cheap: answer on the loop, so a flood of datagrams is drained at once
            reply(socket, host, port, handle(host, datagram));
            return;
        }
        workers.run(() -> handle(host, datagram)).onComplete(result -> reply(socket, host, port,
                result.succeeded() ? result.result() : failed(host, result.cause())));
    }

    private Conf1Service.Answer handle(String host, byte[] datagram) {
        try {
            return service.handle(InetAddress.getByName(host), datagram, datagram.length);
        } catch (Exception e) {
            return failed(host, e);
        }
    }

    private static Conf1Service.Answer failed(String host, Throwable e) {
        LOG.errorf(e, "CONF1 request from %s failed", host);
        return new Conf1Service.Answer(Conf1Reply.err("Internal error"), Conf1Service.Outcome.ERROR);
    }

    private void reply(DatagramSocket socket, String host, int port, Conf1Service.Answer answer) {
        metrics.conf1Request(answer.outcome().name().toLowerCase(Locale.ROOT));
        if (answer.sent()) {
            socket.send(Buffer.buffer(answer.reply().encode()), port, host);
        }
    }

    /** The bound port of each address (useful when configured as 0). */
    public java.util.Map<String, Integer> ports() {
        java.util.Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (DatagramSocket socket : sockets) {
            ports.put(socket.localAddress().host(), socket.localAddress().port());
        }
        return ports;
    }

    void onStop(@Observes ShutdownEvent event) {
        if (endpoint != null) {
            endpoint.stopped();
            vertx.cancelTimer(auditFlusher);
        }
        for (DatagramSocket socket : sockets) {
            socket.close();
        }
        if (loop != null) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}

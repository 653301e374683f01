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
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.Vertx;
import io.vertx.core.spi.transport.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.Comparator;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The CONF1 UDP endpoint: one Netty datagram channel per configured address (IPv4 and IPv6
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
    private final List<Channel> sockets = new CopyOnWriteArrayList<>();
    private EndpointReadiness.Endpoint endpoint;
    private WorkerPool workers;
    private Conf1Service service;
    private long auditFlusher = -1;
    private io.netty.channel.EventLoopGroup loop;
    private Transport transport;

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
        transport = ((io.vertx.core.impl.VertxInternal) vertx).transport(); // NIO or native, as Vert.x's own
        loop = transport.eventLoopGroup(Transport.IO_EVENT_LOOP_GROUP, 1,
                new io.netty.util.concurrent.DefaultThreadFactory(LOOP_THREAD, true), 100);
        for (Bindings.Bound<Channel> bound : Bindings.bindAll("CONF1", config.host(), Ipv6.probe(), this::bind)) {
            sockets.add(bound.value());
            LOG.infof("CONF1 listening on udp %s port %d", bound.host(), port(bound.value()));
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

    /**
     * Creating the socket may itself throw where IPv6 is missing: {@link Bindings} handles both. A
     * plain Netty datagram channel on the endpoint's own loop: the sender's address comes as it is
     * (no text to parse or resolve per reply), one small receive buffer per read, and a kernel
     * receive buffer of {@value #RECEIVE_BUFFER} octets (capped by net.core.rmem_max) for bursts.
     */
    private io.vertx.core.Future<Channel> bind(String host) {
        io.vertx.core.Promise<Channel> bound = io.vertx.core.Promise.promise();
        try {
            InternetProtocolFamily family = host.contains(":") ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4;
            new Bootstrap().group(loop)
                    .channelFactory(() -> transport.datagramChannel(family))
                    .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_BUFFER))
                    .handler(new SimpleChannelInboundHandler<io.netty.channel.socket.DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, io.netty.channel.socket.DatagramPacket packet) {
                            answer(ctx.channel(), packet);
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
                            LOG.debugf("CONF1 socket error: %s", e.getMessage());
                        }
                    })
                    .bind(host, config.port())
                    .addListener((ChannelFuture f) -> {
                        if (f.isSuccess()) {
                            bound.complete(f.channel());
                        } else {
                            bound.fail(f.cause());
                        }
                    });
        } catch (RuntimeException e) {
            bound.fail(e);
        }
        return bound.future();
    }

    /** Datagrams that may wait for the loop while it is not scheduled (20,000/s in load-tests). */
    private static final int RECEIVE_BUFFER = 4 << 20;
    /** A read buffer: a request is at most 128 octets (longer ones are refused, not truncated silently). */
    private static final int DATAGRAM_BUFFER = 2048;

    private void answer(Channel socket, io.netty.channel.socket.DatagramPacket packet) {
        ByteBuf content = packet.content();
        byte[] datagram = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), datagram);
        InetSocketAddress sender = packet.sender();
        if (!service.mayBlock(datagram, datagram.length)) {
            // cheap: answered on the loop, so a flood of datagrams is drained at once
            reply(socket, sender, handle(sender, datagram));
            return;
        }
        workers.run(() -> handle(sender, datagram)).onComplete(result -> reply(socket, sender,
                result.succeeded() ? result.result() : failed(sender, result.cause())));
    }

    private Conf1Service.Answer handle(InetSocketAddress sender, byte[] datagram) {
        try {
            return service.handle(sender.getAddress(), datagram, datagram.length);
        } catch (Exception e) {
            return failed(sender, e);
        }
    }

    private static Conf1Service.Answer failed(InetSocketAddress sender, Throwable e) {
        LOG.errorf(e, "CONF1 request from %s failed", sender.getAddress().getHostAddress());
        return new Conf1Service.Answer(Conf1Reply.err("Internal error"), Conf1Service.Outcome.ERROR);
    }

    private void reply(Channel socket, InetSocketAddress sender, Conf1Service.Answer answer) {
        metrics.conf1Request(answer.outcome().name().toLowerCase(Locale.ROOT));
        if (answer.sent()) {
            socket.writeAndFlush(new io.netty.channel.socket.DatagramPacket(Unpooled.wrappedBuffer(answer.reply().encode()), sender));
        }
    }

    private static int port(Channel socket) {
        return ((InetSocketAddress) socket.localAddress()).getPort();
    }

    /** The bound port of each address (useful when configured as 0). */
    public java.util.Map<String, Integer> ports() {
        java.util.Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (Channel socket : sockets) {
            ports.put(((InetSocketAddress) socket.localAddress()).getAddress().getHostAddress(), port(socket));
        }
        return ports;
    }

    void onStop(@Observes ShutdownEvent event) {
        if (endpoint != null) {
            endpoint.stopped();
            vertx.cancelTimer(auditFlusher);
        }
        for (Channel socket : sockets) {
            socket.close();
        }
        if (loop != null) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}

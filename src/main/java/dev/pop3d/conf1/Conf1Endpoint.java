package dev.pop3d.conf1;

import dev.pop3d.config.Conf1Config;
import dev.pop3d.config.Pop3Config;
import dev.pop3d.conf1.objects.AttObject;
import dev.pop3d.conf1.objects.Counters;
import dev.pop3d.conf1.objects.FolderObjects;
import dev.pop3d.conf1.objects.LimitObjects;
import dev.pop3d.conf1.objects.TransformObjects;
import dev.pop3d.live.LiveSettings;
import dev.pop3d.observe.AccessLog;
import dev.pop3d.observe.Pop3Metrics;
import dev.pop3d.observe.Readiness;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
 * loopback by default). Each datagram is answered with exactly one datagram to its source; the
 * work runs on a worker, so SET MDF/LGF may touch the disk. A bad datagram never stops it.
 */
@ApplicationScoped
public class Conf1Endpoint {
    private static final Logger LOG = Logger.getLogger(Conf1Endpoint.class);

    private final Vertx vertx;
    private final Conf1Config config;
    private final Pop3Config pop3;
    private final LiveSettings live;
    private final Pop3Metrics metrics;
    private final AccessLog accessLog;
    private final Readiness readiness;
    private final List<DatagramSocket> sockets = new CopyOnWriteArrayList<>();
    private Conf1Service service;

    public Conf1Endpoint(Vertx vertx, Conf1Config config, Pop3Config pop3, LiveSettings live, Pop3Metrics metrics,
                         AccessLog accessLog, Readiness readiness) {
        this.vertx = vertx;
        this.config = config;
        this.pop3 = pop3;
        this.live = live;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.readiness = readiness;
    }

    /** Before the POP3 listener (default priority): a refused configuration must not serve mail first. */
    void onStart(@Observes @jakarta.annotation.Priority(100) StartupEvent event) throws Exception {
        if (!config.enabled()) {
            readiness.conf1(false, false);
            return;
        }
        boolean loopbackOnly = config.host().stream().allMatch(Conf1Endpoint::isLoopback);
        String token = Conf1Token.resolve(Conf1Token.Settings.of(config, pop3.dataDir()), new SecureRandom()).value();
        live.update(s -> s.withToken(token));
        Conf1Registry registry = new Conf1Registry(List.of(
                Counters.htu(() -> metrics.counters().logins().get()),
                Counters.ccu(metrics::currentlyLoggedIn),
                Counters.btf(() -> metrics.counters().bytesSent().get()),
                Counters.buf(pop3.stream().bufferSize()),
                FolderObjects.lgf(live, accessLog::moveTo),
                FolderObjects.mdf(live),
                new AttObject(live),
                TransformObjects.trf(live),
                TransformObjects.tfn(live, loopbackOnly, pop3.transform().allowedCommands()),
                LimitObjects.mxc(live),
                LimitObjects.idl(live)));
        service = new Conf1Service(registry,
                new TokenGuard(config.throttle().maxFailures(), config.throttle().window(), InstantSource.system()),
                () -> live.current().token());
        for (String host : config.host()) {
            bind(host);
        }
        readiness.conf1(true, !sockets.isEmpty());
    }

    private void bind(String host) throws Exception {
        boolean ipv6 = host.contains(":");
        DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions().setIpV6(ipv6));
        socket.handler(packet -> answer(socket, packet));
        socket.exceptionHandler(e -> LOG.debugf("CONF1 socket error: %s", e.getMessage()));
        try {
            socket.listen(config.port(), host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            sockets.add(socket);
            LOG.infof("CONF1 listening on udp %s port %d", host, socket.localAddress().port());
        } catch (Exception e) {
            socket.close();
            if (ipv6 && isLoopback(host)) {
                LOG.warnf("CONF1 cannot listen on %s (%s): IPv6 unavailable, IPv4 only", host, e.getMessage());
                return;
            }
            if (host.equals("::")) {
                LOG.warnf("CONF1 cannot listen on :: (%s): IPv6 unavailable, listening on 0.0.0.0", e.getMessage());
                bind("0.0.0.0");
                return;
            }
            throw e;
        }
    }

    private void answer(DatagramSocket socket, DatagramPacket packet) {
        byte[] datagram = packet.data().getBytes();
        String host = packet.sender().host();
        int port = packet.sender().port();
        if (!Conf1Service.mayBlock(datagram, datagram.length)) {
            // cheap: answer on the loop, so a flood of datagrams is drained at once
            reply(socket, host, port, handle(host, datagram));
            return;
        }
        vertx.executeBlocking(() -> handle(host, datagram), false).onComplete(result -> reply(socket, host, port,
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
        socket.send(Buffer.buffer(answer.reply().encode()), port, host);
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
        readiness.conf1(config.enabled(), false);
        for (DatagramSocket socket : sockets) {
            socket.close();
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}

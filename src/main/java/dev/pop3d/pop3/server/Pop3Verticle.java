package dev.pop3d.pop3.server;

import dev.pop3d.endpoint.AddressSlots;
import dev.pop3d.pop3.protocol.Reply;
import dev.pop3d.pop3.protocol.ReplyEncoder;
import dev.pop3d.pop3.protocol.ResponseCode;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One NetServer on one event loop; the listener deploys one per loop on the same address and
 * Vert.x spreads the connections. Its connections live on its loop only.
 */
final class Pop3Verticle extends AbstractVerticle {
    private final Pop3Services services;
    private final String host;
    private final int port;
    private final Optional<TlsCertificate> tls;
    private final boolean implicitTls;
    private final Set<Pop3Connection> connections = new HashSet<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile int actualPort;
    private boolean shuttingDown;
    private NetServer server;

    /** @param implicitTls RFC 8314: TLS from the first octet (the pop3s port); else STLS where {@code tls} is set */
    Pop3Verticle(Pop3Services services, String host, int port, Optional<TlsCertificate> tls, boolean implicitTls) {
        this.services = services;
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.implicitTls = implicitTls;
    }

    @Override
    public void start(Promise<Void> started) {
        NetServerOptions options = new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true);
        tls.ifPresent(certificate -> certificate.apply(options, implicitTls));
        server = vertx.createNetServer(options).connectHandler(this::accept);
        server.listen().onSuccess(s -> {
            actualPort = s.actualPort();
            started.complete();
        }).onFailure(started::fail);
    }

    int actualPort() {
        return actualPort;
    }

    /** A renewed certificate: new handshakes use it, sessions already up keep theirs. */
    void reloadTls() {
        tls.ifPresent(certificate -> context.runOnContext(v -> server.updateSSLOptions(certificate.sslOptions(), true)));
    }

    /** Connections of this verticle not yet closed (any thread). */
    int openConnections() {
        return open.get();
    }

    /** Runs on this verticle's loop: refuse new clients, tell the open ones. */
    void shutdown() {
        context.runOnContext(v -> {
            shuttingDown = true;
            Set.copyOf(connections).forEach(Pop3Connection::shutdown);
        });
    }

    /** After the grace period: cut whatever is still open. */
    void cut() {
        context.runOnContext(v -> Set.copyOf(connections).forEach(Pop3Connection::cut));
    }

    private void accept(NetSocket socket) {
        if (shuttingDown) {
            refuse(socket, Reply.err(ResponseCode.SYS_TEMP, "Server shutting down"));
            return;
        }
        if (services.connections().incrementAndGet() > services.live().current().maxConnections()) {
            services.connections().decrementAndGet();
            services.metrics().connectionRefused("total");
            refuse(socket, Reply.err(ResponseCode.SYS_TEMP, "Too many connections, try again later"));
            return;
        }
        java.util.Optional<AddressSlots.Slot> slot = source(socket).flatMap(services.slots()::acquire);
        if (slot.isEmpty()) {
            services.connections().decrementAndGet();
            services.metrics().connectionRefused("per_address");
            refuse(socket, Reply.err(ResponseCode.SYS_TEMP, "Too many connections from your address, try again later"));
            return;
        }
        open.incrementAndGet();
        services.metrics().connectionOpened();
        Pop3Connection[] holder = new Pop3Connection[1];
        // the global count follows the socket; the per-address slot also waits for a login check to finish
        boolean[] counted = {true};
        Runnable releaseGlobal = () -> {
            if (counted[0]) {
                counted[0] = false;
                services.connections().decrementAndGet();
            }
        };
        holder[0] = new Pop3Connection(vertx, socket, services, sessionId(), implicitTls, releaseGlobal, () -> {
            connections.remove(holder[0]);
            open.decrementAndGet();
            releaseGlobal.run();
            services.metrics().connectionClosed();
        }, () -> slot.get().release());
        connections.add(holder[0]);
        holder[0].start();
    }

    private void refuse(NetSocket socket, Reply reply) {
        byte[] bytes = ReplyEncoder.encode(reply);
        services.metrics().bytesSent(bytes.length);
        socket.write(Buffer.buffer(bytes));
        socket.end();
    }

    /** The peer's address as a literal (never resolved); empty for a socket without one. */
    static java.util.Optional<java.net.InetAddress> source(NetSocket socket) {
        if (socket.remoteAddress() == null || socket.remoteAddress().hostAddress() == null) {
            return java.util.Optional.empty();
        }
        if (socket instanceof io.vertx.core.net.impl.NetSocketInternal internal
                && internal.channelHandlerContext().channel().remoteAddress() instanceof java.net.InetSocketAddress inet
                && inet.getAddress() != null) {
            return java.util.Optional.of(inet.getAddress()); // the channel's own address: nothing to parse
        }
        try {
            return java.util.Optional.of(java.net.InetAddress.getByName(socket.remoteAddress().hostAddress()));
        } catch (java.net.UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }

    private static String sessionId() {
        return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }
}

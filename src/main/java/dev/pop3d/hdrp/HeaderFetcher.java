package dev.pop3d.hdrp;

import dev.pop3d.endpoint.WorkerPool;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Fetches an HTTP response header the way the seed did: {@code GET <path> HTTP/1.1} with
 * {@code Host} and {@code Connection: close}, over TCP or TLS, keeping the octets up to the first
 * empty line exactly as received, at most {@code maxHeaderBytes} (a longer header is cut and ends
 * in {@code X-HDRP-Truncated: true}). HTTP client libraries hide those octets (and may speak HTTP/2),
 * so this is a plain Vert.x {@link NetClient}. The name is resolved once; the address that passes
 * the {@link TargetPolicy} is the one connected to. Connect and read are time-limited.
 */
public final class HeaderFetcher {
    static final byte[] TRUNCATED = "X-HDRP-Truncated: true\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A fetch that failed, with a reason fit for {@code ERR}. */
    public static final class FetchException extends Exception {
        public FetchException(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Vertx vertx;
    private final NetClient plain;
    private final NetClient tls;
    private final Resolver resolver;
    private final TargetPolicy policy;
    private final WorkerPool resolving;
    private final Duration readTimeout;
    private final int maxHeaderBytes;

    public HeaderFetcher(Vertx vertx, Resolver resolver, TargetPolicy policy, WorkerPool resolving,
                         Duration connectTimeout, Duration readTimeout, int maxHeaderBytes, boolean trustAll) {
        this.vertx = vertx;
        this.resolver = resolver;
        this.policy = policy;
        this.resolving = resolving;
        this.readTimeout = readTimeout;
        this.maxHeaderBytes = maxHeaderBytes;
        NetClientOptions options = new NetClientOptions().setConnectTimeout((int) connectTimeout.toMillis());
        this.plain = vertx.createNetClient(options);
        this.tls = vertx.createNetClient(new NetClientOptions(options).setSsl(true).setTrustAll(trustAll)
                .setHostnameVerificationAlgorithm(trustAll ? "" : "HTTPS"));
    }

    /** The header of {@code target}; fails with a {@link FetchException} saying why. */
    public Future<byte[]> fetch(Target target) {
        return resolving.run(() -> checkedAddress(target)).compose(address -> connect(target, address));
    }

    /** Blocking (a name may go to the resolver): the first address the policy allows. */
    private InetAddress checkedAddress(Target target) throws FetchException {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(target.host());
        } catch (Exception e) {
            throw new FetchException("cannot resolve " + target.host());
        }
        String refusal = "no address for " + target.host();
        for (InetAddress address : addresses) {
            Optional<String> refused = policy.refuse(address);
            if (refused.isEmpty()) {
                return address;
            }
            refusal = refused.get();
        }
        throw new FetchException(refusal);
    }

    private Future<byte[]> connect(Target target, InetAddress address) {
        NetClient client = target.tls() ? tls : plain;
        // connect to the checked address; SNI and certificate checks use the name
        return client.connect(io.vertx.core.net.SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()),
                        target.host())
                .recover(e -> Future.failedFuture(new FetchException("cannot connect to " + target.key() + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : shorten(e.getMessage())))))
                .compose(socket -> read(target, socket));
    }

    private Future<byte[]> read(Target target, NetSocket socket) {
        Promise<byte[]> header = Promise.promise();
        Buffer received = Buffer.buffer();
        long timer = vertx.setTimer(readTimeout.toMillis(), t -> {
            header.tryFail(new FetchException("timeout reading the header of " + target.key()));
            socket.close();
        });
        socket.handler(chunk -> {
            int before = received.length();
            received.appendBuffer(chunk);
            int end = endOfHeader(received, Math.max(0, before - 3));
            if (end >= 0) {
                finish(header, received.getBytes(0, Math.min(end, maxHeaderBytes)), end > maxHeaderBytes);
                socket.close();
            } else if (received.length() >= maxHeaderBytes) {
                finish(header, received.getBytes(0, maxHeaderBytes), true);
                socket.close();
            }
        });
        socket.endHandler(v -> header.tryFail(new FetchException("connection closed before the end of the header")));
        socket.exceptionHandler(e -> header.tryFail(new FetchException("read failed: " + shorten(String.valueOf(e.getMessage())))));
        socket.write(Buffer.buffer(("GET " + target.path() + " HTTP/1.1\r\nHost: " + target.hostHeader()
                + "\r\nUser-Agent: pop3d-hdrp\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        return header.future().onComplete(r -> vertx.cancelTimer(timer));
    }

    /** The header ends with its empty line; a cut one gets the truncation line (within the cap). */
    private void finish(Promise<byte[]> header, byte[] bytes, boolean truncated) {
        if (!truncated) {
            header.tryComplete(bytes);
            return;
        }
        int keep = Math.min(bytes.length, maxHeaderBytes - TRUNCATED.length - 2);
        while (keep > 0 && bytes[keep - 1] != '\n') {
            keep--; // cut at a line end, so the marker starts a line of its own
        }
        byte[] out = new byte[keep + TRUNCATED.length];
        System.arraycopy(bytes, 0, out, 0, keep);
        System.arraycopy(TRUNCATED, 0, out, keep, TRUNCATED.length);
        header.tryComplete(out);
    }

    /** Index just past the first CRLFCRLF (or LFLF) at or after {@code from}, else -1. */
    static int endOfHeader(Buffer b, int from) {
        for (int i = from; i < b.length(); i++) {
            if (b.getByte(i) == '\n') {
                if (i >= 3 && b.getByte(i - 1) == '\r' && b.getByte(i - 2) == '\n' && b.getByte(i - 3) == '\r') {
                    return i + 1;
                }
                if (i >= 1 && b.getByte(i - 1) == '\n') {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    private static String shorten(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }

    public void close() {
        plain.close();
        tls.close();
    }
}

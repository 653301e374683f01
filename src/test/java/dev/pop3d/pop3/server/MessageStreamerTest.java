package dev.pop3d.pop3.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.endpoint.WorkerPool;
import dev.pop3d.endpoint.WorkerPools;
import dev.pop3d.mailcodec.DotStuffer;
import dev.pop3d.mailstore.OpenedMessage;
import dev.pop3d.testing.DevCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamer over real sockets and real files: a Vert.x server sends one opened message per
 * connection as {@link StreamRunner} does (prefetch on a worker, start on the loop), a plain
 * client reads it. A "clean" message is given content that stuffing would change, so what arrives
 * shows which way it went.
 */
class MessageStreamerTest {
    /** Stuffing would change it (bare LF, a line starting with "."): sent as it is only by a file region. */
    private static final byte[] MARKED = "a\n.b\r\nc\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private Vertx vertx;
    private WorkerPool workers;
    private NetServer server;
    private final AtomicReference<Setup> setup = new AtomicReference<>();
    private final AtomicLong sent = new AtomicLong();

    /** What the next connection sends: the message, and how. */
    private record Setup(OpenedMessage message, OptionalLong bodyLines, int chunkSize,
                         CompletableFuture<Result> result) {}

    /** How the transfer ended, and whether it went as a file region. */
    private record Result(boolean ok, String failure, boolean zeroCopy, FileChannel file) {
        /** The file is closed on a worker after the end: wait for it (bounded), then say. */
        boolean fileClosedAtEnd() throws InterruptedException {
            for (int i = 0; i < 200 && file.isOpen(); i++) {
                Thread.sleep(50);
            }
            return !file.isOpen();
        }
    }

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        workers = new WorkerPools(vertx).pool("stream-test", 2);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private int listen(NetServerOptions options) throws Exception {
        server = vertx.createNetServer(options.setHost("127.0.0.1").setPort(0));
        server.connectHandler(socket -> {
            Setup s = setup.get();
            MessageStreamer streamer = new MessageStreamer(workers, socket, s.chunkSize(), sent::addAndGet);
            boolean zeroCopy = s.bodyLines().isEmpty() && streamer.plaintext();
            workers.run(() -> {
                MessageStreamer.Transfer transfer = streamer.transfer(s.message(), s.message().octets() + " octets",
                        s.bodyLines(), zeroCopy);
                transfer.prefetch();
                return transfer;
            }).onComplete(prepared -> {
                if (prepared.failed()) {
                    s.result().complete(new Result(false, prepared.cause().getMessage(), false, channel(s)));
                    socket.close();
                    return;
                }
                MessageStreamer.Transfer transfer = prepared.result();
                socket.drainHandler(v -> transfer.drained());
                socket.closeHandler(v -> transfer.abort());
                transfer.start();
                transfer.done().onComplete(done -> {
                    if (done.succeeded()) {
                        socket.end();
                    } else {
                        socket.close(); // cut: no terminator
                    }
                    s.result().complete(new Result(done.succeeded(), done.failed() ? done.cause().getMessage() : null,
                            transfer.zeroCopy(), channel(s)));
                });
            });
        });
        return server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private static FileChannel channel(Setup s) {
        return (FileChannel) s.message().channel();
    }

    private int listen() throws Exception {
        return listen(new NetServerOptions());
    }

    private CompletableFuture<Result> serve(Path file, boolean clean, OptionalLong bodyLines, int chunkSize)
            throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        CompletableFuture<Result> result = new CompletableFuture<>();
        setup.set(new Setup(new OpenedMessage(channel, channel.size(), clean), bodyLines, chunkSize, result));
        return result;
    }

    private Path file(byte[] content) throws IOException {
        Path file = Files.createTempFile(dir, "msg", ".eml");
        Files.write(file, content);
        return file;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            in.transferTo(out);
        } catch (java.net.SocketException reset) {
            // a cut may arrive as a reset: what was received is what counts
        }
        return out.toByteArray();
    }

    private static byte[] received(int port) throws IOException {
        try (Socket client = new Socket("127.0.0.1", port)) {
            return readAll(client.getInputStream());
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] stuffed(byte[] content) {
        DotStuffer stuffer = new DotStuffer();
        byte[] out = new byte[DotStuffer.maxOutput(content.length)];
        int n = stuffer.stuff(content, 0, content.length, out);
        return concat(Arrays.copyOf(out, n), stuffer.finish());
    }

    private static boolean endsWithTerminator(byte[] received) {
        int n = received.length;
        return n >= 5 && Arrays.equals(Arrays.copyOfRange(received, n - 5, n), ascii("\r\n.\r\n"));
    }

    /** Clean, CRLF lines of about 80 octets: the shape of a large clean message. */
    private Path bigClean(int octets) throws IOException {
        byte[] content = new byte[octets];
        byte[] line = ascii("0123456789".repeat(8).substring(0, 78) + "\r\n");
        for (int i = 0; i < octets; i++) {
            content[i] = line[i % line.length];
        }
        content[octets - 2] = '\r';
        content[octets - 1] = '\n';
        return file(content);
    }

    @Test
    void aCleanMessageGoesOutAsAFileRegionAsStoredThenTheTerminator() throws Exception {
        int port = listen();
        CompletableFuture<Result> result = serve(file(MARKED), true, OptionalLong.empty(), 4096);
        byte[] received = received(port);
        assertArrayEquals(concat(ascii("+OK " + MARKED.length + " octets\r\n"), MARKED, ascii(".\r\n")), received);
        Result r = result.get(10, TimeUnit.SECONDS);
        assertTrue(r.ok() && r.zeroCopy(), r.toString());
        assertTrue(r.fileClosedAtEnd(), "the opened file is closed after the transfer");
        assertEquals(received.length, sent.get(), "every octet is counted");
    }

    @Test
    void anEmptyCleanMessageIsTheTerminatorOnly() throws Exception {
        int port = listen();
        CompletableFuture<Result> result = serve(file(new byte[0]), true, OptionalLong.empty(), 4096);
        assertArrayEquals(ascii("+OK 0 octets\r\n.\r\n"), received(port));
        assertTrue(result.get(10, TimeUnit.SECONDS).zeroCopy());
    }

    @Test
    void aMessageNotKnownCleanIsStuffedInBatchesOfEveryChunkSize() throws Exception {
        int port = listen();
        byte[] content = concat(ascii("Subject: x\n\n"), ascii(".dot\nline\r\n..\n".repeat(5000)), ascii("no final LF"));
        for (int chunk : new int[] {1, 3, 4096, 65536}) {
            CompletableFuture<Result> result = serve(file(content), false, OptionalLong.empty(), chunk);
            byte[] received = received(port);
            assertArrayEquals(concat(ascii("+OK " + content.length + " octets\r\n"), stuffed(content)), received,
                    "chunk " + chunk);
            Result r = result.get(10, TimeUnit.SECONDS);
            assertTrue(r.ok() && !r.zeroCopy() && r.fileClosedAtEnd(), r.toString());
        }
    }

    @Test
    void aCleanMessageForTopGoesThroughTheLimiterAndTheStuffer() throws Exception {
        int port = listen();
        CompletableFuture<Result> result = serve(file(ascii("H: 1\r\n\r\n.one\r\ntwo\r\n")), true, OptionalLong.of(1), 4096);
        assertArrayEquals(ascii("+OK 19 octets\r\nH: 1\r\n\r\n..one\r\n.\r\n"), received(port));
        Result r = result.get(10, TimeUnit.SECONDS);
        assertTrue(r.ok() && !r.zeroCopy() && r.fileClosedAtEnd(), r.toString());
    }

    @Test
    void aCleanMessageOverTlsIsCopiedAsStoredNotSentAsAFileRegion() throws Exception {
        DevCertificate certificate = DevCertificate.create(dir, "localhost");
        int port = listen(new NetServerOptions().setSsl(true).setKeyCertOptions(
                new PemKeyCertOptions().setCertPath(certificate.cert().toString()).setKeyPath(certificate.key().toString())));
        byte[] content = concat(MARKED, ascii("x".repeat(1000)), MARKED).clone();
        for (int k = 0; k < 4; k++) {
            content = concat(content, content);
        }
        byte[] stored = content;
        CompletableFuture<Result> result = serve(file(stored), true, OptionalLong.empty(), 64); // many hops
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String type) {}

            public void checkServerTrusted(X509Certificate[] chain, String type) {}

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        byte[] received;
        try (SSLSocket client = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            received = readAll(client.getInputStream());
        }
        // the store vouches for the wire form: no stuffing, but no file region either (TLS encrypts)
        assertArrayEquals(concat(ascii("+OK " + stored.length + " octets\r\n"), stored, ascii(".\r\n")), received);
        Result r = result.get(10, TimeUnit.SECONDS);
        assertTrue(r.ok() && !r.zeroCopy() && r.fileClosedAtEnd(), r.toString());
    }

    /** The client reads the status line, lets {@code change} alter the file, then reads to the end. */
    private byte[] changedWhileSent(int port, ChangeFile change) throws Exception {
        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(64 * 1024); // no autotuning: the server cannot be done before the change
            client.connect(new InetSocketAddress("127.0.0.1", port));
            InputStream in = client.getInputStream();
            ByteArrayOutputStream status = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                status.write(b);
            }
            assertTrue(status.toString(StandardCharsets.US_ASCII).startsWith("+OK "), status.toString());
            change.run();
            return readAll(in);
        }
    }

    private interface ChangeFile {
        void run() throws IOException;
    }

    private void assertCut(byte[] received, long atMost, Result r, String why) throws InterruptedException {
        assertFalse(endsWithTerminator(received), "no terminator after a cut body");
        assertTrue(received.length <= atMost, received.length + " of at most " + atMost);
        assertFalse(r.ok(), r.toString());
        assertTrue(r.failure().contains(why), r.failure());
        assertTrue(r.fileClosedAtEnd(), "the file is closed after a cut");
    }

    @Test
    void aCleanMessageThatGrowsWhileSentIsCutWithoutTerminator() throws Exception {
        int port = listen();
        int octets = 16 << 20;
        Path file = bigClean(octets);
        CompletableFuture<Result> result = serve(file, true, OptionalLong.empty(), 65536);
        byte[] received = changedWhileSent(port, () -> {
            try (FileChannel append = FileChannel.open(file, StandardOpenOption.APPEND)) {
                append.write(ByteBuffer.wrap(ascii("appended\r\n")));
            }
        });
        Result r = result.get(10, TimeUnit.SECONDS);
        assertTrue(r.zeroCopy(), r.toString());
        assertCut(received, octets, r, "grew");
        assertEquals(octets, received.length, "the region sent what was announced, and no more");
    }

    @Test
    void aCleanMessageThatShrinksWhileSentIsCutWithoutTerminator() throws Exception {
        int port = listen();
        int octets = 16 << 20;
        Path file = bigClean(octets);
        CompletableFuture<Result> result = serve(file, true, OptionalLong.empty(), 65536);
        byte[] received = changedWhileSent(port, () -> {
            try (FileChannel truncate = FileChannel.open(file, StandardOpenOption.WRITE)) {
                truncate.truncate(1 << 20);
            }
        });
        Result r = result.get(10, TimeUnit.SECONDS);
        assertTrue(r.zeroCopy(), r.toString());
        assertCut(received, octets - 1, r, "shrank");
    }

    @Test
    void aStuffedMessageThatGrowsWhileSentIsCutWithoutTerminator() throws Exception {
        int port = listen();
        int octets = 16 << 20;
        Path file = bigClean(octets);
        CompletableFuture<Result> result = serve(file, false, OptionalLong.empty(), 65536);
        byte[] received = changedWhileSent(port, () -> {
            try (FileChannel append = FileChannel.open(file, StandardOpenOption.APPEND)) {
                append.write(ByteBuffer.wrap(ascii("appended\r\n")));
            }
        });
        Result r = result.get(10, TimeUnit.SECONDS);
        assertFalse(r.zeroCopy(), r.toString());
        assertCut(received, octets, r, "grew");
    }

    @Test
    void aStuffedMessageThatShrinksWhileSentIsCutWithoutTerminator() throws Exception {
        int port = listen();
        int octets = 16 << 20;
        Path file = bigClean(octets);
        CompletableFuture<Result> result = serve(file, false, OptionalLong.empty(), 65536);
        byte[] received = changedWhileSent(port, () -> {
            try (FileChannel truncate = FileChannel.open(file, StandardOpenOption.WRITE)) {
                truncate.truncate(1 << 20);
            }
        });
        Result r = result.get(10, TimeUnit.SECONDS);
        assertCut(received, octets - 1, r, "shrank");
    }

    @Test
    void aClientThatHangsUpMidTransferLeavesNoFileOpen() throws Exception {
        int port = listen();
        for (boolean clean : new boolean[] {true, false}) {
            CompletableFuture<Result> result = serve(bigClean(16 << 20), clean, OptionalLong.empty(), 65536);
            try (Socket client = new Socket()) {
                client.setReceiveBufferSize(64 * 1024);
                client.connect(new InetSocketAddress("127.0.0.1", port));
                client.getInputStream().read(new byte[1000]);
            } // closed with most of the body unsent
            Result r = result.get(10, TimeUnit.SECONDS);
            assertTrue(r.fileClosedAtEnd(), "clean " + clean + ": " + r);
            assertEquals(clean, r.zeroCopy());
        }
    }
}

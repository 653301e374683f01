package dev.pop3d.hdrp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.pop3d.testing.DevCertificate;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.TestFiles;
import dev.pop3d.testing.Tools;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * HDRP against the packaged server and local targets started by the test (the JDK's HTTP server,
 * raw sockets for exact bytes, slow and endless headers, Vert.x for https): tickets, cache,
 * limits, safety and the command-line client. Only IP literals: no name is ever resolved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HdrpIT {
    private Path dir;
    private ServerProcess server;
    private int control;
    private HttpServer http;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("pop3d-hdrp");
        http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        http.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/moved")) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1/next");
                exchange.sendResponseHeaders(301, -1);
            } else {
                exchange.getResponseHeaders().add("X-Path", path);
                exchange.sendResponseHeaders(200, 2);
                exchange.getResponseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
            }
            exchange.close();
        });
        http.setExecutor(Executors.newFixedThreadPool(8));
        http.start();
        control = ServerProcess.freePort();
        server = new ServerProcess(dir.resolve("server")).user("alice", "pw")
                .property("hdrp.port", "" + control).property("hdrp.host", "127.0.0.1")
                .property("hdrp.allow-private-targets", "true").property("hdrp.ticket-ttl", "2s")
                .property("hdrp.fetch.read-timeout", "1s").property("hdrp.fetch.max-header-bytes", "4096")
                .start();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        http.stop(0);
        TestFiles.deleteTree(dir);
    }

    /** One control connection of the test: a line out, a line back; datagrams from {@code from}. */
    final class Probe implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final DatagramSocket udp;

        Probe(String from) throws IOException {
            socket = new Socket();
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", control), 5000);
            } catch (IOException e) {
                throw new IOException("HDRP not reachable on " + control + ": " + server.logTail(), e);
            }
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0));
            udp.setSoTimeout(2000);
        }

        String ask(String site) throws IOException {
            socket.getOutputStream().write((site + "\n").getBytes(StandardCharsets.UTF_8));
            return in.readLine();
        }

        /** The header for a PORT answer, or null when nothing comes within the timeout. */
        byte[] redeem(String portLine) throws IOException {
            String[] words = portLine.split(" ");
            return redeem(Integer.parseInt(words[1]), words[2], udp);
        }

        byte[] redeem(int port, String ticket, DatagramSocket from) throws IOException {
            byte[] t = ticket.getBytes(StandardCharsets.US_ASCII);
            from.send(new DatagramPacket(t, t.length, InetAddress.getByName("127.0.0.1"), port));
            byte[] buffer = new byte[65_535];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            try {
                from.receive(answer);
                return java.util.Arrays.copyOf(buffer, answer.getLength());
            } catch (SocketTimeoutException e) {
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            udp.close();
            socket.close();
        }
    }

    private String local(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    @Test
    void aMissThenAHitContactsTheSiteOnce() throws Exception {
        int before = requests.get();
        try (Probe p = new Probe("127.0.0.1")) {
            byte[] first = p.redeem(p.ask(local("/once")));
            byte[] second = p.redeem(p.ask(local("/once")));
            assertArrayEquals(first, second);
            assertTrue(new String(first, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 OK\r\n"));
            assertTrue(new String(first, StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n"));
        }
        assertEquals(before + 1, requests.get(), "the second answer came from the cache");
    }

    @Test
    void aRedirectIsReportedNotFollowed() throws Exception {
        try (Probe p = new Probe("127.0.0.1")) {
            String header = new String(p.redeem(p.ask(local("/moved"))), StandardCharsets.ISO_8859_1);
            assertTrue(header.startsWith("HTTP/1.1 301 Moved Permanently\r\n"), header);
            assertTrue(header.contains("Location: http://127.0.0.1/next\r\n"), header);
        }
    }

    @Test
    void theHeaderBytesAreExactlyWhatTheSiteSent() throws Exception {
        byte[] sent = "HTTP/1.1 200 OK\r\nServer: exact\r\nX-Odd:  spaces kept \r\nSet-Cookie: a=b\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket site = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1")); Probe p = new Probe("127.0.0.1")) {
            Thread t = serveOnce(site, sent, "body that is not part of the header");
            byte[] got = p.redeem(p.ask("http://127.0.0.1:" + site.getLocalPort() + "/exact"));
            assertArrayEquals(sent, got);
            t.join(5000);
        }
    }

    @Test
    void fiftyConcurrentClientsEachGetTheirOwnHeader() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String path = "/client-" + i;
                answers.add(pool.submit(() -> {
                    try (Probe p = new Probe("127.0.0.1")) {
                        return new String(p.redeem(p.ask(local(path))), StandardCharsets.ISO_8859_1);
                    }
                }));
            }
            for (int i = 0; i < 50; i++) {
                String header = answers.get(i).get(30, TimeUnit.SECONDS);
                assertTrue(header.contains("X-path: /client-" + i + "\r\n") || header.contains("X-Path: /client-" + i + "\r\n"),
                        "client " + i + " got " + header);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wrongReusedForeignAndExpiredTicketsGetNothing() throws Exception {
        try (Probe p = new Probe("127.0.0.1"); DatagramSocket foreign = new DatagramSocket(
                new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
            foreign.setSoTimeout(1000);
            String line = p.ask(local("/tickets"));
            String[] words = line.split(" ");
            int udpPort = Integer.parseInt(words[1]);
            assertEquals(null, p.redeem(udpPort, "0123456789abcdef01234567", p.udp), "a wrong ticket");
            assertEquals(null, p.redeem(udpPort, words[2], foreign), "the right ticket from another address");
            String again = p.ask(local("/tickets"));
            assertTrue(p.redeem(again) != null);
            assertEquals(null, p.redeem(again), "a ticket is single-use");
            String late = p.ask(local("/tickets"));
            Thread.sleep(2500); // hdrp.ticket-ttl=2s
            assertEquals(null, p.redeem(late), "an expired ticket");
        }
    }

    @Test
    void slowAndEndlessHeadersAreBounded() throws Exception {
        try (ServerSocket slow = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1")); Probe p = new Probe("127.0.0.1")) {
            long started = System.nanoTime();
            assertTrue(p.ask("http://127.0.0.1:" + slow.getLocalPort() + "/").startsWith("ERR timeout"), "read-timeout 1s");
            assertTrue(System.nanoTime() - started < 5_000_000_000L);
        }
        try (ServerSocket endless = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1")); Probe p = new Probe("127.0.0.1")) {
            Thread t = new Thread(() -> {
                try (Socket s = endless.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100_000; i++) { // bounded: 1.6 MB at most
                        out.write("X-Filler: 0123\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (IOException closedByTheServer) {
                    // expected: the server stops reading at the cap
                }
            });
            t.start();
            byte[] header = p.redeem(p.ask("http://127.0.0.1:" + endless.getLocalPort() + "/"));
            String text = new String(header, StandardCharsets.ISO_8859_1);
            assertTrue(header.length <= 4096, "hdrp.fetch.max-header-bytes=4096: " + header.length);
            assertTrue(text.endsWith("\r\nX-HDRP-Truncated: true\r\n\r\n"), text.substring(Math.max(0, text.length() - 80)));
            t.join(5000);
        }
    }

    @Test
    void anIpv6LiteralTarget() throws Exception {
        HttpServer six;
        try {
            six = HttpServer.create(new InetSocketAddress(InetAddress.getByName("::1"), 0), 5);
        } catch (IOException noIpv6) {
            return; // no IPv6 on this machine: the IPv4 cases cover the rest
        }
        six.createContext("/", e -> {
            e.sendResponseHeaders(204, -1);
            e.close();
        });
        six.start();
        try (Probe p = new Probe("127.0.0.1")) {
            String header = new String(p.redeem(p.ask("http://[::1]:" + six.getAddress().getPort() + "/six")), StandardCharsets.ISO_8859_1);
            assertTrue(header.startsWith("HTTP/1.1 204"), header);
        } finally {
            six.stop(0);
        }
    }

    @Test
    void aSelfSignedHttpsTargetIsRefusedUnlessTrustAll() throws Exception {
        Tools.require("openssl");
        DevCertificate cert = DevCertificate.create(dir.resolve("pki"), "hdrp-site");
        Vertx vertx = Vertx.vertx();
        try {
            int port = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.cert().toString()).setKeyPath(cert.key().toString())))
                    .requestHandler(r -> r.response().putHeader("X-Tls", "yes").end())
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
            try (Probe p = new Probe("127.0.0.1")) {
                assertTrue(p.ask("https://127.0.0.1:" + port + "/").startsWith("ERR cannot connect"), "untrusted certificate");
            }
            try (ServerProcess trusting = new ServerProcess(dir.resolve("trusting")).user("alice", "pw")
                    .property("hdrp.host", "127.0.0.1").property("hdrp.allow-private-targets", "true")
                    .property("hdrp.tls.trust-all", "true").start()) {
                int trustingPort = Integer.parseInt(trusting.propertyValue("hdrp.port"));
                try (Socket s = new Socket("127.0.0.1", trustingPort)) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(("https://127.0.0.1:" + port + "/\n").getBytes(StandardCharsets.US_ASCII));
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream())).readLine();
                    assertTrue(line.startsWith("PORT "), line);
                }
            }
        } finally {
            vertx.close();
        }
    }

    @Test
    void privateTargetsAreRefusedByDefault() throws Exception {
        try (ServerProcess strict = new ServerProcess(dir.resolve("strict")).user("alice", "pw")
                .property("hdrp.host", "127.0.0.1").start()) {
            int port = Integer.parseInt(strict.propertyValue("hdrp.port"));
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream()));
                for (String target : List.of(local("/"), "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data",
                        "http://[::1]:80/", "http://192.168.0.1/")) {
                    s.getOutputStream().write((target + "\n").getBytes(StandardCharsets.US_ASCII));
                    assertTrue(in.readLine().startsWith("ERR target refused"), target);
                }
            }
        }
    }

    @Test
    void theCacheSurvivesARestartAndTheClientWritesSiteFiles() throws Exception {
        Path out = Files.createDirectories(dir.resolve("client-out"));
        Tools.Result run = Tools.run(List.of("java", "-jar", ServerProcess.jar().toString(), "hdrp", "--port", "" + control,
                "--dir", out.toString(), local("/persist"), "http://127.0.0.1:1/refused"), null, 60);
        assertEquals(1, run.exitCode(), "one site failed: " + run.stderr());
        assertTrue(run.out().startsWith("HTTP/1.1 200 OK"), run.out());
        Path file = out.resolve("127.0.0.1_" + http.getAddress().getPort() + "_persist.txt");
        assertTrue(Files.exists(file), "files: " + Files.list(out).toList());
        int before = requests.get();
        server.stop();
        server.start();
        try (Probe p = new Probe("127.0.0.1")) {
            assertArrayEquals(Files.readAllBytes(file), p.redeem(p.ask(local("/persist"))));
        }
        assertEquals(before, requests.get(), "served from the cache saved at terminate and shutdown");
        Tools.Result none = Tools.run(List.of("java", "-jar", ServerProcess.jar().toString(), "hdrp", "--port",
                "" + ServerProcess.freePort(), "--timeout-ms", "2000", "example.org"), null, 60);
        assertEquals(2, none.exitCode(), "no server: no answer");
        assertEquals(64, Tools.run(List.of("java", "-jar", ServerProcess.jar().toString(), "hdrp"), null, 60).exitCode());
    }

    private static Thread serveOnce(ServerSocket site, byte[] header, String body) {
        Thread t = new Thread(() -> {
            try (Socket s = site.accept()) {
                s.getInputStream().read(new byte[4096]);
                s.getOutputStream().write(header);
                s.getOutputStream().write(body.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException ignored) {
                // the server closed after the header
            }
        });
        t.start();
        return t;
    }
}

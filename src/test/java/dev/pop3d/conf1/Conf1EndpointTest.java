package dev.pop3d.conf1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.pop3.server.Pop3Listener;
import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.TestFiles;
import dev.pop3d.testing.Udp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CONF1 over real UDP (IPv4 and IPv6) against the running server, with real POP3 sessions. */
@QuarkusTest
@TestProfile(Conf1EndpointTest.Profile.class)
class Conf1EndpointTest {
    static final Path DATA = Path.of("target", "test-data-conf1").toAbsolutePath();
    static final String TOKEN = "adminadmin";

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestFiles.deleteTree(DATA);
            return Map.of("pop3.data-dir", DATA.toString(), "pop3.users", "alice:alice-pw,bob:bob-pw,carol:carol-pw",
                    "pop3.auth.failure-delay", "0s", "conf1.port", "0", "pop3.transform.timeout", "1s",
                    "conf1.token", TOKEN);
        }
    }

    @Inject
    Conf1Endpoint endpoint;

    @Inject
    Pop3Listener pop3;

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @TestHTTPResource("/q/health/live")
    URL live;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    private String conf1(String request) throws IOException {
        return Udp.request(TOKEN + " " + request, "127.0.0.1", endpoint.ports().get("127.0.0.1"));
    }

    private long value(String request) throws IOException {
        String answer = conf1(request);
        assertTrue(answer.startsWith("+SUC "), answer);
        return Long.parseLong(answer.substring(answer.lastIndexOf(": ") + 2));
    }

    private Path deliver(Path root, String user, String text) throws IOException {
        Path maildir = root.resolve(user).resolve("Maildir");
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(maildir.resolve(sub));
        }
        Path file = maildir.resolve("new").resolve(System.nanoTime() + ".M1P1Q1.test");
        Files.writeString(file, text);
        return file;
    }

    private RawClient login(String user) throws IOException {
        RawClient client = new RawClient("127.0.0.1", pop3.port());
        client.login(user, user + "-pw");
        return client;
    }

    @AfterEach
    void restore() throws IOException {
        conf1("SET TRF false");
        conf1("SET MDF " + DATA.resolve("mail"));
        conf1("SET LGF logs");
    }

    @Test
    void theSeedsExampleSessionWithOurValues() throws IOException {
        assertEquals("-ERR Invalid authorization token", Udp.request("invalidtok GET INF", "127.0.0.1",
                endpoint.ports().get("127.0.0.1"), "127.0.0.4"));
        assertEquals("+SUC Valid object codes: INF, HTU, CCU, BTF, BUF, HCH, HCM, HCE | LGF, MDF, ATT, TRF, TFN, MXC, IDL, HCC",
                conf1("GET INF"));
        assertTrue(conf1("GET HTU").matches("\\+SUC Historic total users: \\d+"));
        assertEquals("+SUC Concurrent users: 0", conf1("GET CCU"));
        assertEquals("+SUC Maildir folder: " + DATA.resolve("mail"), conf1("GET MDF"));
        Files.createDirectories(DATA.resolve("Maildir2"));
        assertEquals("+SUC New maildir folder: Maildir2", conf1("SET MDF Maildir2"));
        assertEquals("+SUC Transformation active: false", conf1("GET TRF"));
        assertEquals("+SUC New transformation command: cat", conf1("SET TFN cat"));
        assertEquals("+SUC Transformation set: true", conf1("SET TRF true"));
        assertEquals("+SUC Buffer size: 65536", conf1("GET BUF"));
    }

    @Test
    void ipv6Too() throws IOException {
        assertEquals("+SUC Transformation active: false", Udp.request(TOKEN + " GET TRF", "::1", endpoint.ports().get("0:0:0:0:0:0:0:1")));
    }

    @Test
    void ccuCountsLoggedInSessionsNow() throws Exception {
        try (RawClient a = login("alice"); RawClient b = login("bob")) {
            assertEquals(2, value("GET CCU"));
            a.command("QUIT");
            b.command("QUIT");
        }
        long ccu = 2;
        for (int i = 0; i < 100 && ccu != 0; i++) {
            Thread.sleep(20); // the server sees the close asynchronously
            ccu = value("GET CCU");
        }
        assertEquals(0, ccu);
    }

    @Test
    void htuCountsSuccessfulLoginsOnly() throws IOException {
        long before = value("GET HTU");
        for (int i = 0; i < 3; i++) {
            try (RawClient c = login("carol")) {
                c.command("QUIT");
            }
        }
        try (RawClient c = new RawClient("127.0.0.1", pop3.port())) {
            c.line();
            c.command("USER carol");
            assertEquals("-ERR [AUTH] Authentication failed.", c.command("PASS wrong"));
        }
        assertEquals(before + 3, value("GET HTU"));
    }

    @Test
    void btfGrowsByExactlyTheOctetsTheClientReceived() throws Exception {
        deliver(DATA.resolve("mail"), "bob", "Subject: x\n\n.dot line\nbody\n");
        long before = value("GET BTF");
        long received = 0;
        try (Socket socket = new Socket("127.0.0.1", pop3.port())) {
            socket.getOutputStream().write("USER bob\r\nPASS bob-pw\r\nLIST\r\nRETR 1\r\nTOP 1 0\r\nQUIT\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                received += n;
            }
        }
        assertTrue(received > 100);
        assertEquals(before + received, value("GET BTF"));
    }

    @Test
    void theTokenIsNeverShownAndSetAttReplacesIt() throws IOException {
        assertEquals("+SUC Authorization token: **********", conf1("GET ATT"));
        assertEquals("+SUC New authorization token set", conf1("SET ATT NewTokenAb"));
        int port = endpoint.ports().get("127.0.0.1");
        try {
            // the old token is refused (as invalid, or throttled if other tests sent wrong ones: loopback is one source)
            assertTrue(Udp.request(TOKEN + " GET INF", "127.0.0.1", port, "127.0.0.5").startsWith("-ERR"));
            assertTrue(Udp.request("newtokenab GET INF", "127.0.0.1", port).startsWith("+SUC"));
        } finally {
            assertEquals("+SUC New authorization token set", Udp.request("NewTokenAb SET ATT " + TOKEN, "127.0.0.1", port));
        }
    }

    @Test
    void transformationChangesRetrAndTopAndIsStuffedAfterwards() throws IOException {
        deliver(DATA.resolve("mail"), "alice", "Subject: Afternoon tea\n\nAll are welcome\nsecond line\n");
        assertEquals("+SUC New transformation command: sed s/[Aa]/4/g|sed s/[Ee]/3/g",
                conf1("SET TFN sed s/[Aa]/4/g|sed s/[Ee]/3/g"));
        assertEquals("+SUC Transformation set: true", conf1("SET TRF true"));
        try (RawClient c = login("alice")) {
            String expected = "Subj3ct: 4ft3rnoon t34\r\n\r\n4ll 4r3 w3lcom3\r\ns3cond lin3\r\n";
            assertEquals("+OK " + expected.length() + " octets", c.command("RETR 1"));
            assertEquals(expected, new String(c.body(), StandardCharsets.US_ASCII));
            assertEquals("+OK", c.command("TOP 1 1"));
            assertEquals("Subj3ct: 4ft3rnoon t34\r\n\r\n4ll 4r3 w3lcom3\r\n", new String(c.body(), StandardCharsets.US_ASCII));
            // a filter whose output lines start with '.': transformed first, stuffed after
            conf1("SET TFN sed s/^/./");
            c.send("RETR 1");
            c.line();
            assertEquals("..Subject: Afternoon tea", c.line());
            assertEquals("..", c.line(), "the blank line became '.', stuffed to '..' on the wire");
        }
    }

    @Test
    void failingAndHangingFiltersAnswerSysTempAndTheSessionGoesOn() throws IOException {
        deliver(DATA.resolve("mail"), "carol", "Subject: x\n\nbody\n");
        try (RawClient c = login("carol")) {
            for (String filter : new String[] {"false", "no-such-filter-program", "sleep 5", "cat; echo bad >&2"}) {
                conf1("SET TFN " + filter);
                conf1("SET TRF true");
                assertEquals("-ERR [SYS/TEMP] Message transformation failed, try again later", c.command("RETR 1"), filter);
                assertEquals("+OK", c.command("NOOP"));
            }
            conf1("SET TRF false");
            assertTrue(c.command("RETR 1").startsWith("+OK"));
            assertEquals("Subject: x\r\n\r\nbody\r\n", new String(c.body(), StandardCharsets.US_ASCII), "stored mail intact");
        }
    }

    @Test
    void setMdfMovesNewSessionsWhileOpenOnesKeepTheirRoot() throws IOException {
        deliver(DATA.resolve("mail"), "bob", "Subject: old root\n\nold\n");
        Path second = Files.createDirectories(DATA.resolve("second-root"));
        deliver(second, "alice", "Subject: new root\n\nnew\n");
        try (RawClient open = login("bob")) {
            assertEquals("+SUC New maildir folder: second-root", conf1("SET MDF second-root"));
            try (RawClient fresh = login("alice")) {
                assertEquals("+OK 1 messages:", fresh.command("LIST"));
                fresh.lines();
                fresh.command("RETR 1");
                assertEquals("Subject: new root\r\n\r\nnew\r\n", new String(fresh.body(), StandardCharsets.US_ASCII));
            }
            open.command("RETR 1");
            assertTrue(new String(open.body(), StandardCharsets.US_ASCII).startsWith("Subject:"), "open session reads on");
            assertTrue(Files.exists(DATA.resolve("mail/bob/Maildir/pop3d.lock"), java.nio.file.LinkOption.NOFOLLOW_LINKS), "its lock stays in the old root");
        }
    }

    @Test
    void setLgfMovesTheAccessLog() throws Exception {
        assertEquals("+SUC New log folder: moved-logs", conf1("SET LGF moved-logs"));
        try (RawClient c = login("bob")) {
            c.command("QUIT");
        }
        Path log = DATA.resolve("moved-logs").resolve("access.log");
        for (int i = 0; i < 100 && !(Files.exists(log) && Files.readString(log).contains("event=disconnect")); i++) {
            Thread.sleep(20); // written by the access log's own thread
        }
        assertTrue(Files.readString(log).contains("event=auth-ok"), "access log in the new folder");
        assertTrue(Files.exists(DATA.resolve("logs").resolve("access.log")), "old files stay");
    }

    @Test
    void wrongTokensAreThrottledPerSourceNetworkButTheRightTokenIsAlwaysAnswered() throws IOException {
        int port = endpoint.ports().get("127.0.0.1");
        for (int i = 0; i < 6; i++) {
            assertTrue(Udp.request("wrongwrong GET INF", "127.0.0.1", port, "127.0.0.3").startsWith("-ERR"));
        }
        assertEquals("-ERR Too many failed authorizations, retry later",
                Udp.request("wrongwrong GET INF", "127.0.0.1", port, "127.0.0.9"), "all of 127.0.0.0/8 is one source");
        assertTrue(Udp.request(TOKEN + " GET INF", "127.0.0.1", port, "127.0.0.3").startsWith("+SUC"),
                "forged failures never lock the token's holder out");
    }

    @Test
    void aThousandGarbageDatagramsDoNotStopTheEndpoint() throws IOException {
        int port = endpoint.ports().get("127.0.0.1");
        Random random = new Random(7);
        try (DatagramSocket garbage = new DatagramSocket(0, InetAddress.getByName("127.0.0.7"))) {
            for (int i = 0; i < 1000; i++) {
                byte[] bytes = new byte[1 + random.nextInt(300)];
                random.nextBytes(bytes);
                garbage.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName("127.0.0.1"), port));
            }
        }
        // UDP may drop a datagram while the kernel buffer is full of garbage; an operator retries
        String answer = "";
        for (int attempt = 0; attempt < 3 && !answer.startsWith("+SUC"); attempt++) {
            try {
                answer = conf1("GET TRF");
            } catch (java.net.SocketTimeoutException dropped) {
                answer = "(no answer)";
            }
        }
        assertEquals("+SUC Transformation active: false", answer);
    }

    @Test
    void metricsAndCountersComeFromTheSameSource() throws Exception {
        try (RawClient c = login("alice")) {
            c.command("QUIT");
        }
        long htu = value("GET HTU");
        String text = http(metrics).body();
        assertTrue(text.contains("pop3d_logins_historic_total " + htu + ".0"), text);
        assertTrue(text.contains("pop3d_auth_total{result=\"ok\"}"), text);
        assertTrue(text.contains("pop3d_commands_total{command=\"QUIT\",result=\"ok\"}"), text);
        assertTrue(text.contains("pop3d_conf1_requests_total{result=\"success\"}"), text);
        assertTrue(text.contains("pop3d_bytes_sent_bytes_total " + value("GET BTF") + ".0"), text);
    }

    @Test
    void readinessFollowsTheMaildirRootAndLivenessTheLoops() throws Exception {
        assertEquals(200, http(ready).statusCode());
        assertEquals(200, http(live).statusCode());
        Path doomed = Files.createDirectories(DATA.resolve("doomed-root"));
        assertEquals("+SUC New maildir folder: doomed-root", conf1("SET MDF doomed-root"));
        Files.delete(doomed);
        HttpResponse<String> down = http(ready);
        assertEquals(503, down.statusCode(), down.body());
        assertTrue(down.body().contains("\"maildir-root\": false"), down.body());
    }

    private static HttpResponse<String> http(URL url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.toURI()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

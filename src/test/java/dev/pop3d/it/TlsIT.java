package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.DevCertificate;
import dev.pop3d.testing.Mpop;
import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.TestFiles;
import dev.pop3d.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RFC 2595 STLS and RFC 8314 implicit TLS with real clients (curl, openssl s_client, Python's poplib,
 * fetchmail, mpop) against the packaged server with a throwaway certificate: byte-exact RETR, CAPA
 * before and after, plaintext refused before TLS (the default once a certificate is configured), no
 * command injection across the upgrade, TLS 1.2+ only, and a renewed certificate without a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {
    private static final byte[] MESSAGE = "Subject: over TLS\r\n\r\n.dot line\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    private Path dir;
    private DevCertificate certificate;
    private ServerProcess server;
    private int tlsPort;

    @BeforeAll
    void start() throws Exception {
        Tools.require("openssl");
        dir = Files.createTempDirectory("pop3d-tls");
        certificate = DevCertificate.create(dir.resolve("pki"), "pop3d-first");
        Path live = Files.createDirectories(dir.resolve("live"));
        Files.copy(certificate.cert(), live.resolve("cert.pem"));
        Files.copy(certificate.key(), live.resolve("key.pem"));
        tlsPort = ServerProcess.freePort();
        server = new ServerProcess(dir.resolve("server")).user("alice", "alice-pw")
                .property("pop3.tls.cert-file", live.resolve("cert.pem").toString())
                .property("pop3.tls.key-file", live.resolve("key.pem").toString())
                .property("pop3.tls.port", String.valueOf(tlsPort))
                .property("pop3.tls.reload-interval", "200ms")
                .start();
        server.deliver("alice", MESSAGE);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        TestFiles.deleteTree(dir);
    }

    @Test
    void capaOffersStlsAndNoPlaintextLoginBeforeTls() throws Exception {
        try (RawClient c = server.client()) {
            c.line();
            c.send("CAPA");
            List<String> capa = c.lines();
            assertTrue(capa.contains("STLS"), capa.toString());
            assertFalse(capa.contains("USER"), "USER is not offered before TLS: " + capa);
            assertEquals("-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
                    c.command("USER alice"));
        }
    }

    @Test
    void curlWithStlsRetrievesTheMessageByteForByte() throws Exception {
        Tools.require("curl");
        Tools.Result got = Tools.run(List.of("curl", "-sS", "--max-time", "20", "--ssl-reqd", "--cacert",
                certificate.cert().toString(), "pop3://alice:alice-pw@127.0.0.1:" + server.port() + "/1"), null, 30);
        assertEquals(0, got.exitCode(), got.stderr());
        assertArrayEquals(MESSAGE, got.stdout());
    }

    @Test
    void curlOverImplicitTls() throws Exception {
        Tools.require("curl");
        Tools.Result got = Tools.run(List.of("curl", "-sS", "--max-time", "20", "--cacert", certificate.cert().toString(),
                "pop3s://alice:alice-pw@127.0.0.1:" + tlsPort + "/1"), null, 30);
        assertEquals(0, got.exitCode(), got.stderr());
        assertArrayEquals(MESSAGE, got.stdout());
    }

    @Test
    void opensslStarttlsDialogueAndCapaAfterTls() throws Exception {
        String dialogue = "CAPA\r\nUSER alice\r\nPASS alice-pw\r\nSTAT\r\nQUIT\r\n";
        Tools.Result out = Tools.run(new ProcessBuilder("openssl", "s_client", "-quiet", "-starttls", "pop3",
                "-connect", "127.0.0.1:" + server.port(), "-CAfile", certificate.cert().toString(), "-verify_return_error"),
                dialogue.getBytes(StandardCharsets.US_ASCII), 30);
        String text = out.out();
        assertTrue(text.contains("+OK Logged in."), text + out.stderr());
        assertTrue(text.contains("+OK 1 " + MESSAGE.length), text);
        assertFalse(text.contains("\r\nSTLS\r\n"), "STLS is never listed once TLS is up: " + text);
        assertTrue(text.contains("\r\nUSER\r\n"), "USER is listed over TLS: " + text);
    }

    @Test
    void pythonPoplibStls() throws Exception {
        Tools.require("python3");
        Path script = dir.resolve("stls.py");
        Files.writeString(script, String.join("\n",
                "import poplib, ssl, sys",
                "ctx = ssl.create_default_context(cafile=sys.argv[2])",
                "p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)",
                "p.stls(context=ctx)",
                "p.user('alice'); p.pass_('alice-pw')",
                "print(p.stat()[0], b'\\r\\n'.join(p.retr(1)[1]).hex())",
                "p.quit()", ""));
        Tools.Result run = Tools.run(List.of("python3", script.toString(), String.valueOf(server.port()),
                certificate.cert().toString()), null, 30);
        assertEquals(0, run.exitCode(), run.stderr());
        byte[] withoutLastCrlf = java.util.Arrays.copyOf(MESSAGE, MESSAGE.length - 2);
        assertEquals("1 " + java.util.HexFormat.of().formatHex(withoutLastCrlf), run.out().strip());
    }

    @Test
    void fetchmailOverStls() throws Exception {
        Tools.require("fetchmail");
        Path home = Files.createDirectories(dir.resolve("fetchmail"));
        Path out = Files.createDirectories(dir.resolve("fetchmail-out"));
        Path mda = home.resolve("mda.sh");
        Files.writeString(mda, "#!/bin/sh\ncat > '" + out + "'/$$.eml\n");
        Files.setPosixFilePermissions(mda, PosixFilePermissions.fromString("rwx------"));
        Path rc = home.resolve("fetchmailrc");
        Files.writeString(rc, "set no syslog\nset invisible\n"
                + "poll 127.0.0.1 service " + server.port() + " protocol POP3\n"
                + "  user \"alice\" there with password \"alice-pw\" is \"root\" here\n"
                + "  keep sslproto 'tls1.2+' sslcertck sslcommonname 'localhost' sslcertfile '" + certificate.cert()
                + "' mda \"" + mda + "\"\n");
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        ProcessBuilder fetch = new ProcessBuilder("fetchmail", "--fetchmailrc", rc.toString(), "--nodetach", "-v");
        fetch.environment().put("FETCHMAILHOME", home.toString());
        Tools.Result run = Tools.run(fetch, 60);
        assertEquals(0, run.exitCode(), run.out() + run.stderr());
        assertTrue((run.out() + run.stderr()).contains("STLS"), "fetchmail upgraded with STLS");
        try (var files = Files.list(out)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void mpopWithStartTls() throws Exception {
        Tools.require("mpop");
        Mpop mpop = new Mpop(Files.createDirectories(dir.resolve("mpop")));
        Tools.Result run = mpop.fetch(server.port(), "alice", "alice-pw", "tls on", "tls_starttls on",
                "tls_trust_file " + certificate.cert());
        assertEquals(0, run.exitCode(), run.out() + run.stderr());
        List<Path> got = mpop.delivered();
        assertEquals(1, got.size());
        assertEquals(new String(MESSAGE, StandardCharsets.US_ASCII).replace("\r\n", "\n"),
                Files.readString(got.get(0), StandardCharsets.US_ASCII));
    }

    @Test
    void plaintextPipelinedBehindStlsIsDiscarded() throws Exception {
        // RFC 2595 §4: a man in the middle appends "CAPA" after STLS; it must not run after the handshake
        String dialogue = "CAPA\r\nQUIT\r\n";
        try (RawClient c = server.client()) {
            c.line();
            c.raw("STLS\r\nUSER injected\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+OK Begin TLS negotiation now.", c.line());
        }
        // and the same through openssl, which sends nothing extra: the session after TLS is clean
        Tools.Result out = Tools.run(new ProcessBuilder("openssl", "s_client", "-quiet", "-starttls", "pop3",
                "-connect", "127.0.0.1:" + server.port(), "-CAfile", certificate.cert().toString()),
                dialogue.getBytes(StandardCharsets.US_ASCII), 30);
        assertFalse(out.out().contains("injected"), out.out());
    }

    @Test
    void tlsBelow12IsRefused() throws Exception {
        Tools.Result old = Tools.run(new ProcessBuilder("openssl", "s_client", "-tls1_1", "-connect",
                "127.0.0.1:" + tlsPort), "QUIT\r\n".getBytes(StandardCharsets.US_ASCII), 30);
        assertFalse(old.out().contains("+OK"), "no POP3 over TLS 1.1: " + old.out());
        Tools.Result modern = Tools.run(new ProcessBuilder("openssl", "s_client", "-tls1_2", "-quiet", "-connect",
                "127.0.0.1:" + tlsPort, "-CAfile", certificate.cert().toString()),
                "QUIT\r\n".getBytes(StandardCharsets.US_ASCII), 30);
        assertTrue(modern.out().startsWith("+OK"), modern.out() + modern.stderr());
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        String before = subject();
        assertTrue(before.contains("pop3d-first"), before);
        DevCertificate renewed = DevCertificate.create(dir.resolve("pki2"), "pop3d-renewed");
        Path live = dir.resolve("live");
        Files.copy(renewed.key(), live.resolve("key.pem.new"));
        Files.copy(renewed.cert(), live.resolve("cert.pem.new"));
        Files.move(live.resolve("key.pem.new"), live.resolve("key.pem"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(live.resolve("cert.pem.new"), live.resolve("cert.pem"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        long deadline = System.nanoTime() + 10_000_000_000L;
        String after = subject();
        while (!after.contains("pop3d-renewed") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            after = subject();
        }
        assertNotEquals(before, after);
        assertTrue(after.contains("pop3d-renewed"), after + "\n" + server.logTail());
        // put the first certificate back for the other tests
        Files.copy(certificate.key(), live.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(certificate.cert(), live.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        deadline = System.nanoTime() + 10_000_000_000L;
        while (!subject().contains("pop3d-first") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    private String subject() throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + tlsPort));
        Tools.Result out = Tools.run(new ProcessBuilder(command), "QUIT\r\n".getBytes(StandardCharsets.US_ASCII), 30);
        return out.out().lines().filter(l -> l.startsWith("subject=")).findFirst().orElse(out.out());
    }
}

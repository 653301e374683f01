package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.Mpop;
import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.TestFiles;
import dev.pop3d.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RFC 5034 AUTH against the packaged server: PLAIN (RFC 4616) with and without initial response,
 * LOGIN, {@code *} cancel, bad base64, an over-long AUTH line, and SCRAM-SHA-256 (RFC 7677) for a
 * user stored in Dovecot's format, driven by mpop and curl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SaslIT {
    /** {@code doveadm pw -s SCRAM-SHA-256 -p secret} (Dovecot 2.3.19.1). */
    static final String DOVEADM_SCRAM = "{SCRAM-SHA-256}4096,bhbdvqTjYc0kZAbsCnEZAA==,"
            + "GFk4g/wgtWsP1Q4SH49S60tIalbrW6n33Lou6P4hwbI=,3EHWpHZpSloAoBHvVvSnFjaswUHj2mXODL52N7HA7FM=";
    private static final byte[] MESSAGE = "Subject: sasl\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    private Path dir;
    private ServerProcess server;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("pop3d-sasl");
        server = new ServerProcess(dir.resolve("server")).user("alice", "alice-pw").user("sam", DOVEADM_SCRAM)
                .property("pop3.auth.plaintext", "allowed").start();
        server.deliver("sam", MESSAGE);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        TestFiles.deleteTree(dir);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void capaListsTheMechanisms() throws Exception {
        try (RawClient c = server.client()) {
            c.line();
            c.send("CAPA");
            List<String> capa = c.lines();
            assertTrue(capa.contains("SASL PLAIN LOGIN SCRAM-SHA-256"), capa.toString());
        }
    }

    @Test
    void plainWithInitialResponse() throws Exception {
        try (RawClient c = server.client()) {
            c.line();
            assertEquals("+OK Logged in.", c.command("AUTH PLAIN " + b64("\0alice\0alice-pw")));
            assertTrue(c.command("STAT").startsWith("+OK"));
        }
    }

    @Test
    void plainWithAContinuationAndAWrongPassword() throws Exception {
        try (RawClient c = server.client()) {
            c.line();
            assertEquals("+ ", c.command("AUTH PLAIN"));
            assertEquals("-ERR [AUTH] Authentication failed.", c.command(b64("\0alice\0wrong")));
            assertEquals("+ ", c.command("AUTH PLAIN"));
            assertEquals("+OK Logged in.", c.command(b64("alice\0alice\0alice-pw")));
        }
    }

    @Test
    void login() throws Exception {
        try (RawClient c = server.client()) {
            c.line();
            assertEquals("+ " + b64("Username:"), c.command("AUTH LOGIN"));
            assertEquals("+ " + b64("Password:"), c.command(b64("alice")));
            assertEquals("+OK Logged in.", c.command(b64("alice-pw")));
        }
    }

    @Test
    void cancelAndBadBase64EndTheExchangeAndTheSessionGoesOn() throws Exception {
        try (RawClient c = server.client()) {
            c.line();
            c.command("AUTH LOGIN");
            assertEquals("-ERR Authentication cancelled.", c.command("*"));
            c.command("AUTH LOGIN");
            assertEquals("-ERR Invalid base64 data in continued response", c.command("%%%not base64%%%"));
            assertEquals("-ERR Unsupported authentication mechanism.", c.command("AUTH CRAM-MD5"));
            assertTrue(c.command("USER alice").startsWith("+OK"));
            assertEquals("+OK Logged in.", c.command("PASS alice-pw"));
        }
    }

    @Test
    void anAuthLineOver255OctetsIsRefusedWithoutLoggingIn() throws Exception {
        try (RawClient c = server.client()) {
            c.line();
            String response = b64("\0alice\0alice-pw" + "x".repeat(300));
            assertEquals("-ERR Command line too long", c.command("AUTH PLAIN " + response));
            assertEquals("-ERR Command not valid in this state", c.command("STAT"));
        }
    }

    @Test
    void scramSha256WithMpopAgainstADoveadmHash() throws Exception {
        Tools.require("mpop");
        Mpop mpop = new Mpop(Files.createDirectories(dir.resolve("mpop")));
        Tools.Result run = mpop.fetch(server.port(), "sam", "secret", "auth scram-sha-256", "tls off");
        assertEquals(0, run.exitCode(), run.out() + run.stderr() + server.logTail());
        List<Path> got = mpop.delivered();
        assertEquals(1, got.size());
        assertEquals(new String(MESSAGE, StandardCharsets.US_ASCII).replace("\r\n", "\n"), Files.readString(got.get(0)));
        Tools.Result wrong = mpop.fetch(server.port(), "sam", "wrong", "auth scram-sha-256", "tls off");
        assertTrue(wrong.exitCode() != 0, "a wrong SCRAM password fails: " + wrong.out() + wrong.stderr());
    }

    @Test
    void curlWithAuthPlain() throws Exception {
        Tools.require("curl");
        Tools.Result got = Tools.run(List.of("curl", "-sS", "--max-time", "20", "--login-options", "AUTH=PLAIN",
                "pop3://sam:secret@127.0.0.1:" + server.port() + "/1"), null, 30);
        assertEquals(0, got.exitCode(), got.stderr());
        assertArrayEquals(MESSAGE, got.stdout());
    }
}

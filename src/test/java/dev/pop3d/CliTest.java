package dev.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.auth.PasswordHasher;
import dev.pop3d.testing.Cli;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process (no Quarkus): help, usage errors and every exit code but the server's. */
class CliTest {
    @TempDir
    Path dir;

    private Cli cli() {
        return new Cli(dir).env("POP3_DATA_DIR", dir.resolve("data").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "serve", "check-config", "conf1", "deliver", "hash-password"})
    void helpGoesToStdoutAndExitsZero(String command) {
        for (String option : List.of("-h", "--help")) {
            Cli.Result result = command.isEmpty() ? cli().run(option) : cli().run(command, option);
            assertEquals(0, result.exitCode(), result.err());
            assertTrue(result.out().startsWith("Usage: pop3d" + (command.isEmpty() ? "" : " " + command)), result.out());
            assertEquals("", result.err());
        }
        if (!command.isEmpty()) {
            assertTrue(cli().run("help", command).out().startsWith("Usage: pop3d " + command));
        }
    }

    @Test
    void theTopLevelHelpListsEveryCommandAndTheExitCodes() {
        String help = cli().run("--help").out();
        for (String command : List.of("serve", "check-config", "conf1", "deliver", "hash-password")) {
            assertTrue(help.contains("  " + command + " "), command + " in\n" + help);
        }
        assertTrue(help.contains("78 configuration error"), help);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "--bogus", "serve --bogus", "check-config --bogus", "conf1 --bogus GET CCU",
            "deliver --bogus alice", "hash-password --bogus", "conf1 GET", "deliver", "hash-password --cost x",
            "hash-password --scheme rot13", "hash-password --cost 3", "conf1 PUT CCU"})
    void usageErrorsGoToStderrWithTheUsageAndExit64(String line) {
        Cli.Result result = cli().stdin("secret\n").run(line.split(" "));
        assertEquals(64, result.exitCode(), line + ": " + result.err());
        assertTrue(result.err().startsWith("pop3d"), result.err());
        assertTrue(result.err().contains("Usage: pop3d"), result.err());
        assertEquals("", result.out());
    }

    @Test
    void aCommandIsRequiredInProcess() {
        Cli.Result result = cli().run();
        assertEquals(64, result.exitCode());
        assertTrue(result.err().startsWith("pop3d: a command is required"), result.err());
    }

    @Test
    void hashPasswordPrintsAVerifiableSecretFromStdin() {
        Cli.Result result = cli().stdin("s3cr:et with space\n").run("hash-password", "--scheme", "bcrypt", "--cost", "4");
        assertEquals(0, result.exitCode(), result.err());
        String stored = result.out().strip();
        assertTrue(stored.startsWith("{BCRYPT}$2a$04$"), stored);
        assertTrue(PasswordHasher.verify(stored, "s3cr:et with space"));
        Cli.Result nothing = cli().run("hash-password");
        assertEquals(64, nothing.exitCode());
        assertTrue(nothing.err().startsWith("pop3d hash-password: no password on standard input"), nothing.err());
    }

    @Test
    void checkConfigPrintsWhatDiffersFromTheDefaultsWithSecretsMasked() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "alice:{PLAIN}alice-secret\n");
        Cli.Result result = cli().env("CONF1_TOKEN", "SecretTokn").env("POP3_USERS", "bob:bob-secret,carol:carol-secret")
                .property("pop3.users-file", users.toString()).property("pop3.port", "2110")
                .property("pop3.limits.max-bad-commands", "10").run("check-config");
        assertEquals(0, result.exitCode(), result.err());
        String out = result.out();
        assertTrue(out.contains("pop3.port = 2110"), out);
        assertTrue(out.contains("pop3.users-file = " + users), out);
        assertTrue(out.contains("conf1.token = **********"), out);
        assertTrue(out.contains("pop3.users = bob:**********,carol:**********"), out);
        assertTrue(out.contains("pop3.data-dir = " + dir.resolve("data")), out);
        assertFalse(out.contains("max-bad-commands"), "a value equal to its default is not a change");
        assertFalse(out.contains("pop3.limits.idle-timeout"), "defaults are not listed");
        for (String secret : List.of("SecretTokn", "bob-secret", "carol-secret", "alice-secret")) {
            assertFalse(out.contains(secret) || result.err().contains(secret), secret + " shown:\n" + out);
        }
        assertTrue(out.endsWith("# configuration OK\n"), out);
        assertFalse(Files.exists(dir.resolve("data")), "check-config creates nothing");
    }

    @Test
    void checkConfigRefusesWhatTheServerRefusesWithOneLineEachAndExit78() throws Exception {
        Cli.Result constraint = cli().property("pop3.limits.max-bad-commands", "0").run("check-config");
        assertEquals(78, constraint.exitCode());
        assertEquals("pop3d: configuration error: pop3.limits.max-bad-commands must be at least 1 (0 would close every "
                + "session at its first command)\n", constraint.err());
        Path placeholder = Files.writeString(dir.resolve("users"), "# put user:{SCHEME}secret lines here\n");
        Path emptyToken = Files.writeString(dir.resolve("token"), "");
        Cli.Result two = cli().env("POP3_USERS_FILE", placeholder.toString()).env("CONF1_TOKEN_FILE", emptyToken.toString())
                .run("check-config");
        assertEquals(78, two.exitCode());
        List<String> lines = two.err().lines().toList();
        assertEquals(2, lines.size(), two.err());
        assertTrue(lines.get(0).startsWith("pop3d: configuration error: " + placeholder + " holds no user"), lines.get(0));
        assertTrue(lines.get(1).startsWith("pop3d: configuration error: " + emptyToken + " (conf1.token-file) is empty"));
        Cli.Result emptyKey = cli().env("CONF1_TOKEN", "").run("check-config");
        assertEquals(78, emptyKey.exitCode());
        assertTrue(emptyKey.err().startsWith("pop3d: configuration error: conf1.token is empty"), emptyKey.err());
    }

    @Test
    void conf1ReadsTheServersTokenFileByDefault() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/conf1.token"), "FileTokenA\n");
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> received = answerOnce(server, "+SUC Concurrent users: 0");
            Cli.Result result = cli().env("CONF1_PORT", String.valueOf(server.getLocalPort())).run("conf1", "GET", "CCU");
            assertEquals("FileTokenA GET CCU\r\n", received.get(5, TimeUnit.SECONDS));
            assertEquals(0, result.exitCode(), result.err());
            assertEquals("+SUC Concurrent users: 0\n", result.out());

            Path other = Files.writeString(dir.resolve("other"), "OtherToken");
            received = answerOnce(server, "-ERR Invalid authorization token");
            result = cli().run("conf1", "--port", String.valueOf(server.getLocalPort()), "--token-file", other.toString(),
                    "SET", "TFN", "sort", "-r");
            assertEquals("OtherToken SET TFN sort -r\r\n", received.get(5, TimeUnit.SECONDS), "options after the request are its own");
            assertEquals(1, result.exitCode(), "-ERR exits 1");

            received = answerOnce(server, "+SUC ok");
            result = cli().run("conf1", "--port", String.valueOf(server.getLocalPort()), "LegacyToken", "GET", "INF");
            assertEquals("LegacyToken GET INF\r\n", received.get(5, TimeUnit.SECONDS), "the token before the verb still works");
        }
    }

    @Test
    void conf1WithoutAnAnswerExits2AndWithoutATokenExits64() throws Exception {
        int port;
        try (DatagramSocket closed = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Cli.Result silent = cli().run("conf1", "--port", String.valueOf(port), "--timeout-ms", "200", "--token", "Abcdefghij",
                "GET", "CCU");
        assertEquals(2, silent.exitCode(), silent.err());
        Cli.Result noToken = cli().run("conf1", "--port", String.valueOf(port), "GET", "CCU");
        assertEquals(64, noToken.exitCode());
        assertTrue(noToken.err().startsWith("conf1: no CONF1 token yet: the server creates "
                + dir.resolve("data").resolve("conf1.token")), noToken.err());
        Cli.Result missingFile = cli().run("conf1", "--port", String.valueOf(port), "--token-file",
                dir.resolve("nope").toString(), "GET", "CCU");
        assertEquals(64, missingFile.exitCode());
        assertEquals("conf1: " + dir.resolve("nope") + " (--token-file) does not exist: create it holding the 10-letter "
                + "CONF1 token\n", missingFile.err());
    }

    private static CompletableFuture<String> answerOnce(DatagramSocket server, String answer) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                server.setSoTimeout(5000);
                DatagramPacket request = new DatagramPacket(new byte[512], 512);
                server.receive(request);
                byte[] reply = (answer + "\r\n").getBytes(StandardCharsets.US_ASCII);
                server.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
                return new String(request.getData(), 0, request.getLength(), StandardCharsets.US_ASCII);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}

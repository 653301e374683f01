package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as operators run it: the server and check-config refuse one bad configuration
 * with the same single line and 78; help and usage errors start nothing; the image's wrapper;
 * the generated CONF1 token, read by the operator client.
 */
class CommandLineIT {
    static final String MAX_BAD_COMMANDS_LINE = "pop3d: configuration error: pop3.limits.max-bad-commands must be at "
            + "least 1 (0 would close every session at its first command)";

    @TempDir
    Path dir;

    /** JVM options that keep any accidental start on free loopback ports and inside {@code dir}. */
    private List<String> isolated(String... more) throws Exception {
        List<String> options = new ArrayList<>(List.of("-Dpop3.host=127.0.0.1", "-Dpop3.port=" + ServerProcess.freePort(),
                "-Dconf1.port=" + ServerProcess.freeUdpPort(), "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + ServerProcess.freePort(), "-Dpop3.data-dir=" + dir.resolve("data")));
        options.addAll(List.of(more));
        return options;
    }

    private Tools.Result jar(List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(ServerProcess.javaCommand());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", ServerProcess.jar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return Tools.run(command, dir, 60);
    }

    @Test
    void oneBadSettingGivesTheServerAndCheckConfigTheSameLineAndExit78() throws Exception {
        List<String> bad = isolated("-Dpop3.limits.max-bad-commands=0");
        for (String[] args : List.of(new String[0], new String[] {"serve"}, new String[] {"check-config"})) {
            Tools.Result result = jar(bad, args);
            String what = args.length == 0 ? "the bare jar" : args[0];
            assertEquals(78, result.exitCode(), what + ": " + result.stderr() + result.out());
            assertEquals(MAX_BAD_COMMANDS_LINE + "\n", result.stderr(), what + ": one line, no stack trace");
            assertFalse(result.out().contains("Listening"), what + " bound nothing: " + result.out());
        }
    }

    @Test
    void aPlaceholderUsersFileIsRefusedByTheServersOwnChecksNamingTheFile() throws Exception {
        Path placeholder = Files.writeString(dir.resolve("users"), "# replace: one user:{SCHEME}secret per line\n");
        List<String> options = isolated("-Dpop3.users-file=" + placeholder);
        String line = "pop3d: configuration error: " + placeholder + " holds no user: add user:{SCHEME}secret lines to "
                + "it (pop3.users-file; pop3d hash-password prints secrets)\n";
        Tools.Result server = jar(options);
        assertEquals(78, server.exitCode(), server.stderr() + server.out());
        assertEquals(line, server.stderr());
        Tools.Result check = jar(options, "check-config");
        assertEquals(78, check.exitCode());
        assertEquals(line, check.stderr());
    }

    @Test
    void helpAndUsageErrorsStartNothing() throws Exception {
        List<String> options = isolated();
        Tools.Result help = jar(options, "--help");
        assertEquals(0, help.exitCode(), help.stderr());
        assertTrue(help.out().startsWith("Usage: pop3d"), help.out());
        assertEquals("", help.stderr());
        Tools.Result serveHelp = jar(options, "serve", "--help");
        assertEquals(0, serveHelp.exitCode());
        assertTrue(serveHelp.out().startsWith("Usage: pop3d serve"), serveHelp.out());
        Tools.Result unknown = jar(options, "--bogus");
        assertEquals(64, unknown.exitCode());
        assertTrue(unknown.stderr().startsWith("pop3d: Unknown option: '--bogus'"), unknown.stderr());
        assertTrue(unknown.stderr().contains("Usage: pop3d"), unknown.stderr());
        assertEquals("", unknown.out());
        assertEquals(64, jar(options, "no-such-command").exitCode());
        assertFalse(Files.exists(dir.resolve("data")), "no server ran: it would have created its data directory");
    }

    @Test
    void checkConfigIsQuickAndCreatesNothing() throws Exception {
        long start = System.nanoTime();
        Tools.Result check = jar(isolated("-Dconf1.token=CheckToken"), "check-config");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, check.exitCode(), check.stderr());
        assertTrue(check.out().contains("conf1.token = **********"), check.out());
        assertFalse(check.out().contains("CheckToken"));
        System.out.println("check-config took " + millis + " ms, JVM start included");
        assertTrue(millis < 4000, "check-config took " + millis + " ms");
        assertFalse(Files.exists(dir.resolve("data")));
    }

    @Test
    void theImageWrapperWithoutArgumentsPrintsTheUsageInsteadOfASecondServer() throws Exception {
        Path project = Path.of(System.getProperty("project.dir", "."));
        String script = Files.readString(project.resolve("docker/pop3d"))
                .replace("/deployments/quarkus-run.jar", ServerProcess.jar().toAbsolutePath().toString());
        Path wrapper = Files.writeString(dir.resolve("pop3d"), script);
        Tools.Result bare = Tools.run(List.of("sh", wrapper.toString()), dir, 60);
        assertEquals(64, bare.exitCode(), bare.stderr());
        assertTrue(bare.stderr().startsWith("Usage: pop3d"), bare.stderr());
        Tools.Result help = Tools.run(List.of("sh", wrapper.toString(), "hash-password", "--help"), dir, 60);
        assertEquals(0, help.exitCode());
        assertTrue(help.out().startsWith("Usage: pop3d hash-password"), help.out());
    }

    @Test
    void inDemoModeTheTokenIsGeneratedOnceAndTheOperatorClientReadsIt() throws Exception {
        int udp = ServerProcess.freeUdpPort();
        try (ServerProcess server = new ServerProcess(dir.resolve("server")).property("conf1.port", "" + udp).start()) {
            try (RawClient demo = server.client()) {
                demo.login("demo", "demo");
                demo.command("QUIT");
            }
            Path file = server.data().resolve("conf1.token");
            String token = Files.readString(file).strip();
            assertTrue(token.matches("[A-Za-z]{10}"), token);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertTrue(server.log().contains("CONF1 token created in " + file), server.logTail());
            assertFalse(server.log().contains(token), "never logged");
            List<String> sameConfig = List.of("-Dpop3.data-dir=" + server.data(), "-Dconf1.port=" + udp);
            Tools.Result ccu = jar(sameConfig, "conf1", "GET", "CCU");
            assertEquals(0, ccu.exitCode(), ccu.stderr());
            assertEquals("+SUC Concurrent users: 0", ccu.out().strip());
            Tools.Result check = jar(sameConfig, "check-config");
            assertEquals(0, check.exitCode(), check.stderr());
            assertTrue(check.out().contains("# CONF1 token read from " + file), check.out());
            server.stop();
            server.start();
            assertEquals(token, Files.readString(file).strip(), "same token on the second start");
            assertEquals(0, jar(sameConfig, "conf1", "GET", "CCU").exitCode());
        }
    }
}

package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.Tools;
import dev.pop3d.testing.Udp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONF1 against the packaged server: counters survive a restart; the operator client works. */
class Conf1ProcessIT {
    static final String TOKEN = "ProcessTok";

    @TempDir
    Path dir;

    private static int freeUdpPort() {
        return ServerProcess.freeUdpPort();
    }

    @Test
    void historicUsersAndBytesSurviveARestart() throws Exception {
        int udp = freeUdpPort();
        try (ServerProcess server = new ServerProcess(dir).user("alice", "alice-pw").property("conf1.port", "" + udp)
                .property("conf1.token", TOKEN)) {
            server.deliver("alice", "Subject: x\n\nbody\n".getBytes());
            server.start();
            for (int i = 0; i < 2; i++) {
                try (RawClient c = server.client()) {
                    c.login("alice", "alice-pw");
                    c.command("RETR 1");
                    c.body();
                    c.command("QUIT");
                }
            }
            String htu = Udp.request(TOKEN + " GET HTU", "127.0.0.1", udp);
            String btf = Udp.request(TOKEN + " GET BTF", "127.0.0.1", udp);
            assertEquals("+SUC Historic total users: 2", htu);
            server.stop();
            server.start();
            assertEquals(htu, Udp.request(TOKEN + " GET HTU", "127.0.0.1", udp));
            long before = Long.parseLong(btf.substring(btf.lastIndexOf(' ') + 1));
            String after = Udp.request(TOKEN + " GET BTF", "127.0.0.1", udp);
            // the readiness probe of start() itself read a greeting and a QUIT answer since
            assertTrue(Long.parseLong(after.substring(after.lastIndexOf(' ') + 1)) > before, after + " after " + btf);
            try (var stats = Files.list(server.data().resolve("stats"))) {
                assertEquals(1, stats.filter(f -> f.toString().endsWith(".counters")).count(),
                        "one counters file per instance, continued after the restart");
            }
        }
    }

    @Test
    void theOperatorClientAsksTheRunningServer() throws Exception {
        int udp = freeUdpPort();
        try (ServerProcess server = new ServerProcess(dir).user("bob", "bob-pw").property("conf1.port", "" + udp)
                .property("conf1.token", TOKEN).property("pop3.transform.allowed-commands", "sed s/a/4/g").start()) {
            assertEquals("+SUC Concurrent users: 0", client(udp, TOKEN, "GET", "CCU").out().strip());
            Tools.Result wrong = client(udp, "wrongtoken", "GET", "CCU");
            assertEquals(1, wrong.exitCode());
            assertEquals("-ERR Invalid authorization token", wrong.out().strip());
            Tools.Result set = client(udp, TOKEN, "SET", "TFN", "sed", "s/a/4/g");
            assertEquals("+SUC New transformation command: sed s/a/4/g", set.out().strip());
            assertEquals(0, set.exitCode());
            assertEquals("-ERR Command not in pop3.transform.allowed-commands",
                    client(udp, TOKEN, "SET", "TFN", "id;", "cat").out().strip(), "on loopback too");
        }
        Tools.Result nobody = client(freeUdpPort(), TOKEN, "GET", "CCU");
        assertEquals(2, nobody.exitCode(), "no server: no answer, exit 2");
    }

    @Test
    void beyondLoopbackWithoutATokenTheServerCreatesOneInTheDataDirectory() throws Exception {
        int udp = freeUdpPort();
        try (ServerProcess server = new ServerProcess(dir).user("bob", "bob-pw").property("conf1.host", "0.0.0.0")
                .property("conf1.port", "" + udp).start()) {
            Path file = server.data().resolve("conf1.token");
            String token = Files.readString(file).strip();
            assertTrue(token.matches("[A-Za-z]{10}"), token);
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("+SUC Concurrent users: 0", Udp.request(token + " GET CCU", "127.0.0.1", udp));
            String log = server.log();
            assertTrue(log.contains("CONF1 token created in " + file), log);
            assertFalse(log.contains(token), "the token itself is never logged");
            server.stop();
            server.start();
            assertEquals(token, Files.readString(file).strip(), "the same token after a restart");
            assertTrue(server.log().contains("CONF1 token read from " + file));
        }
    }

    private static Tools.Result client(int port, String... request) throws Exception {
        List<String> command = new ArrayList<>(ServerProcess.javaCommand());
        command.addAll(List.of("-jar", ServerProcess.jar().toString(), "conf1", "--port", String.valueOf(port),
                "--timeout-ms", "1500"));
        command.addAll(List.of(request));
        return Tools.run(command, null, 30);
    }
}

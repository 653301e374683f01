package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    @TempDir
    Path dir;

    private static int freeUdpPort() {
        return ServerProcess.freeUdpPort();
    }

    @Test
    void historicUsersAndBytesSurviveARestart() throws Exception {
        int udp = freeUdpPort();
        try (ServerProcess server = new ServerProcess(dir).user("alice", "alice-pw").property("conf1.port", "" + udp)) {
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
            String htu = Udp.request("adminadmin GET HTU", "127.0.0.1", udp);
            String btf = Udp.request("adminadmin GET BTF", "127.0.0.1", udp);
            assertEquals("+SUC Historic total users: 2", htu);
            server.stop();
            server.start();
            assertEquals(htu, Udp.request("adminadmin GET HTU", "127.0.0.1", udp));
            long before = Long.parseLong(btf.substring(btf.lastIndexOf(' ') + 1));
            String after = Udp.request("adminadmin GET BTF", "127.0.0.1", udp);
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
        try (ServerProcess server = new ServerProcess(dir).user("bob", "bob-pw").property("conf1.port", "" + udp).start()) {
            assertEquals("+SUC Concurrent users: 0", client(udp, "adminadmin", "GET", "CCU").out().strip());
            Tools.Result wrong = client(udp, "wrongtoken", "GET", "CCU");
            assertEquals(1, wrong.exitCode());
            assertEquals("-ERR Invalid authorization token", wrong.out().strip());
            Tools.Result set = client(udp, "adminadmin", "SET", "TFN", "sed", "s/a/4/g");
            assertEquals("+SUC New transformation command: sed s/a/4/g", set.out().strip());
            assertEquals(0, set.exitCode());
        }
        Tools.Result nobody = client(freeUdpPort(), "adminadmin", "GET", "CCU");
        assertEquals(2, nobody.exitCode(), "no server: no answer, exit 2");
    }

    @Test
    void beyondLoopbackWithoutATokenTheServerRefusesToStart() throws Exception {
        ServerProcess server = new ServerProcess(dir).user("bob", "bob-pw").property("conf1.host", "0.0.0.0")
                .property("conf1.port", "" + freeUdpPort());
        try {
            server.start();
            throw new AssertionError("started without a token on 0.0.0.0");
        } catch (java.io.IOException expected) {
            assertTrue(expected.getMessage().contains("no token is configured"), expected.getMessage());
        } finally {
            server.close();
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

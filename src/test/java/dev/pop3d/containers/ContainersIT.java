package dev.pop3d.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.Udp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;

/** Our image, run as Kubernetes runs it, and two replicas on one shared volume. */
@ExtendWith(DockerCondition.class)
class ContainersIT {
    @TempDir
    Path dir;

    private Path worldWritable(String name) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path path = Files.createDirectories(dir.resolve(name));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
        return path;
    }

    private Path secrets() throws Exception {
        Path secrets = worldWritable("secrets");
        Files.writeString(secrets.resolve("users"), "alice:{PLAIN}alice-pw\n");
        Files.writeString(secrets.resolve("conf1-token"), "podsecretx\n");
        for (String file : List.of("users", "conf1-token")) {
            Files.setPosixFilePermissions(secrets.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
        }
        return secrets;
    }

    private static Map<String, String> podEnv() {
        return Map.of("POP3_DEMO_ENABLED", "false", "POP3_USERS_FILE", "/etc/pop3d/secrets/users",
                "CONF1_TOKEN_FILE", "/etc/pop3d/secrets/conf1-token", "POP3_LOCK_STALE_TIMEOUT", "4s");
    }

    @Test
    void runsUnderThePodsConstraints() throws Exception {
        int pop3 = ServerProcess.freePort();
        int conf1 = ServerProcess.freeUdpPort();
        int http = ServerProcess.freePort();
        try (GenericContainer<?> pod = Images.pop3d(pop3, conf1, http, podEnv())
                .withFileSystemBind(worldWritable("data").toString(), "/data", BindMode.READ_WRITE)
                .withFileSystemBind(secrets().toString(), "/etc/pop3d/secrets", BindMode.READ_ONLY)
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withUser("185");
                    cmd.getHostConfig().withReadonlyRootfs(true).withTmpFs(Map.of("/tmp", "rw,size=64m"));
                })) {
            pod.start();
            Container.ExecResult delivered = pod.execInContainer("sh", "-c",
                    "printf 'Subject: from the pod\\n\\n.dot line\\nbody\\n' | pop3d deliver alice");
            assertEquals(0, delivered.getExitCode(), delivered.getStderr());
            assertEquals(67, pod.execInContainer("sh", "-c", "echo x | pop3d deliver nobody").getExitCode());
            try (RawClient c = new RawClient("127.0.0.1", pop3)) {
                c.line();
                c.command("USER demo");
                assertEquals("-ERR [AUTH] Authentication failed.", c.command("PASS demo"), "demo is off");
                c.command("USER alice");
                assertEquals("+OK Logged in.", c.command("PASS alice-pw"));
                assertTrue(c.command("RETR 1").startsWith("+OK"));
                assertEquals("Subject: from the pod\r\n\r\n.dot line\r\nbody\r\n",
                        new String(c.body(), StandardCharsets.US_ASCII));
                assertEquals("+OK Logging out.", c.command("QUIT"));
            }
            assertEquals("+SUC Historic total users: 1", Udp.request("podsecretx GET HTU", "127.0.0.1", conf1));
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            Container.ExecResult whoami = pod.execInContainer("id", "-u");
            assertEquals("185", whoami.getStdout().strip());
            assertTrue(pod.execInContainer("sh", "-c", "touch /deployments/x").getExitCode() != 0, "root fs is read-only");
        }
    }

    @Test
    void twoReplicasOnOneVolumeShareTheLockAndAKilledOneFreesTheMailbox() throws Exception {
        Path data = worldWritable("shared");
        Path secrets = secrets();
        Path maildir = Files.createDirectories(data.resolve("mail/alice/Maildir/new"));
        Files.createDirectories(data.resolve("mail/alice/Maildir/cur"));
        Files.createDirectories(data.resolve("mail/alice/Maildir/tmp"));
        for (int i = 1; i <= 3; i++) {
            Files.writeString(maildir.resolve("170000000" + i + ".M1P1Q" + i + ".mta"), "Subject: " + i + "\n\nbody\n");
        }
        Files.walk(data).forEach(p -> p.toFile().setWritable(true, false));
        int[] pop3 = {ServerProcess.freePort(), ServerProcess.freePort()};
        try (GenericContainer<?> first = replica(pop3[0], data, secrets); GenericContainer<?> second = replica(pop3[1], data, secrets)) {
            first.start();
            second.start();
            List<String> uids;
            RawClient a = new RawClient("127.0.0.1", pop3[0]);
            a.login("alice", "alice-pw");
            a.command("UIDL");
            uids = a.lines();
            assertEquals(3, uids.size());
            assertEquals("+OK Marked to be deleted.", a.command("DELE 1"));
            try (RawClient b = new RawClient("127.0.0.1", pop3[1])) {
                b.line();
                b.command("USER alice");
                assertEquals("-ERR [IN-USE] Mailbox is locked by another session", b.command("PASS alice-pw"));
            }
            DockerClientFactory.instance().client().killContainerCmd(first.getContainerId()).exec(); // SIGKILL
            a.close();
            long killed = System.nanoTime();
            String answer = "";
            while (!answer.startsWith("+OK") && System.nanoTime() - killed < 30_000_000_000L) {
                try (RawClient b = new RawClient("127.0.0.1", pop3[1])) {
                    b.line();
                    b.command("USER alice");
                    answer = b.command("PASS alice-pw");
                    if (answer.startsWith("+OK")) {
                        b.command("UIDL");
                        assertEquals(uids, b.lines(), "nothing lost, nothing twice, same UIDs");
                        assertEquals("+OK Marked to be deleted.", b.command("DELE 1"));
                        assertEquals("+OK Logging out, messages deleted.", b.command("QUIT"));
                    }
                }
                Thread.sleep(500);
            }
            long seconds = (System.nanoTime() - killed) / 1_000_000_000L;
            assertTrue(answer.startsWith("+OK"), "mailbox never freed: " + answer);
            assertTrue(seconds <= 15, "freed after " + seconds + " s; stale timeout 4 s");
            try (var cur = Files.list(data.resolve("mail/alice/Maildir/cur"))) {
                assertEquals(2, cur.count());
            }
        }
    }

    @SuppressWarnings("resource")
    private GenericContainer<?> replica(int pop3, Path data, Path secrets) throws Exception {
        return Images.pop3d(pop3, ServerProcess.freeUdpPort(), ServerProcess.freePort(), podEnv())
                .withFileSystemBind(data.toString(), "/data", BindMode.READ_WRITE)
                .withFileSystemBind(secrets.toString(), "/etc/pop3d/secrets", BindMode.READ_ONLY);
    }
}

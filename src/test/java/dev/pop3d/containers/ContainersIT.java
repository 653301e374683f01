package dev.pop3d.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;

/**
 * Our image as a new user first runs it (no environment, a network without IPv6), as Kubernetes
 * runs it, and two replicas on one shared volume.
 */
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

    /**
     * {@code docker run --network none --sysctl net.ipv6.conf.all.disable_ipv6=1 IMAGE}: what a user's
     * bridge network without IPv6 looks like from inside, with no environment at all. Checked only
     * through {@code docker exec} (busybox wget and nc of the local base): no traffic leaves the
     * container's own loopback, let alone to a private-range address.
     */
    @Test
    void withNoEnvironmentAndNoIpv6TheImageServesTheDemoMail() throws Exception {
        try (GenericContainer<?> user = new GenericContainer<>(Images.pop3d())
                .withImagePullPolicy(image -> false)
                .withNetworkMode("none")
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withSysctls(Map.of(
                        "net.ipv6.conf.all.disable_ipv6", "1", "net.ipv6.conf.default.disable_ipv6", "1")))) {
            user.start();
            assumeTrue(exec(user, "command -v wget && command -v nc").getExitCode() == 0, "wget and nc (busybox base)");
            assertEquals("lo", exec(user, "ls /sys/class/net").getStdout().strip(), "only a loopback: nowhere to send to");
            assertEquals("", exec(user, "cat /proc/net/if_inet6").getStdout().strip(), "no IPv6 in the namespace");
            String ready = awaitReady(user);
            assertTrue(ready.contains("\"UP\""), ready);

            String dialogue = exec(user, "{ printf 'USER demo\\r\\nPASS demo\\r\\nSTAT\\r\\nRETR 1\\r\\nQUIT\\r\\n'; sleep 3; }"
                    + " | nc 127.0.0.1 1110").getStdout();
            List<String> lines = List.of(dialogue.split("\r\n", -1));
            assertTrue(lines.get(0).startsWith("+OK"), dialogue);
            assertTrue(lines.get(1).startsWith("+OK"), dialogue);
            assertEquals("+OK Logged in.", lines.get(2), dialogue);
            Matcher stat = Pattern.compile("\\+OK (\\d+) (\\d+)").matcher(lines.get(3));
            assertTrue(stat.matches() && Integer.parseInt(stat.group(1)) >= 1, dialogue);
            Matcher retr = Pattern.compile("\\+OK (\\d+) octets").matcher(lines.get(4));
            assertTrue(retr.matches(), dialogue);
            int end = lines.indexOf(".");
            assertTrue(end > 4 && lines.subList(5, end).contains("Subject: Welcome to pop3d"), dialogue);
            String body = String.join("\r\n", lines.subList(5, end)) + "\r\n";
            assertEquals(Integer.parseInt(retr.group(1)), body.getBytes(StandardCharsets.UTF_8).length,
                    "octet count of the welcome message (no line starts with a dot)");
            assertEquals("+OK Logging out.", lines.get(end + 1), dialogue);

            // CONF1 answers on its generated token, created once in the volume, mode 0600
            String token = exec(user, "cat /data/conf1.token").getStdout().strip();
            assertTrue(token.matches("[A-Za-z]{10}"), "a generated token of 10 letters");
            assertEquals("600", exec(user, "stat -c %a /data/conf1.token").getStdout().strip());
            Container.ExecResult htu = user.execInContainer("pop3d", "conf1", token, "GET", "HTU");
            assertEquals("+SUC Historic total users: 1", htu.getStdout().strip(), htu.getStderr());
            assertTrue(user.getLogs().contains("conf1.token"), "the token file's path is logged");
            assertTrue(!user.getLogs().contains(token), "never its value");
        }
    }

    /**
     * Orphan reaping (issue 10): a filter child that escapes its process group ({@code setsid cmd &})
     * is reparented to PID 1. Without an init that is java, which never waits for it: it stays a
     * zombie, and the server said so at start (one WARN). With {@code docker run --init} (what
     * README, compose {@code init: true} and the pod's {@code shareProcessNamespace} give) PID 1
     * reaps it. The orphan is made as {@code docker exec C sh -c '(setsid sleep 1 &); true'}.
     */
    @Test
    void withInitAnOrphanIsReapedWithoutItItStaysAZombieAndTheServerWarned() throws Exception {
        String warning = "Running as PID 1: orphans of transformation filters will not be reaped";
        for (boolean init : new boolean[] {true, false}) {
            try (GenericContainer<?> c = new GenericContainer<>(Images.pop3d())
                    .withImagePullPolicy(image -> false)
                    .withNetworkMode("none")
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withInit(init))) {
                c.start();
                awaitReady(c);
                String pidOne = exec(c, "tr '\\0' ' ' < /proc/1/cmdline").getStdout();
                assertEquals(init, !pidOne.startsWith("java "), "PID 1 is " + pidOne);
                assertEquals(0, zombies(c), "no zombie before the orphan");
                assertEquals(0, exec(c, "(setsid sleep 1 &); true").getExitCode());
                Thread.sleep(3_000);
                long zombies = zombies(c);
                long warnings = c.getLogs().lines().filter(l -> l.contains(warning)).count();
                System.out.printf("--init %b: PID 1 %s, zombies 3 s after the orphan: %d, PID-1 warnings: %d%n",
                        init, pidOne.strip(), zombies, warnings);
                if (init) {
                    assertEquals(0, zombies, "the init reaped the orphan");
                    assertEquals(0, warnings, "not PID 1: no warning");
                } else {
                    assertEquals(1, zombies, "java as PID 1 leaves the orphan a zombie");
                    assertEquals(1, warnings, "one WARN at start:\n" + c.getLogs());
                }
            }
        }
    }

    /** Processes in state Z inside the container. */
    private static long zombies(GenericContainer<?> c) throws Exception {
        String count = exec(c, "cat /proc/[0-9]*/status 2>/dev/null | grep -c '^State:[[:space:]]*Z'").getStdout().strip();
        return Long.parseLong(count);
    }

    private static Container.ExecResult exec(GenericContainer<?> container, String script) throws Exception {
        return container.execInContainer("sh", "-c", script);
    }

    /** Polls readiness from inside the container; fails at once, with its log, if the server died. */
    private static String awaitReady(GenericContainer<?> container) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Container.ExecResult probe = null;
        while (System.nanoTime() < deadline) {
            assertTrue(container.isRunning(), "the server stopped:\n" + container.getLogs());
            probe = exec(container, "wget -q -O - http://127.0.0.1:8080/q/health/ready");
            if (probe.getExitCode() == 0) {
                return probe.getStdout();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not ready within 60 s: " + probe + "\n" + container.getLogs());
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
        int secondHttp = ServerProcess.freePort();
        try (GenericContainer<?> first = replica(pop3[0], ServerProcess.freePort(), data, secrets);
             GenericContainer<?> second = replica(pop3[1], secondHttp, data, secrets)) {
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
            awaitSavedLogins(data.resolve("stats"), 1); // the first replica's login is on the volume (5 s saves)
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
            // HTU is the volume's: the killed replica's saved login plus the survivor's
            assertEquals(2, awaitMetric(secondHttp, "pop3d_logins_historic_total", 2));
        }
    }

    private static void awaitSavedLogins(Path stats, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            long saved = 0;
            if (Files.isDirectory(stats)) {
                try (var files = Files.list(stats)) {
                    for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".counters"))::iterator) {
                        Matcher m = Pattern.compile("(?m)^historic-logins=(\\d+)$").matcher(Files.readString(f));
                        saved += m.find() ? Long.parseLong(m.group(1)) : 0;
                    }
                }
            }
            if (saved >= expected) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no saved login in " + stats + " within 15 s");
    }

    /** Polls a metric of one replica until it reaches {@code expected} (saves run every 5 s), returns its value. */
    private static long awaitMetric(int http, String name, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Pattern line = Pattern.compile("(?m)^" + name + " ([0-9.E]+)$");
        long value = -1;
        while (System.nanoTime() < deadline) {
            // HTTP/1.1: the JDK client's h2c upgrade of /q/metrics waited forever here
            String text = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = line.matcher(text);
            value = m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
            if (value >= expected) {
                return value;
            }
            Thread.sleep(250);
        }
        return value;
    }

    @SuppressWarnings("resource")
    private GenericContainer<?> replica(int pop3, int http, Path data, Path secrets) throws Exception {
        return Images.pop3d(pop3, ServerProcess.freeUdpPort(), http, podEnv())
                .withFileSystemBind(data.toString(), "/data", BindMode.READ_WRITE)
                .withFileSystemBind(secrets.toString(), "/etc/pop3d/secrets", BindMode.READ_ONLY);
    }
}

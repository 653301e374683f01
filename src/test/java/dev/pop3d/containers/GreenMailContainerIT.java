package dev.pop3d.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.Tools;
import dev.pop3d.transcript.Comparison;
import dev.pop3d.transcript.GreenMailDeviations;
import dev.pop3d.transcript.Normalizer;
import dev.pop3d.transcript.ScriptsTest;
import dev.pop3d.transcript.Transcript;
import dev.pop3d.transcript.TranscriptRunner;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Our image beside a GreenMail image (built from the Maven Central jar), the same users and
 * messages in both, the same dialogues — transcripts, curl and the Jakarta Mail POP3 client —
 * normalized answers compared; GreenMail's listed deviations must show where they are listed.
 */
@ExtendWith(DockerCondition.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GreenMailContainerIT {
    private static final Map<String, String> USERS = Map.of("alice", "alice-pw", "bob", "bob-pw", "dana", "pw-dana");
    private static final List<String> MESSAGES = List.of(
            "From: a@example.org\r\nTo: bob@example.org\r\nSubject: first\r\n\r\nHello Bob.\r\n",
            "From: a@example.org\r\nTo: bob@example.org\r\nSubject: second\r\n\r\nline one\r\nline two\r\n");

    private Path dir;
    private GenericContainer<?> pop3d;
    private GenericContainer<?> greenMail;
    private int ourPort;
    private int theirPort;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("pop3d-greenmail-it");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        ourPort = ServerProcess.freePort();
        StringBuilder users = new StringBuilder();
        USERS.forEach((u, p) -> users.append(users.length() == 0 ? "" : ",").append(u).append(':').append(p));
        pop3d = Images.pop3d(ourPort, ServerProcess.freeUdpPort(), ServerProcess.freePort(),
                Map.of("POP3_USERS", users.toString(), "CONF1_ENABLED", "false"))
                .withFileSystemBind(dir.toString(), "/data", BindMode.READ_WRITE);
        pop3d.start();
        theirPort = ServerProcess.freePort();
        int smtp = ServerProcess.freePort();
        StringBuilder gmUsers = new StringBuilder();
        USERS.forEach((u, p) -> gmUsers.append(gmUsers.length() == 0 ? "" : ",").append(u).append(':').append(p)
                .append('@').append("example.org"));
        greenMail = new GenericContainer<>(Images.greenMail()).withImagePullPolicy(image -> false)
                .withNetworkMode("host")
                .withEnv("GREENMAIL_OPTS", "-Dgreenmail.hostname=127.0.0.1 -Dgreenmail.pop3.port=" + theirPort
                        + " -Dgreenmail.smtp.port=" + smtp + " -Dgreenmail.users=" + gmUsers
                        + " -Dgreenmail.users.login=local_part"
                        + " -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port=" + ServerProcess.freePort())
                .waitingFor(Wait.forLogMessage(".*Starting GreenMail.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
        greenMail.start();
        RawClient.awaitGreeting("127.0.0.1", theirPort, 100);
        for (String message : MESSAGES) {
            smtp(smtp, "bob@example.org", message);
            deliverToUs("bob", message);
        }
    }

    @AfterAll
    void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
        if (pop3d != null) {
            pop3d.stop();
        }
        dev.pop3d.testing.TestFiles.deleteTree(dir);
    }

    /** Plain SMTP into GreenMail (it keeps mail in memory only). */
    private static void smtp(int port, String to, String message) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            reply(in);
            for (String command : List.of("HELO test", "MAIL FROM:<a@example.org>", "RCPT TO:<" + to + ">", "DATA")) {
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                reply(in);
            }
            out.write((message.replace("\r\n.", "\r\n..") + ".\r\nQUIT\r\n").getBytes(StandardCharsets.US_ASCII));
            reply(in);
        }
    }

    /** Reads one SMTP reply, multi-line ones included (GreenMail answers HELO like EHLO). */
    private static String reply(BufferedReader in) throws IOException {
        String line = in.readLine();
        while (line != null && line.length() > 3 && line.charAt(3) == '-') {
            line = in.readLine();
        }
        return line;
    }

    private void deliverToUs(String user, String message) throws IOException {
        Path maildir = dir.resolve("mail").resolve(user).resolve("Maildir");
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(maildir.resolve(sub));
            maildir.resolve(sub).toFile().setWritable(true, false);
        }
        Files.writeString(maildir.resolve("new").resolve(System.nanoTime() + ".M1P1Q1.it"), message);
        // the container runs as uid 185: it must be able to lock and move files here
        try (var paths = Files.walk(dir.resolve("mail"))) {
            paths.forEach(p -> p.toFile().setWritable(true, false));
        }
    }

    /** GreenMail's SMTP side prepends Return-Path and Received lines: the peers note says drop them. */
    private static String withoutTraceHeaders(String message) {
        return message.replaceAll("(?s)^((Return-Path|Received):[^\\r\\n]*\\r\\n([ \\t][^\\r\\n]*\\r\\n)*)+", "");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"capa.pop3", "login.pop3", "in-use.pop3", "framing.pop3", "quit-authorization.pop3"})
    void transcriptsDifferOnlyWhereGreenMailDeviates(String name) throws Exception {
        Transcript t = Transcript.parse(ScriptsTest.SCRIPTS.resolve(name));
        TranscriptRunner.Fixtures none = new TranscriptRunner.Fixtures() {
            public void user(String user, String password) {
                assertEquals(USERS.get(user), password, "script user must exist in both containers");
            }

            public void mail(String user, int number, byte[] message) {
                throw new AssertionError("these scripts need no mail");
            }
        };
        List<String> ours = Normalizer.normalize(TranscriptRunner.record(t, "127.0.0.1", ourPort, none));
        List<String> theirs = Normalizer.normalize(TranscriptRunner.record(t, "127.0.0.1", theirPort, none));
        Optional<Integer> first = Comparison.firstDifferentLine(ours, theirs);
        List<Integer> expected = GreenMailDeviations.expectedFirstDifferences(name);
        if (expected.isEmpty()) {
            assertEquals(Optional.empty(), first, name + "\nours:   " + ours + "\ntheirs: " + theirs);
        } else {
            assertTrue(first.isPresent() && expected.contains(first.get()), name + " first difference " + first
                    + ", listed " + expected + "\nours:   " + ours + "\ntheirs: " + theirs);
        }
    }

    @Test
    void curlSeesTheSameMessagesAndOnlyTheListedDeviations() throws Exception {
        Tools.require("curl");
        String ourList = curl(ourPort, "");
        String theirList = curl(theirPort, "");
        assertEquals(MESSAGES.size(), ourList.split("\r\n").length);
        assertEquals(MESSAGES.size(), theirList.split("\r\n").length);
        for (int i = 0; i < MESSAGES.size(); i++) {
            assertEquals((i + 1) + " " + MESSAGES.get(i).length(), ourList.split("\r\n")[i], "RFC 1939 §5: CRLF octets");
            String ours = curl(ourPort, String.valueOf(i + 1));
            String theirs = withoutTraceHeaders(curl(theirPort, String.valueOf(i + 1)));
            assertEquals(MESSAGES.get(i), ours, "RETR is the stored message");
            assertEquals(ours.substring(ours.indexOf("\r\n\r\n")), theirs.substring(theirs.indexOf("\r\n\r\n")),
                    "same body from both");
        }
        assertNotEquals(ourList, theirList, GreenMailDeviations.SIZES_NOT_CRLF_OCTETS + " no longer shows");
        assertEquals(MESSAGES.size(), curl(ourPort, "", "-X", "UIDL").split("\r\n").length);
        assertEquals(MESSAGES.size(), curl(theirPort, "", "-X", "UIDL").split("\r\n").length);
    }

    @Test
    void jakartaMailReadsTheSameMessagesFromBoth() throws Exception {
        assertEquals(read(theirPort), read(ourPort));
    }

    private static List<String> read(int port) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.pop3.host", "127.0.0.1");
        properties.put("mail.pop3.port", String.valueOf(port));
        Store store = Session.getInstance(properties).getStore("pop3");
        store.connect("bob", "bob-pw");
        List<String> seen = new ArrayList<>();
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            for (Message message : inbox.getMessages()) {
                seen.add(message.getSubject() + " | " + message.getFrom()[0] + " | "
                        + String.valueOf(message.getContent()).replace("\r\n", "\n"));
            }
            inbox.close(false);
        } finally {
            store.close();
        }
        return seen;
    }

    private static String curl(int port, String path, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(options));
        command.add("pop3://bob:bob-pw@127.0.0.1:" + port + "/" + path);
        Tools.Result result = Tools.run(command, null, 30);
        assertEquals(0, result.exitCode(), result.stderr());
        return result.out();
    }
}

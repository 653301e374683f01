package dev.pop3d.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.ServerProcess;
import dev.pop3d.testing.TestFiles;
import dev.pop3d.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 1939 §3 and RFC 2449 PIPELINING: a client may send all its commands in one write and then
 * half-close its side (shutdown(SHUT_WR), as {@code nc -N} or a script does). Every command sent
 * before the FIN is answered, in order, then the server closes — a RETR body is never cut short by
 * the FIN, and a QUIT's UPDATE is answered. The same dialogues run against Dovecot, which does so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HalfCloseIT {
    private static final String USER = "hana";
    private static final String PASSWORD = "hana-pw";
    private static final byte[] SMALL = "Subject: small\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A server under test: where it listens, how mail gets in, what is left in the maildrop. */
    interface Target {
        int port();

        void reset(byte[]... messages) throws Exception;

        long stored() throws IOException;
    }

    private Path dir;
    private ServerProcess pop3d;
    private DovecotServer dovecot;
    private final List<Target> targets = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("pop3d-halfclose");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        pop3d = new ServerProcess(dir.resolve("pop3d")).user(USER, PASSWORD).start();
        targets.add(new Target() {
            public int port() { return pop3d.port(); }

            public void reset(byte[]... messages) throws Exception {
                TestFiles.deleteTree(pop3d.maildir(USER));
                for (byte[] m : messages) {
                    pop3d.deliver(USER, m);
                }
            }

            public long stored() throws IOException { return count(pop3d.maildir(USER)); }

            public String toString() { return "pop3d"; }
        });
        if (Tools.available("dovecot")) {
            dovecot = new DovecotServer(dir.resolve("dovecot"), Map.of(USER, PASSWORD));
            Path mail = dir.resolve("dovecot/mail").resolve(USER).resolve("Maildir");
            targets.add(new Target() {
                public int port() { return dovecot.port(); }

                public void reset(byte[]... messages) throws Exception {
                    dovecot.empty(USER);
                    for (byte[] m : messages) {
                        dovecot.mail(USER, m);
                    }
                }

                public long stored() throws IOException { return count(mail); }

                public String toString() { return "dovecot"; }
            });
        } else if (Boolean.getBoolean("it.tools.required")) {
            throw new AssertionError("dovecot is required (it.tools.required=true) but not installed");
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
        if (pop3d != null) {
            pop3d.close();
        }
        TestFiles.deleteTree(dir);
    }

    Stream<Target> targets() {
        return targets.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void pipelinedLoginThenHalfCloseGetsEveryReply(Target target) throws Exception {
        target.reset(SMALL);
        List<String> lines = lines(exchange(target, "USER " + USER, "PASS " + PASSWORD, "STAT", "QUIT"));
        assertEquals(5, lines.size(), target + ": " + lines);
        assertTrue(lines.get(0).startsWith("+OK"), lines.toString());
        assertTrue(lines.get(1).startsWith("+OK") && lines.get(2).startsWith("+OK"), lines.toString());
        assertEquals("+OK 1 " + SMALL.length, lines.get(3), target.toString());
        assertTrue(lines.get(4).startsWith("+OK"), lines.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aRetrBodyIsNeverCutShortByTheFin(Target target) throws Exception {
        byte[] big = bigMessage(3 << 20);
        target.reset(big);
        byte[] answer = exchange(target, "USER " + USER, "PASS " + PASSWORD, "RETR 1", "QUIT");
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int status = text.indexOf("+OK " + big.length + " octets\r\n");
        assertTrue(status > 0, target + ": no RETR status in " + text.substring(0, Math.min(300, text.length())));
        int body = text.indexOf("\r\n", status) + 2;
        int end = text.indexOf("\r\n.\r\n", body);
        assertEquals(big.length, end + 2 - body, target + ": body octets before the terminator");
        String after = text.substring(end + 5);
        assertTrue(after.startsWith("+OK") && after.endsWith("\r\n") && after.indexOf("\r\n") == after.length() - 2,
                target + ": QUIT reply after the body: " + after);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void deleThenQuitThenHalfCloseIsAnsweredAndApplied(Target target) throws Exception {
        target.reset(SMALL, SMALL);
        List<String> lines = lines(exchange(target, "USER " + USER, "PASS " + PASSWORD, "DELE 1", "QUIT"));
        assertEquals(5, lines.size(), target + ": " + lines);
        assertTrue(lines.get(3).startsWith("+OK"), lines.toString());
        assertTrue(lines.get(4).startsWith("+OK"), target + ": the QUIT reply is sent: " + lines);
        assertEquals(1, target.stored(), target + ": DELE 1 applied at QUIT, the other message kept");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aHalfCloseWithoutQuitAnswersThenClosesWithoutUpdate(Target target) throws Exception {
        target.reset(SMALL);
        List<String> lines = lines(exchange(target, "USER " + USER, "PASS " + PASSWORD, "DELE 1"));
        assertEquals(4, lines.size(), target + ": " + lines);
        assertTrue(lines.get(3).startsWith("+OK"), lines.toString());
        assertEquals(1, target.stored(), target + ": no QUIT, no UPDATE (RFC 1939 §6)");
    }

    /** All commands in one write, then shutdownOutput; everything until the server closes. */
    private static byte[] exchange(Target target, String... commands) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", target.port()), 5000);
            socket.setSoTimeout(20_000);
            StringBuilder all = new StringBuilder();
            for (String c : commands) {
                all.append(c).append("\r\n");
            }
            socket.getOutputStream().write(all.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static List<String> lines(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(List.of(text.split("\r\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static byte[] bigMessage(int size) {
        StringBuilder text = new StringBuilder(size + 100).append("Subject: big\r\n\r\n");
        String line = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n";
        while (text.length() + line.length() <= size) {
            text.append(line);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static long count(Path maildir) throws IOException {
        long n = 0;
        for (String sub : new String[] {"cur", "new"}) {
            if (Files.isDirectory(maildir.resolve(sub))) {
                try (Stream<Path> files = Files.list(maildir.resolve(sub))) {
                    n += files.filter(Files::isRegularFile).count();
                }
            }
        }
        return n;
    }
}

package dev.pop3d.transcript;

import dev.pop3d.testing.Pop3Conversation;
import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Transcript} over real sockets against any POP3 host. {@link #check} asserts every
 * server line; {@link #record} only records what the server said, in the script's shape, for the
 * differential comparison of two servers.
 */
public final class TranscriptRunner {
    /** How a target gets the script's users and messages. */
    public interface Fixtures {
        void user(String name, String password) throws Exception;

        void mail(String user, int number, byte[] message) throws Exception;
    }

    /** Opens a new client conversation with the server under test. */
    public interface Connector {
        Pop3Conversation open() throws IOException;

        static Connector socket(String host, int port) {
            return () -> new RawClient(host, port);
        }

        /** For servers that take their time (Dovecot waits up to 10 s for a busy maildrop). */
        static Connector socket(String host, int port, int readTimeoutMs) {
            return () -> new RawClient(host, port).timeout(readTimeoutMs);
        }
    }

    /** What the server sent for one expectation line of the script. */
    public record Received(Transcript.Line line, String lastCommand, String value) {}

    private TranscriptRunner() {}

    static void check(Transcript t, String host, int port, Fixtures fixtures) throws Exception {
        run(t, Connector.socket(host, port), fixtures, true);
    }

    static void check(Transcript t, Connector connector, Fixtures fixtures) throws Exception {
        run(t, connector, fixtures, true);
    }

    public static List<Received> record(Transcript t, String host, int port, Fixtures fixtures) throws Exception {
        return run(t, Connector.socket(host, port), fixtures, false);
    }

    public static List<Received> record(Transcript t, Connector connector, Fixtures fixtures) throws Exception {
        return run(t, connector, fixtures, false);
    }

    private static List<Received> run(Transcript t, Connector connector, Fixtures fixtures, boolean strict)
            throws Exception {
        for (Transcript.User user : t.users()) {
            fixtures.user(user.name(), user.password());
        }
        for (Transcript.Mail mail : t.mails()) {
            fixtures.mail(mail.user(), mail.number(), Files.readAllBytes(mail.file()));
        }
        Map<String, Pop3Conversation> clients = new LinkedHashMap<>();
        List<Received> received = new ArrayList<>();
        String current = "1";
        String lastCommand = "";
        try {
            clients.put(current, connector.open());
            for (Transcript.Line line : t.lines()) {
                Pop3Conversation client = clients.get(current);
                String where = t.file().getFileName() + ":" + line.number() + " (last client line: " + lastCommand + ")";
                switch (line.kind()) {
                    case SWITCH -> {
                        current = line.text();
                        if (!clients.containsKey(current)) {
                            clients.put(current, connector.open());
                        }
                    }
                    case SEND, SEND_RAW -> {
                        lastCommand = line.text();
                        try {
                            if (line.kind() == Transcript.Kind.SEND) {
                                client.send(line.text());
                            } else {
                                client.raw(Transcript.unescape(line.text()));
                            }
                        } catch (IOException e) {
                            if (strict) {
                                throw new AssertionError(where + ": could not send: " + e.getMessage(), e);
                            }
                            received.add(new Received(line, lastCommand, "<reset>"));
                            return received;
                        }
                    }
                    case EXPECT, EXPECT_REGEX, EXPECT_CLOSED -> {
                        String actual = read(client, strict);
                        received.add(new Received(line, lastCommand, actual));
                        if (strict) {
                            expectLine(line, actual, where);
                        }
                        if (actual.equals("<timeout>") || actual.equals("<reset>")) {
                            return received;
                        }
                    }
                    case EXPECT_BODY -> {
                        byte[] expected = ServerProcess.crlf(Files.readAllBytes(t.file().resolveSibling(line.text())));
                        byte[] actual;
                        try {
                            actual = client.body();
                        } catch (SocketTimeoutException e) {
                            received.add(new Received(line, lastCommand, "<timeout>"));
                            if (strict) {
                                throw new AssertionError(where + ": timed out inside a body");
                            }
                            return received;
                        }
                        received.add(new Received(line, lastCommand, "body sha256 " + sha256(actual)));
                        if (strict && !java.util.Arrays.equals(expected, actual)) {
                            throw new AssertionError(where + ": body differs\nexpected: "
                                    + new String(expected, StandardCharsets.ISO_8859_1) + "\nactual:   "
                                    + new String(actual, StandardCharsets.ISO_8859_1));
                        }
                    }
                }
            }
            return received;
        } finally {
            for (Pop3Conversation client : clients.values()) {
                client.close();
            }
        }
    }

    private static String read(Pop3Conversation client, boolean strict) throws IOException {
        try {
            return client.line();
        } catch (SocketTimeoutException e) {
            if (strict) {
                throw e;
            }
            return "<timeout>";
        } catch (java.net.SocketException e) {
            if (strict) {
                throw e;
            }
            return "<reset>";
        }
    }

    private static void expectLine(Transcript.Line line, String actual, String where) {
        boolean ok = switch (line.kind()) {
            case EXPECT -> line.text().equals(actual);
            case EXPECT_REGEX -> actual.matches(line.text());
            case EXPECT_CLOSED -> actual.equals("<closed>");
            default -> false;
        };
        if (!ok) {
            String expected = line.kind() == Transcript.Kind.EXPECT_CLOSED ? "<closed>" : line.text();
            throw new AssertionError(where + "\nexpected: " + expected + "\nactual:   " + actual);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

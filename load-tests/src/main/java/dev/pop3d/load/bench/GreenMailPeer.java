package dev.pop3d.load.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * GreenMail standalone (in memory): users in a JVM @argfile, the corpus delivered over its SMTP
 * port after every start (LF to CRLF and SMTP dot-stuffing on the way). A restart re-delivers
 * only the mailboxes the next scenario needs ({@link #deliverOnly}); UIDLs change with each
 * delivery, hence {@link #generation}.
 */
final class GreenMailPeer extends JvmPeer {
    private final Path jar;
    private final String heap;
    private final int smtpPort;
    private final int apiPort;
    private Corpus corpus;
    private Predicate<String> deliverOnly = user -> true;
    private int starts;

    GreenMailPeer(Path dir, int port, int smtpPort, int apiPort, Path jar, String heap) {
        super("greenmail", dir, port);
        this.jar = jar;
        this.heap = heap;
        this.smtpPort = smtpPort;
        this.apiPort = apiPort;
    }

    @Override
    boolean strict() {
        return false;
    }

    /** Which users' mail the next start delivers (all by default). */
    void deliverOnly(Predicate<String> users) {
        this.deliverOnly = users;
    }

    @Override
    void prepare(Corpus corpus) throws Exception {
        this.corpus = corpus;
        Files.createDirectories(dir);
        StringBuilder users = new StringBuilder("-Dgreenmail.users=");
        List<String> all = corpus.allUsers();
        for (int i = 0; i < all.size(); i++) {
            users.append(i == 0 ? "" : ",").append(all.get(i)).append(':').append(Corpus.password(all.get(i)))
                    .append('@').append(Corpus.DOMAIN);
        }
        Files.writeString(dir.resolve("users.args"), users + "\n");
    }

    List<String> options() {
        return List.of("-Xmx" + heap,
                "-Dgreenmail.pop3.hostname=127.0.0.1", "-Dgreenmail.pop3.port=" + port,
                "-Dgreenmail.smtp.hostname=127.0.0.1", "-Dgreenmail.smtp.port=" + smtpPort,
                "-Dgreenmail.api.hostname=127.0.0.1", "-Dgreenmail.api.port=" + apiPort);
    }

    @Override
    double start() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(options());
        command.add("@" + dir.resolve("users.args"));
        command.add("-jar");
        command.add(jar.toString());
        double millis = launch(command, dir.resolve("greenmail-" + (++starts) + ".log"), 120_000);
        awaitUsers();
        deliver();
        generation++;
        deliverOnly = user -> true;
        return millis;
    }

    /**
     * GreenMail creates the configured users after its ports are open; mail delivered before that
     * creates a user whose login is the whole address instead. Waits until the last one logs in.
     */
    private void awaitUsers() throws Exception {
        List<String> all = corpus.allUsers();
        String last = all.get(all.size() - 1);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            try (BenchClient probe = BenchClient.connect(null, port, 10_000, 512)) {
                probe.status();
                probe.send("USER " + last);
                if (probe.status().startsWith("+OK")) {
                    probe.send("PASS " + Corpus.password(last));
                    if (probe.status().startsWith("+OK")) {
                        probe.send("QUIT");
                        return;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("GreenMail did not create its configured users within 120 s");
            }
            Thread.sleep(50);
        }
    }

    private void deliver() throws Exception {
        List<String> users = corpus.allUsers().stream().filter(deliverOnly).toList();
        int lanes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int lane = 0; lane < lanes; lane++) {
                int first = lane;
                done.add(pool.submit(() -> {
                    deliverLane(users, first, lanes);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void deliverLane(List<String> users, int first, int step) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(BenchClient.loopback(), smtpPort), 10_000);
            socket.setSoTimeout(120_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            expect(in, "220");
            smtp(out, in, "HELO bench", "250");
            for (int i = first; i < users.size(); i += step) {
                for (Corpus.Message message : corpus.mailbox(users.get(i))) {
                    smtp(out, in, "MAIL FROM:<bench@" + Corpus.DOMAIN + ">", "250");
                    smtp(out, in, "RCPT TO:<" + message.user() + "@" + Corpus.DOMAIN + ">", "250");
                    smtp(out, in, "DATA", "354");
                    writeStuffed(out, Files.readAllBytes(message.file()));
                    out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    expect(in, "250");
                }
            }
            smtp(out, in, "QUIT", "221");
        }
    }

    /** LF to CRLF, and a "." doubled at the start of a line (RFC 5321 §4.5.2). */
    private static void writeStuffed(OutputStream out, byte[] message) throws IOException {
        boolean lineStart = true;
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (lineStart && b == '.') {
                out.write('.');
            }
            if (b == '\n' && (i == 0 || message[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(b);
            lineStart = b == '\n';
        }
    }

    private static void smtp(OutputStream out, InputStream in, String line, String code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    private static void expect(InputStream in, String code) throws IOException {
        while (true) {
            StringBuilder reply = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("GreenMail SMTP closed the connection");
                }
                reply.append((char) b);
            }
            if (!reply.toString().startsWith(code)) {
                throw new IOException("GreenMail SMTP: expected " + code + ", got " + reply);
            }
            if (reply.length() < 4 || reply.charAt(3) != '-') {
                return;
            }
        }
    }

    @Override
    String settings() {
        return "`java " + String.join(" ", options()) + " @users.args -jar greenmail-standalone.jar`; `users.args` holds "
                + "`-Dgreenmail.users=user:password@" + Corpus.DOMAIN + ",...` (plain passwords: GreenMail has no hashed scheme). "
                + "Mail delivered over its SMTP port after each start (4 connections); a restart for a fresh-server "
                + "scenario delivers only the mailboxes that scenario reads.\n";
    }

    @Override
    String version() {
        return "GreenMail standalone " + jar.getFileName() + " (" + Bench.GREENMAIL_VERSION + ")";
    }
}

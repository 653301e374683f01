package dev.pop3d.load.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The scenarios, each against one started server; every figure goes to {@link Results#add}. */
final class Scenarios {
    /** Client source addresses 127.0.0.2 .. 127.0.0.20. */
    static final int SOURCES = 19;
    static final int TIMEOUT_MILLIS = 60_000;
    /** Clients opening the idle sessions in parallel (a login is latency-bound: Dovecot forks for each). */
    static final int IDLE_OPENERS = 32;

    private final Checker checker;
    private final Results results;
    private final Options options;
    private final Corpus corpus;

    Scenarios(Checker checker, Results results, Options options) {
        this.checker = checker;
        this.results = results;
        this.options = options;
        this.corpus = checker.corpus();
    }

    static InetAddress source(int n) {
        return BenchClient.source(2 + Math.floorMod(n, SOURCES));
    }

    /** What one load step measured on the client side. */
    record Load(long sessions, long ioErrors, double seconds, List<Long> retrNanos, List<Long> sessionNanos) {
    }

    /** The benchmark session: USER PASS STAT LIST UIDL RETR×3 TOP DELE RSET QUIT over a random user. */
    void session(Peer peer, BenchClient c, String user, SplittableRandom random, List<Long> retrNanos) throws IOException {
        BenchClient.expectOk("greeting", c.status());
        c.ok("USER " + user);
        c.ok("PASS " + Corpus.password(user));
        String stat = c.ok("STAT");
        int n = Integer.parseInt(stat.split(" ")[1]);
        c.ok("LIST");
        long[] sizes = checker.list(peer, user, c.textBody());
        if (n != sizes.length - 1) {
            throw new BenchClient.WrongAnswer("STAT", (sizes.length - 1) + " messages", stat);
        }
        c.ok("UIDL");
        checker.uidl(peer, user, c.textBody());
        for (int i = 0; i < 3; i++) {
            int m = 1 + random.nextInt(n);
            long start = System.nanoTime();
            c.ok("RETR " + m);
            BenchClient.Body body = c.body(peer.lenient());
            retrNanos.add(System.nanoTime() - start);
            checker.retr(peer, user, m, sizes, body);
        }
        int m = 1 + random.nextInt(n);
        int lines = peer.lenient() ? 0 : 2; // GreenMail does not stuff TOP: a "." body line would desynchronise it
        String top = "TOP " + m + " " + lines;
        c.ok(top);
        List<String> got = c.textBody();
        String id = got.stream().filter(l -> l.startsWith(Corpus.ID_HEADER)).findFirst()
                .map(l -> l.substring(Corpus.ID_HEADER.length()).strip()).orElse("");
        Corpus.Message message = corpus.byId(id);
        if (message == null || !message.user().equals(user)) {
            throw new BenchClient.WrongAnswer(top, "a header of one of " + user + "'s messages", "id " + id);
        }
        checker.top(peer, top, message, lines, got);
        c.ok("DELE 1");
        c.ok("RSET");
        c.ok("QUIT");
    }

    /** {@code clients} threads run sessions back to back for {@code seconds}. */
    Load load(Peer peer, int clients, double seconds, long seed) throws InterruptedException {
        List<Long> retr = Collections.synchronizedList(new ArrayList<>());
        List<Long> sessionTimes = Collections.synchronizedList(new ArrayList<>());
        AtomicLong sessions = new AtomicLong();
        AtomicLong ioErrors = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int lane = t;
            threads.add(started(() -> {
                SplittableRandom random = new SplittableRandom(seed * 1000 + lane);
                List<Long> myRetr = new ArrayList<>();
                List<Long> mySessions = new ArrayList<>();
                // each client its own users: two sessions of one maildrop would rightly get [IN-USE]
                List<String> all = corpus.regularUsers();
                List<String> users = new ArrayList<>();
                for (int u = lane; u < all.size(); u += clients) {
                    users.add(all.get(u));
                }
                for (int i = 0; System.nanoTime() < deadline && !users.isEmpty(); i++) {
                    String user = users.get(random.nextInt(users.size()));
                    long begin = System.nanoTime();
                    try (BenchClient c = BenchClient.connect(source(lane + i), peer.port, TIMEOUT_MILLIS, 64 * 1024)) {
                        session(peer, c, user, random, myRetr);
                        mySessions.add(System.nanoTime() - begin);
                        sessions.incrementAndGet();
                    } catch (BenchClient.WrongAnswer wrong) {
                        checker.fail(peer, wrong.getMessage());
                    } catch (IOException | RuntimeException e) {
                        if (ioErrors.incrementAndGet() <= 3) {
                            System.err.println(peer.name + ": session error: " + e);
                        }
                    }
                }
                retr.addAll(myRetr);
                sessionTimes.addAll(mySessions);
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Load(sessions.get(), ioErrors.get(), elapsed, retr, sessionTimes);
    }

    void sessions(Peer peer, int round) throws InterruptedException {
        load(peer, 8, options.smoke() ? 0.2 : 2, round); // warm-up, not measured
        for (int clients : new int[] {8, 32, 128}) {
            // --profile: JFR records pop3d during the 32-client step of round 1 (started and stopped
            // with jcmd, so it covers exactly that step); the report summarises it (ProfileReport)
            Path recording = options.profileDir() != null && peer instanceof Pop3dPeer && clients == 32 && round == 1
                    ? options.profileDir().resolve("pop3d-sessions-32.jfr") : null;
            if (recording != null) {
                try {
                    java.nio.file.Files.createDirectories(recording.getParent());
                    java.nio.file.Files.deleteIfExists(recording);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                jcmd(peer.pid(), "JFR.start", "name=bench", "settings=" + profileSettings(recording.getParent()),
                        "filename=" + recording);
            }
            double cpu0 = ProcTree.cpuSeconds(peer.pid());
            Load load = load(peer, clients, options.seconds(), round * 7L + clients);
            double cpu = ProcTree.cpuSeconds(peer.pid()) - cpu0;
            if (recording != null) {
                jcmd(peer.pid(), "JFR.stop", "name=bench");
            }
            String s = "sessions";
            results.add(peer, round, s, "sessions/s at " + clients, load.sessions() / load.seconds(), "1/s");
            results.add(peer, round, s, "CPU-s per 1,000 sessions at " + clients,
                    load.sessions() == 0 ? Double.NaN : cpu * 1000 / load.sessions(), "s");
            results.add(peer, round, s, "RETR p50 at " + clients, percentile(load.retrNanos(), 50) / 1e6, "ms");
            results.add(peer, round, s, "RETR p99 at " + clients, percentile(load.retrNanos(), 99) / 1e6, "ms");
            results.add(peer, round, s, "session p99 at " + clients, percentile(load.sessionNanos(), 99) / 1e6, "ms");
            results.add(peer, round, s, "failed sessions (I/O) at " + clients, load.ioErrors(), "");
        }
    }

    void retr64(Peer peer, int round) throws Exception {
        Corpus.Message big = corpus.mailbox("big").get(0);
        long rss0 = ProcTree.rssKib(peer.pid());
        double cpu0 = ProcTree.cpuSeconds(peer.pid());
        List<Double> rates = new ArrayList<>();
        List<Double> firstByte = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            try (BenchClient c = BenchClient.connect(source(i), peer.port, TIMEOUT_MILLIS, 256 * 1024)) {
                BenchClient.expectOk("greeting", c.status());
                c.ok("USER big");
                c.ok("PASS " + Corpus.password("big"));
                long start = System.nanoTime();
                c.ok("RETR 1");
                BenchClient.Body body = c.body(peer.lenient());
                long end = System.nanoTime();
                checker.retr(peer, "big", 1, null, body);
                rates.add(body.octets() / ((end - start) / 1e9) / 1e6);
                firstByte.add((body.firstByteNanos() - start) / 1e6);
                c.ok("QUIT");
            } catch (BenchClient.WrongAnswer wrong) {
                checker.fail(peer, wrong.getMessage());
            }
        }
        double cpu = ProcTree.cpuSeconds(peer.pid()) - cpu0;
        long rss1 = ProcTree.rssKib(peer.pid());
        String s = "retr64";
        results.add(peer, round, s, "MB/s (" + (java.nio.file.Files.size(big.file()) >> 20) + " MiB message, median of 10)", median(rates), "MB/s");
        results.add(peer, round, s, "time to first body byte (median of 10)", median(firstByte), "ms");
        results.add(peer, round, s, "server CPU-s per RETR", cpu / 10, "s");
        results.add(peer, round, s, "server RSS before", rss0 / 1024.0, "MiB");
        results.add(peer, round, s, "server RSS after 10", rss1 / 1024.0, "MiB");
        results.add(peer, round, s, "server RSS growth over 10", (rss1 - rss0) / 1024.0, "MiB");
    }

    /** PASS, LIST and UIDL of the big mailbox; returns {pass, list, uidl} in ms. */
    double[] bigboxSession(Peer peer, int n) throws IOException {
        try (BenchClient c = BenchClient.connect(source(n), peer.port, TIMEOUT_MILLIS, 64 * 1024)) {
            BenchClient.expectOk("greeting", c.status());
            c.ok("USER bigbox");
            long t0 = System.nanoTime();
            c.ok("PASS " + Corpus.password("bigbox"));
            long t1 = System.nanoTime();
            c.ok("LIST");
            List<String> list = c.textBody();
            long t2 = System.nanoTime();
            c.ok("UIDL");
            List<String> uidl = c.textBody();
            long t3 = System.nanoTime();
            checker.list(peer, "bigbox", list);
            checker.uidl(peer, "bigbox", uidl);
            c.ok("QUIT");
            return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6};
        }
    }

    void bigbox(Peer peer, int round) throws Exception {
        String s = "bigbox";
        int messages = corpus.mailbox("bigbox").size();
        try {
            bigboxSession(peer, 0); // makes it warm
            List<double[]> warm = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                warm.add(bigboxSession(peer, i));
            }
            String[] names = {"PASS", "LIST", "UIDL"};
            for (int k = 0; k < 3; k++) {
                int col = k;
                results.add(peer, round, s, names[k] + " of " + messages + " messages, warm",
                        median(warm.stream().map(v -> v[col]).toList()), "ms");
            }
            if (peer instanceof GreenMailPeer g) { // smoke: the same start serves commands and idle
                g.deliverOnly(u -> u.equals("bigbox") || options.smoke() && (u.equals("cmd") || u.startsWith("idle")));
            }
            peer.restart();
            double[] first = bigboxSession(peer, 0);
            for (int k = 0; k < 3; k++) {
                results.add(peer, round, s, names[k] + " of " + messages + " messages, first after restart", first[k], "ms");
            }
        } catch (BenchClient.WrongAnswer wrong) {
            checker.fail(peer, wrong.getMessage());
        }
    }

    /** A fresh server for a cold scenario; smoke runs save the restart (their figures are not compared). */
    private void fresh(Peer peer, java.util.function.Predicate<String> users) throws Exception {
        if (options.smoke()) {
            return;
        }
        if (peer instanceof GreenMailPeer g) {
            g.deliverOnly(users);
        }
        peer.restart();
    }

    void commands(Peer peer, int round) throws Exception {
        fresh(peer, "cmd"::equals);
        List<String> cycle = List.of("STAT", "LIST 1", "UIDL 1", "NOOP");
        List<String> hundred = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hundred.add(cycle.get(i % cycle.size()));
        }
        try (BenchClient c = BenchClient.connect(source(0), peer.port, TIMEOUT_MILLIS, 64 * 1024)) {
            BenchClient.expectOk("greeting", c.status());
            c.ok("USER cmd");
            c.ok("PASS " + Corpus.password("cmd"));
            long t0 = System.nanoTime();
            for (String command : hundred) {
                c.ok(command);
            }
            long t1 = System.nanoTime();
            c.sendAll(hundred);
            for (String command : hundred) {
                BenchClient.expectOk(command + " (pipelined)", c.status());
            }
            long t2 = System.nanoTime();
            c.ok("QUIT");
            results.add(peer, round, "commands", "100 commands one at a time, first session after start", (t1 - t0) / 1e6, "ms");
            results.add(peer, round, "commands", "100 commands pipelined, same session", (t2 - t1) / 1e6, "ms");
            checker.checked(peer);
        } catch (BenchClient.WrongAnswer wrong) {
            checker.fail(peer, wrong.getMessage());
        }
    }

    void idle(Peer peer, int round) throws Exception {
        int n = Math.min(options.idleSessions(), corpus.idleUsers().size());
        fresh(peer, u -> u.startsWith("idle"));
        Thread.sleep(options.smoke() ? 200 : 1000);
        long pss0 = ProcTree.pssKib(peer.pid());
        long rss0 = ProcTree.rssKib(peer.pid());
        List<BenchClient> open = Collections.synchronizedList(new ArrayList<>(n));
        AtomicLong failed = new AtomicLong();
        AtomicLong next = new AtomicLong();
        List<Thread> openers = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int t = 0; t < IDLE_OPENERS; t++) {
                openers.add(started(() -> {
                    for (long i; (i = next.getAndIncrement()) < n; ) {
                        String user = corpus.idleUsers().get((int) i);
                        BenchClient c = null;
                        try {
                            c = BenchClient.connect(source((int) i), peer.port, TIMEOUT_MILLIS, 512);
                            BenchClient.expectOk("greeting", c.status());
                            c.ok("USER " + user);
                            c.ok("PASS " + Corpus.password(user));
                            open.add(c);
                        } catch (IOException e) {
                            if (failed.incrementAndGet() <= 3) {
                                System.err.println(peer.name + ": idle session " + i + ": " + e);
                            }
                            if (c != null) {
                                c.close();
                            }
                        }
                    }
                }));
            }
            for (Thread t : openers) {
                t.join();
            }
            double openSeconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(options.smoke() ? 200 : 1000);
            long pss1 = ProcTree.pssKib(peer.pid());
            long rss1 = ProcTree.rssKib(peer.pid());
            int held = open.size();
            String s = "idle";
            results.add(peer, round, s, "PSS per idle logged-in session", held == 0 ? Double.NaN : (pss1 - pss0) / (double) held, "KiB");
            results.add(peer, round, s, "RSS per idle logged-in session", held == 0 ? Double.NaN : (rss1 - rss0) / (double) held, "KiB");
            results.add(peer, round, s, "sessions held", held, "");
            results.add(peer, round, s, "PSS of the tree before", pss0 / 1024.0, "MiB");
            results.add(peer, round, s, "PSS of the tree with them", pss1 / 1024.0, "MiB");
            results.add(peer, round, s, "RSS of the tree with them", rss1 / 1024.0, "MiB");
            results.add(peer, round, s, "processes in the tree with them", ProcTree.size(peer.pid()), "");
            results.add(peer, round, s, "logins per second while opening", held / openSeconds, "1/s");
            if (failed.get() > 0 && peer.strict()) {
                System.err.println(peer.name + ": " + failed.get() + " idle sessions failed to log in");
            }
        } finally {
            open.forEach(BenchClient::close);
        }
    }

    /** pop3d only: GET CCU datagrams with the correct token at a fixed rate while 8 clients run sessions. */
    void conf1Flood(Pop3dPeer peer, int round) throws Exception {
        double seconds = options.seconds();
        Load quiet = load(peer, 8, seconds, round * 13L);
        byte[] request = (Pop3dPeer.TOKEN + " GET CCU\r\n").getBytes(StandardCharsets.US_ASCII);
        AtomicLong answered = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        try (DatagramSocket udp = new DatagramSocket(0, BenchClient.loopback())) {
            udp.setReceiveBufferSize(8 << 20);
            long serverDrops0 = udpDrops(peer.conf1Port());
            long clientDrops0 = udpDrops(udp.getLocalPort());
            udp.setSoTimeout(200);
            Thread receiver = started(() -> {
                byte[] buf = new byte[512];
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                while (!stop.get()) {
                    try {
                        udp.receive(packet);
                        if (packet.getLength() > 4 && buf[0] == '+') {
                            answered.incrementAndGet();
                        }
                    } catch (IOException timeout) {
                        // keep waiting until told to stop
                    }
                }
            });
            Thread flooder = started(() -> {
                DatagramPacket packet = new DatagramPacket(request, request.length, BenchClient.loopback(), peer.conf1Port());
                long begin = System.nanoTime();
                long end = begin + (long) (seconds * 1e9);
                while (true) {
                    long now = System.nanoTime();
                    if (now >= end) {
                        break;
                    }
                    long due = (long) ((now - begin) / 1e9 * options.floodRate());
                    while (sent.get() < due) {
                        try {
                            udp.send(packet);
                        } catch (IOException e) {
                            // counted as sent and unanswered
                        }
                        sent.incrementAndGet();
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(500_000);
                }
            });
            Load flooded = load(peer, 8, seconds, round * 17L);
            flooder.join();
            long wait = System.nanoTime() + 3_000_000_000L;
            while (answered.get() < sent.get() && System.nanoTime() < wait) {
                Thread.sleep(20);
            }
            stop.set(true);
            receiver.join();
            long serverDrops = udpDrops(peer.conf1Port()) - serverDrops0;
            long clientDrops = udpDrops(udp.getLocalPort()) - clientDrops0;
            String s = "conf1flood";
            double p99Quiet = percentile(quiet.sessionNanos(), 99) / 1e6;
            double p99Flood = percentile(flooded.sessionNanos(), 99) / 1e6;
            results.add(peer, round, s, "GET CCU requests sent", sent.get(), "");
            results.add(peer, round, s, "GET CCU requests per second", sent.get() / seconds, "1/s");
            results.add(peer, round, s, "requests answered", answered.get(), "");
            results.add(peer, round, s, "requests unanswered", sent.get() - answered.get(), "");
            results.add(peer, round, s, "requests dropped by the kernel at the server's socket (/proc/net/udp)", serverDrops, "");
            results.add(peer, round, s, "replies dropped at the client's socket", clientDrops, "");
            results.add(peer, round, s, "POP3 session p99 without flood (8 clients)", p99Quiet, "ms");
            results.add(peer, round, s, "POP3 session p99 with flood (8 clients)", p99Flood, "ms");
            results.add(peer, round, s, "p99 with / without", p99Flood / p99Quiet, "x");
            results.add(peer, round, s, "sessions/s without flood", quiet.sessions() / quiet.seconds(), "1/s");
            results.add(peer, round, s, "sessions/s with flood", flooded.sessions() / flooded.seconds(), "1/s");
        }
    }

    /** The drops column of /proc/net/udp for the socket bound to 127.0.0.1:port (0 if none). */
    static long udpDrops(int port) throws IOException {
        String local = String.format("0100007F:%04X", port);
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/udp"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 12 && f[1].equals(local)) {
                return Long.parseLong(f[f.length - 1]);
            }
        }
        return 0;
    }

    void startup(Pop3dPeer peer, int round) throws Exception {
        List<Double> starts = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        for (int i = 0; i < (options.smoke() ? 1 : 5); i++) { // interleaved: with the AppCDS archive, without
            starts.add(peer.restart());
            peer.useArchive(false);
            try {
                plain.add(peer.restart());
            } finally {
                peer.useArchive(true);
            }
        }
        peer.restart(); // the next scenario gets the server as the image runs it
        results.add(peer, round, "startup", "process start to first +OK (median of " + starts.size() + ")", median(starts), "ms");
        results.add(peer, round, "startup", "process start to first +OK, fastest", Collections.min(starts), "ms");
        results.add(peer, round, "startup", "without the AppCDS archive: process start to first +OK (median of " + plain.size() + ")",
                median(plain), "ms");
    }

    /** The JDK's "profile" settings, with thread CPU loads every second (not every 10 s: a step is shorter). */
    private static String profileSettings(Path dir) {
        try {
            Path jdk = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
            String text = java.nio.file.Files.readString(jdk);
            String tuned = text.replaceAll("(?s)(<event name=\"jdk.ThreadCPULoad\">.*?<setting name=\"period\">)[^<]*(</setting>)",
                    "$11 s$2");
            Path file = dir.resolve("profile-1s-cpu.jfc");
            java.nio.file.Files.writeString(file, tuned);
            return file.toString();
        } catch (java.io.IOException e) {
            return "profile";
        }
    }

    private static void jcmd(long pid, String... command) {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        line.addAll(List.of(command));
        try {
            Peer.run(line);
        } catch (Exception e) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + e.getMessage(), e);
        }
    }

    private static Thread started(Runnable body) {
        Thread thread = new Thread(body);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static double percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}

package dev.pop3d.load.faults;

import dev.pop3d.load.client.Pop3Client;
import dev.pop3d.load.faults.Model.Msg;
import dev.pop3d.load.faults.Model.State;
import dev.pop3d.load.faults.Violations.Kind;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One server process with its own data and Maildirs, driven through the phases one round at a
 * time: a real session, a SIGKILL (by this harness, or by an armed crash point inside the server),
 * a restart, an immediate login to the same mailbox, and a {@link Checker check} of that maildrop.
 */
final class Lane {
    private static final int TIMEOUT_MILLIS = 20_000;
    private final int number;
    /** The process serving the lane now, and a spare started meanwhile on the same Maildirs. */
    private ServerNode node;
    private ServerNode spare;
    private final java.util.concurrent.ExecutorService starter;
    private java.util.concurrent.Future<?> spareReady;
    private final Model model;
    private final List<String> users;
    private final Path arm;
    private final Random random;
    private final Map<Phase, PhaseStats> stats;
    private final long deadlineNanos;
    private int round;
    private int updateRounds;

    Lane(int number, ServerNode node, ServerNode spare, Model model, List<String> users, Path arm, long seed,
         Map<Phase, PhaseStats> stats, long deadlineNanos) {
        this.number = number;
        this.node = node;
        this.spare = spare;
        this.starter = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "lane-" + number + "-starter");
            thread.setDaemon(true);
            return thread;
        });
        this.model = model;
        this.users = users;
        this.arm = arm;
        this.random = new Random(seed);
        this.stats = stats;
        this.deadlineNanos = deadlineNanos;
    }

    /** Runs {@code kills} rounds of each phase (interleaved), or until the deadline. */
    void run(Map<Phase, Integer> kills) throws IOException, InterruptedException {
        Files.deleteIfExists(arm);
        node.start();
        spareReady = starter.submit(() -> {
            spare.start();
            return null;
        });
        Map<Phase, Integer> left = new EnumMap<>(kills);
        while (left.values().stream().anyMatch(n -> n > 0) && System.nanoTime() < deadlineNanos) {
            for (Phase phase : left.keySet()) {
                if (left.get(phase) > 0 && System.nanoTime() < deadlineNanos) {
                    if (round(phase)) {
                        left.merge(phase, -1, Integer::sum);
                    }
                }
            }
        }
        awaitSpare();
        node.stop();
        spare.stop();
        starter.shutdown();
    }

    /**
     * After a kill: the spare (a fresh process, started while the killed one still served, on the
     * same Maildir root with its own data directory) serves now; the killed one is restarted as
     * the next spare. The restart of a JVM is thus off the path from kill to next login, as with a
     * second replica; each process is restarted on its own data directory.
     */
    private void next() throws IOException, InterruptedException {
        awaitSpare();
        ServerNode killed = node;
        node = spare;
        spare = killed;
        spareReady = starter.submit(() -> {
            killed.start();
            return null;
        });
    }

    private void awaitSpare() throws IOException, InterruptedException {
        try {
            spareReady.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("spare server did not start", e.getCause());
        }
    }

    /** One round; true if it ended in a kill of this phase. */
    private boolean round(Phase phase) throws IOException, InterruptedException {
        String user = users.get(round++ % users.size());
        String context = "lane " + number + " " + phase.label + " round " + round;
        PhaseStats s = stats.get(phase);
        for (int i = random.nextInt(3); i > 0; i--) {
            model.deliver(user, 200 + random.nextInt(6000), random);
        }
        boolean killed;
        try {
            killed = switch (phase) {
                case LOGIN -> login(user, s);
                case RETR -> retr(user, s);
                case DELE -> dele(user, s);
                case UPDATE -> updateRounds++ % 2 == 0 ? quitKilled(user, s) : quitCrash(user, s, context);
                case INDEX -> index(user, s, context);
                case TAKEOVER -> takeover(user, s, context);
            };
        } catch (IOException e) {
            // a session that fails without a kill of ours: the server misbehaved; start afresh
            s.violations.add(Kind.SESSION, context + ": " + e);
            if (node.alive()) {
                node.kill();
            }
            Files.deleteIfExists(arm);
            next();
            return false;
        }
        if (!killed) {
            return false;
        }
        s.kill();
        long dead = System.nanoTime();
        Files.deleteIfExists(arm);
        next();
        verify(user, s, context, dead);
        return true;
    }

    private Pop3Client loggedIn(String user, PhaseStats s) throws IOException {
        s.session();
        Pop3Client client = Pop3Client.connect("127.0.0.1", node.port(), TIMEOUT_MILLIS);
        client.greeting();
        client.command("USER " + user);
        Pop3Client.Reply pass = client.command("PASS pw-" + user);
        if (!pass.ok()) {
            client.close();
            throw new IOException("login of " + user + " refused: " + pass.line());
        }
        return client;
    }

    /** Killed right after PASS went out: before, while or after the server answers. */
    private boolean login(String user, PhaseStats s) throws IOException, InterruptedException {
        s.session();
        try (Pop3Client client = Pop3Client.connect("127.0.0.1", node.port(), TIMEOUT_MILLIS)) {
            client.greeting();
            client.command("USER " + user);
            client.send("PASS pw-" + user);
            spin(random.nextInt(15_000));
            node.kill();
        }
        return true;
    }

    /** Killed in the middle of a large message's stream. */
    private boolean retr(String user, PhaseStats s) throws IOException, InterruptedException {
        Msg large = model.deliver(user, 200_000 + random.nextInt(800_000), random);
        try (Pop3Client client = loggedIn(user, s)) {
            int count = client.multiLine("UIDL").lines().size();
            client.send("RETR " + count); // the newest name sorts last: the large one
            client.readStatus();
            client.readRaw(1 + random.nextInt(large.length / 2));
            node.kill();
        }
        return true;
    }

    /** Killed after DELE(s), with or without their answers, before any QUIT: nothing may go. */
    private boolean dele(String user, PhaseStats s) throws IOException, InterruptedException {
        try (Pop3Client client = loggedIn(user, s)) {
            List<Integer> marked = markSome(client, user, 1 + random.nextInt(3)).numbers;
            client.pipeline(marked.stream().map(n -> "DELE " + n).toList());
            for (int i = random.nextInt(marked.size() + 1); i > 0; i--) {
                client.readStatus();
            }
            node.kill();
        }
        return true;
    }

    /** DELE(s), QUIT, SIGKILL a moment later: gone if the +OK came, else either way. */
    private boolean quitKilled(String user, PhaseStats s) throws IOException, InterruptedException {
        try (Pop3Client client = loggedIn(user, s)) {
            Marks marks = markSome(client, user, 1 + random.nextInt(3));
            dele(client, marks);
            client.send("QUIT");
            boolean acknowledged = false;
            client.timeout(1 + random.nextInt(12));
            try {
                acknowledged = client.readStatus().ok();
            } catch (SocketTimeoutException | java.io.EOFException notYet) {
                // killed before the answer
            }
            node.kill();
            if (!acknowledged) {
                client.timeout(300);
                try {
                    acknowledged = client.readStatus().ok(); // the answer may have left just before the kill
                } catch (IOException none) {
                    // no answer: the marks may or may not have been applied
                }
            }
            for (Msg msg : marks.messages) {
                model.mark(msg, acknowledged ? State.GONE : State.MAYBE);
            }
        }
        return true;
    }

    /** DELE(s), QUIT, and the server kills itself inside UPDATE: the durable journal must be replayed. */
    private boolean quitCrash(String user, PhaseStats s, String context) throws IOException, InterruptedException {
        return deleThenCrashingQuit(user, s, context, 2 + random.nextInt(3), Phase.UPDATE);
    }

    /**
     * DELE of {@code count} messages, then QUIT with the crash points of {@code phase} armed. A crash
     * at any of them comes after the journal is durable, so the marked messages must end up gone.
     */
    private boolean deleThenCrashingQuit(String user, PhaseStats s, String context, int count, Phase phase)
            throws IOException, InterruptedException {
        try (Pop3Client client = loggedIn(user, s)) {
            Marks marks = markSome(client, user, count);
            if (marks.messages.isEmpty()) {
                client.command("QUIT");
                return false;
            }
            dele(client, marks);
            arm(phase);
            client.send("QUIT");
            if (!crashed(s, context)) {
                return false;
            }
            for (Msg msg : marks.messages) {
                model.mark(msg, State.GONE); // journal-written and later (the index after the unlinks): durable
            }
        }
        return true;
    }

    /** The index rewrite of a login (new mail) or of an UPDATE dies between its steps. */
    private boolean index(String user, PhaseStats s, String context) throws IOException, InterruptedException {
        if (random.nextBoolean()) {
            model.deliver(user, 200 + random.nextInt(3000), random);
            arm(Phase.INDEX);
            s.session();
            try (Pop3Client client = Pop3Client.connect("127.0.0.1", node.port(), TIMEOUT_MILLIS)) {
                client.greeting();
                client.command("USER " + user);
                client.send("PASS pw-" + user);
                return crashed(s, context);
            }
        }
        return deleThenCrashingQuit(user, s, context, 1 + random.nextInt(2), Phase.INDEX);
    }

    /**
     * A session holds the lock and the server is SIGKILLed (the lock stays); the restarted server's
     * login takes the stale lock over and dies between the steps of that take-over.
     */
    private boolean takeover(String user, PhaseStats s, String context) throws IOException, InterruptedException {
        try (Pop3Client client = loggedIn(user, s)) {
            node.kill();
        }
        s.setupKill();
        if (!Files.exists(model.maildir(user).resolve("pop3d.lock"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            s.violations.add(Kind.NEXT_LOGIN, context + ": the killed session left no lock to take over");
        }
        next();
        arm(Phase.TAKEOVER);
        s.session();
        try (Pop3Client client = Pop3Client.connect("127.0.0.1", node.port(), TIMEOUT_MILLIS)) {
            client.greeting();
            client.command("USER " + user);
            client.send("PASS pw-" + user);
            return crashed(s, context);
        }
    }

    /** Waits for the armed server to die; records which crash point fired. */
    private boolean crashed(PhaseStats s, String context) throws IOException, InterruptedException {
        if (!node.awaitDeath(15_000)) {
            Files.deleteIfExists(arm);
            s.violations.add(Kind.NEXT_LOGIN, context + ": armed crash point did not fire within 15 s");
            node.kill();
            return true;
        }
        s.crashPoint(node.firedCrashPoint().orElse("(none: exit " + node.exitValue() + ")"));
        return true;
    }

    /** After a kill: the same mailbox at once, then the check, then some clean-up deletions. */
    private void verify(String user, PhaseStats s, String context, long deadNanos) throws IOException {
        s.session();
        s.check();
        Pop3Client client = Pop3Client.connect("127.0.0.1", node.port(), TIMEOUT_MILLIS);
        try {
            client.greeting();
            client.command("USER " + user);
            Pop3Client.Reply pass = client.command("PASS pw-" + user);
            if (!pass.ok()) {
                s.violations.add(Kind.NEXT_LOGIN, context + ": " + pass.line());
                return;
            }
            s.nextLogin((System.nanoTime() - deadNanos) / 1e6);
            List<Msg> messages = Checker.check(model, user, client, s.violations, random, context);
            cleanUp(client, messages);
        } finally {
            client.close();
        }
    }

    /** Keeps mailboxes small: large messages and all but the newest few go, by a checked QUIT. */
    private void cleanUp(Pop3Client client, List<Msg> messages) throws IOException {
        List<Integer> numbers = new ArrayList<>();
        List<Msg> marked = new ArrayList<>();
        int keep = 3 + random.nextInt(6);
        for (int i = 0; i < messages.size(); i++) {
            Msg msg = messages.get(i);
            if (msg != null && (msg.length > 100_000 || i < messages.size() - keep)) {
                numbers.add(i + 1);
                marked.add(msg);
            }
        }
        for (int n : numbers) {
            client.command("DELE " + n);
        }
        boolean ok = client.command("QUIT").ok();
        for (Msg msg : marked) {
            model.mark(msg, ok ? State.GONE : State.MAYBE);
        }
    }

    private record Marks(List<Integer> numbers, List<Msg> messages) {}

    /** Chooses up to {@code wanted} messages whose UID is known (so each mark names a model message). */
    private Marks markSome(Pop3Client client, String user, int wanted) throws IOException {
        Map<String, Msg> byUid = new HashMap<>();
        for (Msg msg : model.of(user)) {
            if (msg.uid != null && msg.state != State.GONE) {
                byUid.put(msg.uid, msg);
            }
        }
        List<String> lines = client.multiLine("UIDL").lines();
        List<Integer> numbers = new ArrayList<>();
        List<Msg> messages = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        for (int i : order) {
            String uid = lines.get(i).substring(lines.get(i).indexOf(' ') + 1);
            Msg msg = byUid.get(uid);
            if (msg != null && numbers.size() < wanted) {
                numbers.add(i + 1);
                messages.add(msg);
            }
        }
        return new Marks(numbers, messages);
    }

    private static void dele(Pop3Client client, Marks marks) throws IOException {
        for (int n : marks.numbers) {
            client.command("DELE " + n);
        }
    }

    private void arm(Phase phase) throws IOException {
        Files.writeString(arm, String.join(",", phase.crashPoints));
    }

    private static void spin(long micros) {
        long until = System.nanoTime() + micros * 1000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}

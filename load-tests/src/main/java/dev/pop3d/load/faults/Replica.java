package dev.pop3d.load.faults;

import dev.pop3d.load.client.Pop3Client;
import dev.pop3d.load.faults.Model.Msg;
import dev.pop3d.load.faults.Model.State;
import dev.pop3d.load.faults.Violations.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The replica case: two server processes on one Maildir root, clients logging in to the same few
 * mailboxes through either at random, and either process SIGKILLed at random (then restarted).
 * Per mailbox, the interval [PASS {@code +OK} received, QUIT sent or the kill] of every session
 * lies inside its real lock hold; if two ever overlap, the lock failed. Then the model check.
 */
final class Replica {
    /** One life of one process: sessions opened in it end at its kill at the latest. */
    private static final class Life {
        volatile long killedAt;
    }

    /** One session's part of a lock hold; {@code how} it ended (quit, kill, last answer), pid, wall start. */
    private record Interval(String node, long start, long end, String how, long pid, long wallStartMillis) {}

    private final ServerNode[] nodes;
    private final List<AtomicReference<Life>> lives = List.of(new AtomicReference<>(new Life()),
            new AtomicReference<>(new Life()));
    private final Model model;
    private final List<String> users;
    private final long seed;
    private final Violations violations = new Violations();
    private final Map<String, List<Interval>> intervals = new ConcurrentHashMap<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger kills = new AtomicInteger();
    private final AtomicInteger broken = new AtomicInteger();
    private volatile long endNanos;

    Replica(ServerNode a, ServerNode b, Model model, List<String> users, long seed) {
        this.nodes = new ServerNode[] {a, b};
        this.model = model;
        this.users = users;
        this.seed = seed;
    }

    Violations violations() {
        return violations;
    }

    /** Runs for {@code seconds}, then checks; returns the report line. */
    String run(int seconds, int clients) throws Exception {
        Random random = new Random(seed);
        for (String user : users) {
            for (int i = 0; i < 4; i++) {
                model.deliver(user, 200 + random.nextInt(4000), random);
            }
        }
        for (ServerNode node : nodes) {
            node.start();
        }
        long started = System.nanoTime();
        endNanos = started + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long clientSeed = seed * 31 + c;
            threads.add(new Thread(() -> clientLoop(new Random(clientSeed))));
        }
        threads.add(new Thread(() -> killerLoop(new Random(seed * 17))));
        threads.add(new Thread(() -> deliveryLoop(new Random(seed * 13))));
        for (Thread thread : threads) {
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (ServerNode node : nodes) {
            node.stop();
        }
        int overlaps = overlaps();
        int checks = finalCheck(random);
        int total = intervals.values().stream().mapToInt(List::size).sum();
        return String.format("replica: %d s, 2 processes, %d mailboxes, kills %d, sessions %d (%d [IN-USE], %d cut "
                        + "by a kill), lock intervals %d, overlaps %d, checks %d, violations %d (%s)",
                (System.nanoTime() - started) / 1_000_000_000L, users.size(), kills.get(), sessions.get(),
                inUse.get(), broken.get(), total, overlaps, checks, violations.total(),
                violations.summary(List.of(Kind.LOST, Kind.DUPLICATED, Kind.TRUNCATED, Kind.QUIT_NOT_APPLIED,
                        Kind.UID_CHANGED, Kind.LISTING, Kind.LEFTOVER, Kind.LOCK_OVERLAP, Kind.SESSION)));
    }

    private void clientLoop(Random random) {
        while (System.nanoTime() < endNanos) {
            int which = random.nextInt(2);
            String user = users.get(random.nextInt(users.size()));
            try {
                session(which, user, random);
            } catch (IOException | RuntimeException e) {
                violations.add(Kind.SESSION, "replica " + nodes[which].name() + " " + user + ": " + e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void session(int which, String user, Random random) throws IOException, InterruptedException {
        Life before = lives.get(which).get();
        ServerNode node = nodes[which];
        Pop3Client client;
        try {
            client = Pop3Client.connect("127.0.0.1", node.port(), 10_000);
        } catch (IOException down) {
            Thread.sleep(10); // restarting
            return;
        }
        sessions.incrementAndGet();
        long start = 0;
        long lastAnswer = 0;
        long wallStart = 0;
        long pid = 0;
        List<Msg> marked = new ArrayList<>();
        boolean quitSent = false;
        try (client) {
            client.greeting();
            client.command("USER " + user);
            Pop3Client.Reply pass = client.command("PASS pw-" + user);
            if (!pass.ok()) {
                if (pass.line().contains("[IN-USE]")) {
                    inUse.incrementAndGet();
                } else {
                    violations.add(Kind.SESSION, "replica " + node.name() + " " + user + ": " + pass.line());
                }
                Thread.sleep(random.nextInt(20));
                return;
            }
            start = System.nanoTime();
            wallStart = System.currentTimeMillis();
            pid = node.pid();
            lastAnswer = start;
            if (lives.get(which).get() != before) {
                start = 0; // restarted between connect and now: whose session it was is unclear; not counted
                return;
            }
            List<String> uids = client.multiLine("UIDL").lines();
            lastAnswer = System.nanoTime();
            if (!uids.isEmpty()) {
                int n = 1 + random.nextInt(uids.size());
                Pop3Client.MultiLine top = client.multiLine("TOP " + n + " 0");
                lastAnswer = System.nanoTime();
                String id = top.ok() ? Model.idOf(top.body()) : null;
                Msg msg = id == null ? null : model.get(id);
                if (msg != null) {
                    Checker.observeUid(msg, uids.get(n - 1).substring(uids.get(n - 1).indexOf(' ') + 1), violations,
                            "replica " + node.name());
                    if (uids.size() > 3 && random.nextInt(3) > 0 && client.command("DELE " + n).ok()) {
                        marked.add(msg);
                    }
                }
                lastAnswer = System.nanoTime();
            }
            Thread.sleep(random.nextInt(60));
            long end = System.nanoTime();
            long begun = start;
            start = 0;
            quitSent = true;
            boolean ok;
            try {
                client.send("QUIT");
                ok = client.readStatus().ok();
            } finally {
                // Killed while this client was idle, before it sent QUIT: the hold ended at the kill.
                long killedAt = before.killedAt;
                record(user, killedAt != 0 && killedAt < end
                        ? new Interval(node.name(), begun, killedAt, "kill while idle", pid, wallStart)
                        : new Interval(node.name(), begun, end, "quit", pid, wallStart));
            }
            for (Msg msg : marked) {
                model.mark(msg, ok ? State.GONE : State.MAYBE);
            }
        } catch (IOException cut) {
            Life life = before;
            long killedAt = life.killedAt;
            if (start != 0) {
                // the session ended inside its hold: at the kill, or (not a kill) at its last answer
                record(user, new Interval(node.name(), start, killedAt != 0 ? killedAt : lastAnswer,
                        killedAt != 0 ? "kill" : "last answer", pid, wallStart));
            }
            if (killedAt != 0) {
                broken.incrementAndGet();
            } else {
                violations.add(Kind.SESSION, "replica " + node.name() + " " + user + " without a kill: " + cut);
            }
            if (quitSent) {
                for (Msg msg : marked) {
                    model.mark(msg, State.MAYBE);
                }
            }
        }
    }

    private void record(String user, Interval interval) {
        if (interval.end() > interval.start()) {
            intervals.computeIfAbsent(user, u -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(interval);
        }
    }

    private void killerLoop(Random random) {
        try {
            while (true) {
                long pause = 300 + random.nextInt(2200);
                if (System.nanoTime() + pause * 1_000_000 >= endNanos) {
                    return;
                }
                Thread.sleep(pause);
                int which = random.nextInt(2);
                Life life = lives.get(which).get();
                life.killedAt = System.nanoTime();
                nodes[which].kill();
                kills.incrementAndGet();
                lives.get(which).set(new Life());
                nodes[which].start();
            }
        } catch (IOException e) {
            violations.add(Kind.SESSION, "replica restart failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliveryLoop(Random random) {
        try {
            while (System.nanoTime() < endNanos) {
                Thread.sleep(100 + random.nextInt(200));
                model.deliver(users.get(random.nextInt(users.size())), 200 + random.nextInt(4000), random);
            }
        } catch (IOException | InterruptedException e) {
            violations.add(Kind.SESSION, "replica delivery failed: " + e);
        }
    }

    /** Per mailbox, sorted by start, no interval may begin before every earlier one has ended. */
    private int overlaps() {
        int found = 0;
        for (var entry : intervals.entrySet()) {
            List<Interval> list = new ArrayList<>(entry.getValue());
            list.sort(Comparator.comparingLong(Interval::start));
            Interval latest = null;
            for (Interval interval : list) {
                if (latest != null && interval.start() < latest.end()) {
                    found++;
                    violations.add(Kind.LOCK_OVERLAP, entry.getKey() + ": " + latest.node() + " (pid " + latest.pid()
                            + ", login " + java.time.Instant.ofEpochMilli(latest.wallStartMillis()) + ", ended by "
                            + latest.how() + ") held until " + (latest.end() - interval.start()) / 1000 + " us after "
                            + interval.node() + " (pid " + interval.pid() + ") logged in at "
                            + java.time.Instant.ofEpochMilli(interval.wallStartMillis()));
                }
                if (latest == null || interval.end() > latest.end()) {
                    latest = interval;
                }
            }
        }
        return found;
    }

    /** After both stopped: one process alone, each mailbox checked against the model. */
    private int finalCheck(Random random) throws IOException, InterruptedException {
        ServerNode node = nodes[0];
        node.start();
        int checks = 0;
        try {
            for (String user : users) {
                try (Pop3Client client = Pop3Client.connect("127.0.0.1", node.port(), 20_000)) {
                    client.greeting();
                    client.command("USER " + user);
                    Pop3Client.Reply pass = client.command("PASS pw-" + user);
                    if (!pass.ok()) {
                        violations.add(Kind.NEXT_LOGIN, "replica final check " + user + ": " + pass.line());
                        continue;
                    }
                    Checker.check(model, user, client, violations, random, "replica final check");
                    client.command("QUIT");
                    checks++;
                }
            }
        } finally {
            node.stop();
        }
        return checks;
    }

    static Path usersDir(Path work) throws IOException {
        return Files.createDirectories(work.resolve("replica"));
    }
}

package dev.pop3d.transcript;

import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MessageRef;
import dev.pop3d.pop3.protocol.Capabilities;
import dev.pop3d.pop3.protocol.CommandParser;
import dev.pop3d.pop3.protocol.Compliance;
import dev.pop3d.mailcodec.CrlfOctets;
import dev.pop3d.mailcodec.DotStuffer;
import dev.pop3d.pop3.protocol.ParsedLine;
import dev.pop3d.pop3.protocol.Reply;
import dev.pop3d.pop3.protocol.ReplyEncoder;
import dev.pop3d.pop3.protocol.TopLimiter;
import dev.pop3d.pop3.driver.Effects;
import dev.pop3d.pop3.driver.SessionDriver;
import dev.pop3d.pop3.driver.StreamOutcome;
import dev.pop3d.pop3.session.Action;
import dev.pop3d.pop3.session.AuthOutcome;
import dev.pop3d.pop3.session.SessionMachine;
import dev.pop3d.pop3.session.State;
import dev.pop3d.pop3.session.Step;
import dev.pop3d.testing.Pop3Conversation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The pure layers (framer, parser, session machine, dot-stuffer) with an in-memory maildrop and
 * no sockets: the third way every script runs (STYLE.md §4). It does what the shell does with
 * actions, synchronously.
 */
final class InProcessServer implements TranscriptRunner.Fixtures, TranscriptRunner.Connector {
    /** The server's mechanisms; its users are PLAIN, so SCRAM fails for them as on the real server. */
    private final SessionMachine machine = new SessionMachine(
            new Capabilities(0, false, false, List.of("PLAIN", "LOGIN"), List.of("SCRAM-SHA-256")),
            new CommandParser(Compliance.DEFAULTS),
            List.of(new dev.pop3d.auth.sasl.ScramSha256Mechanism(user -> java.util.Optional.empty()),
                    new dev.pop3d.auth.sasl.PlainMechanism(), new dev.pop3d.auth.sasl.LoginMechanism()));
    private final CommandParser parser = new CommandParser(Compliance.DEFAULTS);
    private final Map<String, String> passwords = new HashMap<>();
    private final Map<String, List<byte[]>> mail = new HashMap<>();
    private final Set<String> locked = new HashSet<>();

    @Override
    public void user(String name, String password) {
        passwords.put(name, password);
        mail.putIfAbsent(name, new ArrayList<>());
    }

    @Override
    public void mail(String user, int number, byte[] message) {
        mail.computeIfAbsent(user, u -> new ArrayList<>()).add(message);
    }

    @Override
    public Pop3Conversation open() {
        return new Conversation();
    }

    /** A snapshot of one user's messages, locked for the session. */
    private final class MemoryDrop implements Maildrop {
        private final String user;
        private final List<byte[]> snapshot;
        private final List<MessageRef> refs = new ArrayList<>();
        private boolean ended;

        MemoryDrop(String user) {
            this.user = user;
            this.snapshot = List.copyOf(mail.get(user));
            for (int i = 0; i < snapshot.size(); i++) {
                refs.add(new MessageRef(i + 1, "uid-" + System.identityHashCode(snapshot.get(i)), CrlfOctets.of(snapshot.get(i))));
            }
        }

        public String user() { return user; }

        public List<MessageRef> messages() { return refs; }

        public Path path(MessageRef message) { throw new UnsupportedOperationException("in memory"); }

        byte[] bytes(MessageRef message) { return snapshot.get(message.number() - 1); }

        public void commit(Set<Integer> deleted) {
            if (!ended) {
                deleted.forEach(n -> mail.get(user).remove(snapshot.get(n - 1)));
                release();
            }
        }

        public void release() {
            ended = true;
            locked.remove(user);
        }
    }

    /** The production driver on in-memory effects: the same loop, limits and back-pressure rules. */
    private final class Conversation implements Pop3Conversation, Effects {
        private final ByteArrayOutputStream output = new ByteArrayOutputStream();
        private final SessionDriver driver = new SessionDriver(machine, this, new SessionDriver.Limits(10));
        private int read;
        private boolean closed;

        Conversation() {
            driver.start();
        }

        @Override
        public void send(String line) {
            raw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void raw(byte[] bytes) {
            driver.received(bytes, 0, bytes.length);
        }

        // ---- Effects, synchronously in memory

        @Override
        public void write(byte[] bytes) {
            if (!closed) {
                output.writeBytes(bytes);
            }
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public void pauseInput() {}

        @Override
        public void resumeInput() {}

        @Override
        public void end() {
            closed = true;
            driver.closed();
        }

        @Override
        public void close() {
            end();
        }

        @Override
        public void armIdleTimer() {}

        @Override
        public void cancelIdleTimer() {}

        @Override
        public void authenticate(Action.Authenticate auth, Consumer<AuthOutcome> done) {
            boolean right = auth.check() instanceof Action.Check.Password p && p.password().equals(passwords.get(auth.user()));
            if (!right) {
                done.accept(new AuthOutcome.BadCredentials());
                return;
            }
            done.accept(locked.add(auth.user()) ? new AuthOutcome.Success(new MemoryDrop(auth.user()))
                    : new AuthOutcome.InUse());
        }

        @Override
        public void stream(Action.Stream stream, Consumer<StreamOutcome> done) {
            byte[] message = ((MemoryDrop) stream.drop()).bytes(stream.message());
            int length = message.length;
            if (stream.bodyLines().isPresent()) {
                length = new TopLimiter(stream.bodyLines().getAsLong()).accept(message, 0, message.length);
            }
            DotStuffer stuffer = new DotStuffer();
            byte[] body = new byte[DotStuffer.maxOutput(length)];
            write(ReplyEncoder.status(stream.status()));
            output.write(body, 0, stuffer.stuff(message, 0, length, body));
            write(stuffer.finish());
            done.accept(new StreamOutcome.Sent());
        }

        @Override
        public void commit(Action.Commit commit, Consumer<Boolean> done) {
            try {
                commit.drop().commit(commit.marked());
                done.accept(true);
            } catch (dev.pop3d.mailstore.MailstoreException e) {
                done.accept(false);
            }
        }

        @Override
        public void startTls(Consumer<Boolean> done) {
            done.accept(false); // never offered: the in-process server has no certificate
        }

        @Override
        public void release(Maildrop drop) {
            drop.release();
        }

        @Override
        public String line() throws IOException {
            byte[] all = output.toByteArray();
            for (int i = read; i < all.length; i++) {
                if (all[i] == '\n') {
                    int end = i > read && all[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(all, read, end - read, StandardCharsets.ISO_8859_1);
                    read = i + 1;
                    return line;
                }
            }
            if (closed) {
                return "<closed>";
            }
            throw new SocketTimeoutException("the in-process server has nothing more to say");
        }

        @Override
        public byte[] body() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String line = line(); !line.equals("."); line = line()) {
                if (line.equals("<closed>")) {
                    throw new IOException("closed inside a body");
                }
                body.writeBytes((line.startsWith(".") ? line.substring(1) : line).getBytes(StandardCharsets.ISO_8859_1));
                body.writeBytes(new byte[] {'\r', '\n'});
            }
            return body.toByteArray();
        }

    }
}

package dev.pop3d.pop3.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.mailstore.MessageRef;
import dev.pop3d.pop3.protocol.Capabilities;
import dev.pop3d.pop3.protocol.CommandParser;
import dev.pop3d.pop3.protocol.Compliance;
import dev.pop3d.pop3.protocol.ParsedLine;
import dev.pop3d.pop3.protocol.Reply;
import dev.pop3d.pop3.protocol.ReplyEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The state machine, driven by parsed lines, with an in-memory maildrop (our own interface). */
class SessionMachineTest {
    private final SessionMachine machine = new SessionMachine(new Capabilities(0));
    private final CommandParser parser = new CommandParser(Compliance.DEFAULTS);
    private final Maildrop drop = new InMemoryMaildrop(List.of(
            new MessageRef(1, "uid-1", 120), new MessageRef(2, "uid-2", 200), new MessageRef(3, "uid-3", 5)));

    private Step step(State state, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        ParsedLine parsed = parser.parse(bytes, bytes.length);
        return machine.handle(state, parsed);
    }

    private static String text(Step step) {
        return new String(ReplyEncoder.encode(step.reply().orElseThrow()), StandardCharsets.UTF_8);
    }

    private State.Transaction loggedIn() {
        Step user = step(new State.Authorization(), "USER alice");
        Step pass = step(user.next(), "PASS secret");
        assertInstanceOf(Action.Authenticate.class, pass.action());
        assertTrue(pass.reply().isEmpty(), "PASS is answered after the check");
        Step done = machine.authenticated(new AuthOutcome.Success(drop));
        assertEquals("+OK Logged in.\r\n", text(done));
        return (State.Transaction) done.next();
    }

    @Test
    void authorizationAcceptsOnlyUserPassCapaQuit() {
        State start = new State.Authorization();
        for (String cmd : List.of("STAT", "LIST", "RETR 1", "DELE 1", "NOOP", "RSET", "TOP 1 1", "UIDL", "PASS x")) {
            Step s = step(start, cmd);
            assertEquals("-ERR Command not valid in this state\r\n", text(s), cmd);
            assertTrue(s.bad(), cmd);
        }
        // the state is checked before the arguments, as Dovecot does
        assertEquals("-ERR Command not valid in this state\r\n", text(step(start, "RETR x")));
        assertEquals("+OK\r\n", text(step(start, "USER bob")));
        assertInstanceOf(Reply.MultiLine.class, step(start, "CAPA").reply().orElseThrow());
        Step quit = step(start, "QUIT");
        assertEquals("+OK Logging out\r\n", text(quit));
        assertInstanceOf(Action.Close.class, quit.action());
    }

    @Test
    void failedLoginsLookAlikeAndReturnToAuthorization() {
        for (AuthOutcome outcome : List.of(new AuthOutcome.BadCredentials())) {
            Step s = machine.authenticated(outcome);
            assertEquals("-ERR [AUTH] Authentication failed.\r\n", text(s));
            assertInstanceOf(State.Authorization.class, s.next());
        }
        assertEquals("-ERR [IN-USE] Mailbox is locked by another session\r\n",
                text(machine.authenticated(new AuthOutcome.InUse())));
        assertEquals("-ERR [SYS/TEMP] Mailbox is unavailable, try again later\r\n",
                text(machine.authenticated(new AuthOutcome.Unavailable())));
    }

    @Test
    void transactionCommands() {
        State.Transaction t = loggedIn();
        assertEquals("+OK 3 325\r\n", text(step(t, "STAT")));
        assertEquals("+OK 3 messages:\r\n1 120\r\n2 200\r\n3 5\r\n.\r\n", text(step(t, "LIST")));
        assertEquals("+OK 2 200\r\n", text(step(t, "LIST 2")));
        assertEquals("-ERR Message 4 does not exist\r\n", text(step(t, "LIST 4")));
        assertEquals("-ERR Message 0 does not exist\r\n", text(step(t, "RETR 0")));
        assertEquals("+OK\r\n1 uid-1\r\n2 uid-2\r\n3 uid-3\r\n.\r\n", text(step(t, "UIDL")));
        assertEquals("+OK 3 uid-3\r\n", text(step(t, "UIDL 3")));
        Action.Stream retr = (Action.Stream) step(t, "RETR 2").action();
        assertEquals("200 octets", retr.status());
        assertTrue(retr.bodyLines().isEmpty());
        Action.Stream top = (Action.Stream) step(t, "TOP 1 5").action();
        assertEquals(5, top.bodyLines().getAsLong());
        assertEquals("-ERR Command not valid in this state\r\n", text(step(t, "USER x")));
        assertEquals("-ERR Invalid message number: x\r\n", text(step(t, "RETR x")));
    }

    @Test
    void deleMarksRsetClearsQuitCommitsOnlyTheMarks() {
        State.Transaction t = loggedIn();
        assertEquals("+OK Marked to be deleted.\r\n", text(step(t, "DELE 2")));
        assertEquals("-ERR Message 2 is already deleted\r\n", text(step(t, "DELE 2")));
        assertEquals("-ERR Message 2 is already deleted\r\n", text(step(t, "RETR 2")));
        assertEquals("-ERR Message 2 is already deleted\r\n", text(step(t, "LIST 2")));
        assertEquals("+OK 2 125\r\n", text(step(t, "STAT")));
        assertEquals("+OK 2 messages:\r\n1 120\r\n3 5\r\n.\r\n", text(step(t, "LIST")));
        assertEquals("+OK\r\n", text(step(t, "RSET")));
        assertEquals("+OK 3 325\r\n", text(step(t, "STAT")));
        step(t, "DELE 3");
        Step quit = step(t, "QUIT");
        Action.Commit commit = (Action.Commit) quit.action();
        assertEquals(Set.of(3), commit.marked());
        assertInstanceOf(State.Closed.class, quit.next());
        assertEquals("+OK Logging out, messages deleted.\r\n",
                new String(ReplyEncoder.encode(machine.committed(commit, true)), StandardCharsets.UTF_8));
        assertEquals("-ERR [SYS/TEMP] Some deleted messages were not removed\r\n",
                new String(ReplyEncoder.encode(machine.committed(commit, false)), StandardCharsets.UTF_8));
        assertEquals("+OK Logging out.\r\n", new String(ReplyEncoder.encode(
                machine.committed(new Action.Commit(drop, Set.of()), true)), StandardCharsets.UTF_8));
    }

    @Test
    void capaIsTheSameBeforeAndAfterLogin() {
        String before = text(step(new State.Authorization(), "CAPA"));
        String after = text(step(loggedIn(), "CAPA"));
        assertEquals(before, after);
        assertEquals("+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nUSER\r\n"
                + "EXPIRE NEVER\r\nLOGIN-DELAY 0\r\nIMPLEMENTATION pop3d\r\n.\r\n", before);
    }

    @Test
    void greetingHasNoApopTimestamp() {
        String greeting = new String(ReplyEncoder.encode(machine.greeting()), StandardCharsets.UTF_8);
        assertTrue(greeting.startsWith("+OK ") && !greeting.contains("<"), greeting);
    }

    /** A fake of our own interface, for the pure layer. */
    record InMemoryMaildrop(List<MessageRef> messages) implements Maildrop {
        public String user() { return "alice"; }

        public Path path(MessageRef message) { throw new UnsupportedOperationException(); }

        public void commit(Set<Integer> deletedNumbers) {}

        public void release() {}
    }
}

package dev.pop3d.pop3.session;

import dev.pop3d.mailstore.MessageRef;
import dev.pop3d.pop3.protocol.Capabilities;
import dev.pop3d.pop3.protocol.Command;
import dev.pop3d.pop3.protocol.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** TRANSACTION-state handlers (RFC 1939 §5, §7). Each returns a value and touches nothing. */
final class TransactionHandlers {
    private TransactionHandlers() {}

    static Step handle(State.Transaction t, Command command, java.util.function.Supplier<Reply> capa) {
        return switch (command.verb()) {
            case STAT -> Step.reply(t, stat(t));
            case LIST -> Step.reply(t, list(t, (Command.List) command));
            case UIDL -> Step.reply(t, uidl(t, (Command.Uidl) command));
            case RETR -> retr(t, (Command.Retr) command);
            case TOP -> top(t, (Command.Top) command);
            case DELE -> Step.reply(t, dele(t, (Command.Dele) command));
            case NOOP -> Step.reply(t, Reply.ok());
            case RSET -> rset(t);
            case CAPA -> Step.reply(t, capa.get());
            case QUIT -> quit(t);
            case USER, PASS, STLS, AUTH -> Step.bad(t, SessionMachine.NOT_IN_STATE);
        };
    }

    /** RFC 1939 §5: count and size of the messages not marked as deleted. */
    private static Reply stat(State.Transaction t) {
        long count = 0;
        long octets = 0;
        for (MessageRef message : t.drop().messages()) {
            if (!t.marks().isMarked(message.number())) {
                count++;
                octets += message.octets();
            }
        }
        return Reply.ok(count + " " + octets);
    }

    private static Reply list(State.Transaction t, Command.List list) {
        if (list.number().isPresent()) {
            return lookUp(t, list.number().getAsLong()).map(m -> (Reply) Reply.ok(m.number() + " " + m.octets()));
        }
        List<MessageRef> live = live(t);
        return new Reply.MultiLine(live.size() + " messages:", lazily(live, m -> m.number() + " " + m.octets()));
    }

    /** RFC 1939 §7 UIDL. */
    private static Reply uidl(State.Transaction t, Command.Uidl uidl) {
        if (uidl.number().isPresent()) {
            return lookUp(t, uidl.number().getAsLong()).map(m -> (Reply) Reply.ok(m.number() + " " + m.uid()));
        }
        return new Reply.MultiLine("", lazily(live(t), m -> m.number() + " " + m.uid()));
    }

    private static Step retr(State.Transaction t, Command.Retr retr) {
        Lookup found = lookUp(t, retr.number());
        if (found.error() != null) {
            return Step.reply(t, found.error());
        }
        MessageRef m = found.message();
        return Step.silent(t, new Action.Stream(t.drop(), m, m.octets() + " octets", OptionalLong.empty()));
    }

    private static Step top(State.Transaction t, Command.Top top) {
        Lookup found = lookUp(t, top.number());
        if (found.error() != null) {
            return Step.reply(t, found.error());
        }
        return Step.silent(t, new Action.Stream(t.drop(), found.message(), "", OptionalLong.of(top.lines())));
    }

    /** RFC 1939 §5: DELE only marks; the message goes at QUIT. */
    private static Reply dele(State.Transaction t, Command.Dele dele) {
        Lookup found = lookUp(t, dele.number());
        if (found.error() != null) {
            return found.error();
        }
        t.marks().mark(found.message().number());
        return Reply.ok("Marked to be deleted.");
    }

    private static Step rset(State.Transaction t) {
        t.marks().clear();
        return Step.reply(t, Reply.ok());
    }

    /** RFC 1939 §6: QUIT from TRANSACTION enters UPDATE. */
    private static Step quit(State.Transaction t) {
        return Step.silent(new State.Closed(), new Action.Commit(t.drop(), t.marks().numbers()));
    }

    /** The lines are made as the encoder reaches them: a 10,000-message LIST is never built whole. */
    private static List<String> lazily(List<MessageRef> messages, java.util.function.Function<MessageRef, String> line) {
        return new java.util.AbstractList<>() {
            public String get(int index) {
                return line.apply(messages.get(index));
            }

            public int size() {
                return messages.size();
            }
        };
    }

    private static List<MessageRef> live(State.Transaction t) {
        List<MessageRef> live = new ArrayList<>();
        for (MessageRef message : t.drop().messages()) {
            if (!t.marks().isMarked(message.number())) {
                live.add(message);
            }
        }
        return live;
    }

    /** A message number checked against the snapshot and the marks. */
    record Lookup(MessageRef message, Reply.Err error) {
        Reply map(java.util.function.Function<MessageRef, Reply> onFound) {
            return error != null ? error : onFound.apply(message);
        }
    }

    static Lookup lookUp(State.Transaction t, long number) {
        List<MessageRef> messages = t.drop().messages();
        if (number < 1 || number > messages.size()) {
            return new Lookup(null, Reply.err("Message " + number + " does not exist"));
        }
        MessageRef message = messages.get((int) number - 1);
        if (t.marks().isMarked(message.number())) {
            return new Lookup(null, Reply.err("Message " + number + " is already deleted"));
        }
        return new Lookup(message, null);
    }
}

package dev.pop3d.intake.protocol;

import java.util.List;

/**
 * What the machine answers to one input: replies to write now, in order, then an action the
 * driver carries out before the next command is read.
 */
public record Step(List<IntakeReply> replies, Action action) {
    public Step {
        replies = List.copyOf(replies);
    }

    static Step reply(IntakeReply reply) {
        return new Step(List.of(reply), new Action.None());
    }

    /** What follows the replies. */
    public sealed interface Action {
        enum Kind { NONE, LOOKUP, RECEIVE_DATA, CLOSE }

        Kind kind();

        /** Nothing: read the next command. */
        record None() implements Action {
            public Kind kind() { return Kind.NONE; }
        }

        /** Find the user of {@code localPart} (blocking: on a worker), then tell the machine. */
        record Lookup(String address, String localPart) implements Action {
            public Kind kind() { return Kind.LOOKUP; }
        }

        /** The 354 is out: what follows is the message, for these recipients. */
        record ReceiveData(Envelope envelope) implements Action {
            public Kind kind() { return Kind.RECEIVE_DATA; }
        }

        /** Close the connection once the replies are written. */
        record Close() implements Action {
            public Kind kind() { return Kind.CLOSE; }
        }
    }
}

package dev.pop3d.pop3.session;

import dev.pop3d.pop3.protocol.Reply;
import java.util.Optional;

/**
 * The outcome of one command: the next state, the reply to write now (if any), the action to
 * run after it, and whether the command counts as a bad one (for the bad-command limit).
 */
public record Step(State next, Optional<Reply> reply, Action action, boolean bad) {
    static Step reply(State next, Reply reply) {
        return new Step(next, Optional.of(reply), Action.NONE, false);
    }

    /** A rejected line: unknown, malformed, or not valid in this state. */
    static Step bad(State next, Reply.Err reply) {
        return new Step(next, Optional.of(reply), Action.NONE, true);
    }

    static Step then(State next, Reply reply, Action action) {
        return new Step(next, Optional.of(reply), action, false);
    }

    static Step silent(State next, Action action) {
        return new Step(next, Optional.empty(), action, false);
    }
}

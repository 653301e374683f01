package dev.pop3d.pop3.driver;

import dev.pop3d.pop3.protocol.Reply;

/** How a RETR or TOP stream ended: sent whole, refused before any body octet, or cut mid-body. */
public sealed interface StreamOutcome {
    /** One constant per record, so that every dispatch is an exhaustive {@code switch}. */
    enum Kind { SENT, REFUSED, CUT }

    Kind kind();

    record Sent() implements StreamOutcome {
        public Kind kind() { return Kind.SENT; }
    }

    /** Nothing of the body went out: the client gets {@code reply} and the session goes on. */
    record Refused(Reply reply) implements StreamOutcome {
        public Kind kind() { return Kind.REFUSED; }
    }

    /** Part of the body went out: the connection closes without the terminator. */
    record Cut() implements StreamOutcome {
        public Kind kind() { return Kind.CUT; }
    }
}

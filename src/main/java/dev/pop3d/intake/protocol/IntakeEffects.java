package dev.pop3d.intake.protocol;

import java.util.List;
import java.util.function.Consumer;

/**
 * What an {@link IntakeDriver} asks of its adapter (the Vert.x connection, or a test's fake):
 * transport, and the two kinds of blocking work, which the adapter runs elsewhere and answers on
 * the driver's thread.
 */
public interface IntakeEffects {
    /** The result of a recipient lookup. */
    sealed interface Lookup {
        record Found(String user) implements Lookup {}

        record Unknown() implements Lookup {}

        record Failed() implements Lookup {}
    }

    /** Where one transaction's message goes while it arrives. */
    interface MessageSink {
        /** Message octets (unstuffed, CRLF), in order; the sink may pause the input while it is behind. */
        void write(byte[] bytes, int offset, int length);

        /** The terminator arrived: make the copies durable; one outcome per recipient, in order. */
        void finish(Consumer<List<Outcome>> done);

        /** Nothing is to be stored (too big, the client left, a timeout): remove what was written. */
        void abort();
    }

    void write(byte[] bytes);

    /** The socket's write queue is over its limit: stop reading until {@link IntakeDriver#drained()}. */
    boolean writeQueueFull();

    /** Input flow control on behalf of the driver (a busy command with more input waiting). */
    void pauseInput();

    void resumeInput();

    /** Close once what was written is sent. */
    void close();

    /** Who receives mail for {@code localPart}; blocking work, answered later on the driver's thread. */
    void lookup(String localPart, Consumer<Lookup> done);

    /** A transaction's DATA begins: the sink its octets go to. */
    MessageSink receive(Envelope envelope);

    /** A command or the session was refused: {@link IntakeReply#rejectReason()}, or {@code timeout}. */
    default void rejected(String reason) {
    }

    /** A transaction ended: the message's octets and one outcome per recipient, in envelope order. */
    default void delivered(long octets, List<Outcome> outcomes) {
    }
}

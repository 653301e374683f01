package dev.pop3d.pop3.driver;

import dev.pop3d.mailstore.Maildrop;
import dev.pop3d.pop3.session.Action;
import dev.pop3d.pop3.session.AuthOutcome;
import java.util.function.Consumer;

/**
 * What a {@link SessionDriver} needs from the world: a transport, timers, and the workers that run
 * actions. The socket adapter implements it on Vert.x; the in-process test server in memory. Every
 * call and every callback happens on the connection's own thread (its event loop).
 */
public interface Effects {
    /** Queues octets for the client. */
    void write(byte[] bytes);

    /** Whether the queue is over its limit: the driver then waits for {@link SessionDriver#drained()}. */
    boolean writeQueueFull();

    /** Stop reading from the client (TCP pushes back), until {@link #resumeInput()}. */
    void pauseInput();

    void resumeInput();

    /** Flush what was written, then close. */
    void end();

    /** Close now, without flushing (a cut body must not pass for a whole one). */
    void close();

    /** Arm (or re-arm) the idle timer; it calls {@link SessionDriver#idleExpired()}. */
    void armIdleTimer();

    void cancelIdleTimer();

    /** Check the credentials and open the maildrop, off the loop; then {@code done}. */
    void authenticate(Action.Authenticate authenticate, Consumer<AuthOutcome> done);

    /** Send the status line, the stuffed body and the terminator, with back-pressure; then {@code done}. */
    void stream(Action.Stream stream, Consumer<StreamOutcome> done);

    /** RFC 1939 §6 UPDATE off the loop; {@code done} says whether every marked message is gone. */
    void commit(Action.Commit commit, Consumer<Boolean> done);

    /** Negotiate TLS on this connection (after the STLS reply went out); {@code done(true)} once it is up. */
    void startTls(Consumer<Boolean> done);

    /** Unlock a maildrop without UPDATE (dropped connection, RFC 1939 §6). */
    void release(Maildrop drop);

    /** A command finished, with its final outcome (PASS, RETR and QUIT only know it at the end). */
    default void commandDone(String verb, boolean ok) {}

    /** A login attempt ended (also when the client hung up meanwhile). */
    default void authenticated(String user, AuthOutcome outcome) {}

    /** A QUIT was answered ({@code deleted} marks, {@code ok} whether UPDATE removed them all). */
    default void quit(int deleted, boolean ok) {}

    /** The autologout timer closed the session. */
    default void timedOut() {}
}

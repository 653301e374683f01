package dev.pop3d.pop3.driver;

import dev.pop3d.pop3.protocol.Reply;
import dev.pop3d.pop3.protocol.ReplyEncoder;
import java.util.Iterator;

/**
 * Writes one reply at a time in chunks, and stops whenever the client's queue is full: the rest,
 * and what was to follow it, waits for {@link #drained()}. A long LIST costs one chunk of memory,
 * not the whole listing; a client that never reads stops the session's loop.
 */
final class ReplyPump {
    /** A long LIST or UIDL goes out in pieces of about this size. */
    static final int REPLY_CHUNK_OCTETS = 16 * 1024;

    private final Effects effects;
    private Iterator<byte[]> unsent;
    private Runnable afterSend;

    ReplyPump(Effects effects) {
        this.effects = effects;
    }

    /** Whether a reply is still going out. */
    boolean busy() {
        return unsent != null;
    }

    /** Writes {@code reply}, then runs {@code then} (now, or once the queue drained). */
    void send(Reply reply, Runnable then) {
        unsent = ReplyEncoder.chunks(reply, REPLY_CHUNK_OCTETS);
        afterSend = then;
        pump();
    }

    /** The queue drained: go on writing. False if no reply was waiting. */
    boolean drained() {
        if (unsent == null) {
            return false;
        }
        pump();
        return true;
    }

    /** The transport is gone: nothing more goes out, and nothing follows. */
    void abandon() {
        unsent = null;
        afterSend = null;
    }

    private void pump() {
        while (unsent.hasNext()) {
            effects.write(unsent.next());
            if (effects.writeQueueFull()) {
                effects.pauseInput(); // resumed by the driver once the reply and its follow-up are done
                return;
            }
        }
        unsent = null;
        Runnable then = afterSend;
        afterSend = null;
        then.run();
    }
}

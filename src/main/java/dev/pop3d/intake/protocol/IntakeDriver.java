package dev.pop3d.intake.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The loop of one intake session, the same for the socket adapter and for tests: it frames
 * command lines (at most {@link IntakeMachine#MAX_COMMAND_LINE_OCTETS}, a longer one discarded to
 * its LF and answered once), feeds them to the {@link IntakeMachine} one at a time, carries out
 * its actions through {@link IntakeEffects}, and in DATA passes the {@link DataDecoder}'s output to
 * the message sink, enforcing SIZE. A pipelined command waits while an earlier one is busy; input
 * is paused while more than {@link #MAX_WAITING_INPUT} octets wait, or while replies are not read.
 * Not thread-safe: every call on the connection's thread.
 */
public final class IntakeDriver {
    /** Input kept while a command is busy; beyond it, reading stops (TCP pushes back). */
    static final int MAX_WAITING_INPUT = 64 * 1024;

    private final IntakeMachine machine;
    private final IntakeEffects effects;
    private final long maxMessageSize;
    private byte[] inbox = new byte[1024];
    private int start;
    private int end;
    private boolean discarding;
    private boolean busy;
    private boolean pausedByUs;
    private boolean inputEnded;
    private boolean closed;
    private boolean shutdownPending;
    private DataDecoder decoder;
    private IntakeEffects.MessageSink sink;
    private boolean tooBig;

    public IntakeDriver(IntakeMachine machine, IntakeEffects effects) {
        this.machine = machine;
        this.effects = effects;
        this.maxMessageSize = machine.maxMessageSize();
    }

    public void start() {
        write(List.of(machine.greeting()));
    }

    public IntakeMachine.Phase phase() {
        return machine.phase();
    }

    /** The client's hello name, for the trace header. */
    public String helo() {
        return machine.helo();
    }

    /** Whether a lookup or a delivery is under way (timeouts wait for it). */
    public boolean busy() {
        return busy;
    }

    public void received(byte[] bytes, int offset, int length) {
        if (closed) {
            return;
        }
        if (end + length > inbox.length) {
            compact(length);
        }
        System.arraycopy(bytes, offset, inbox, end, length);
        end += length;
        process();
    }

    /** The client half-closed: what it sent is answered, then the connection closes. */
    public void inputEnded() {
        inputEnded = true;
        process();
    }

    /** The socket's write queue drained: reading and processing go on. */
    public void drained() {
        process();
    }

    /** The transport closed: an unfinished message is dropped, nothing more is written. */
    public void closed() {
        closed = true;
        if (sink != null && decoder != null) {
            sink.abort();
            sink = null;
        }
    }

    /** The idle or hello timeout fired (the adapter checks {@link #busy()} first). */
    public void timedOut() {
        if (closed || busy) {
            return;
        }
        effects.rejected("timeout");
        abortData();
        write(List.of(machine.timedOut()));
        close();
    }

    /** Server shutdown: an idle session is told now, a busy one after its reply. */
    public void shutdown() {
        if (closed) {
            return;
        }
        if (busy) {
            shutdownPending = true;
            return;
        }
        abortData();
        write(List.of(machine.shuttingDown()));
        close();
    }

    private void process() {
        while (!closed && !busy) {
            if (effects.writeQueueFull()) {
                pause(); // the client does not read its replies: stop reading its commands
                return;
            }
            if (decoder != null) {
                if (!receiveData()) {
                    break;
                }
                continue;
            }
            String line = nextLine();
            if (line == null) {
                break;
            }
            run(line == TOO_LONG ? machine.tooLong() : machine.handle(line));
        }
        if (closed) {
            return;
        }
        if (!busy && inputEnded) {
            abortData(); // EOF inside DATA: the message is incomplete, nothing is stored; a partial line is dropped
            close();
            return;
        }
        if (end - start > MAX_WAITING_INPUT) {
            pause();
        } else if (pausedByUs && !effects.writeQueueFull()) {
            pausedByUs = false;
            effects.resumeInput();
        }
    }

    /** Passes waiting input through the decoder; true when the data ended (the loop goes on). */
    private boolean receiveData() {
        int consumed = decoder.decode(inbox, start, end - start, this::toSink);
        start += consumed;
        if (!decoder.ended()) {
            return false;
        }
        IntakeEffects.MessageSink finishing = sink;
        long octets = decoder.octets();
        decoder = null;
        sink = null;
        busy = true;
        if (tooBig) {
            finishing.abort();
            done(java.util.Collections.nCopies(machine.recipientCount(), Outcome.TOO_BIG), octets);
            return true;
        }
        finishing.finish(outcomes -> done(outcomes, octets));
        return true;
    }

    private void done(List<Outcome> outcomes, long octets) {
        busy = false;
        if (closed) {
            return;
        }
        effects.delivered(octets, List.copyOf(outcomes));
        write(machine.delivered(outcomes));
        afterBusy();
    }

    private void toSink(byte[] bytes, int offset, int length) {
        if (tooBig) {
            return;
        }
        if (decoder.octets() > maxMessageSize) { // RFC 1870 §6.3: read to the end, store nothing
            tooBig = true;
            sink.abort();
            return;
        }
        sink.write(bytes, offset, length);
    }

    private void run(Step step) {
        writeObserved(step.replies());
        Step.Action action = step.action();
        switch (action.kind()) {
            case NONE -> { }
            case LOOKUP -> lookup((Step.Action.Lookup) action);
            case RECEIVE_DATA -> {
                tooBig = false;
                decoder = new DataDecoder();
                sink = effects.receive(((Step.Action.ReceiveData) action).envelope());
            }
            case CLOSE -> close();
        }
    }

    private void lookup(Step.Action.Lookup lookup) {
        busy = true;
        effects.lookup(lookup.localPart(), result -> {
            busy = false;
            if (closed) {
                return;
            }
            IntakeReply reply;
            if (result instanceof IntakeEffects.Lookup.Found found) {
                reply = machine.recipientFound(lookup.address(), found.user());
            } else if (result instanceof IntakeEffects.Lookup.Unknown) {
                reply = machine.recipientUnknown(lookup.address());
            } else {
                reply = machine.recipientLookupFailed(lookup.address());
            }
            writeObserved(List.of(reply));
            afterBusy();
        });
    }

    private void afterBusy() {
        if (shutdownPending) {
            write(List.of(machine.shuttingDown()));
            close();
            return;
        }
        process();
    }

    private static final String TOO_LONG = new String("\0too-long"); // identity-compared marker

    /** The next whole command line without its line end, {@link #TOO_LONG}, or null for none yet. */
    private String nextLine() {
        for (int i = start; i < end; i++) {
            if (inbox[i] != '\n') {
                continue;
            }
            int lineEnd = i > start && inbox[i - 1] == '\r' ? i - 1 : i;
            boolean wasDiscarding = discarding;
            discarding = false;
            int from = start;
            start = i + 1;
            if (wasDiscarding || lineEnd - from + 2 > IntakeMachine.MAX_COMMAND_LINE_OCTETS) {
                return TOO_LONG;
            }
            return new String(inbox, from, lineEnd - from, StandardCharsets.ISO_8859_1);
        }
        if (end - start > IntakeMachine.MAX_COMMAND_LINE_OCTETS) {
            discarding = true; // keep nothing of it: the rest is dropped up to its LF
            start = end;
        }
        return null;
    }

    private void abortData() {
        if (decoder != null && sink != null) {
            sink.abort();
        }
        decoder = null;
        sink = null;
    }

    private void pause() {
        if (!pausedByUs) {
            pausedByUs = true;
            effects.pauseInput();
        }
    }

    /** Replies to commands: each refusal is reported by its reason. */
    private void writeObserved(List<IntakeReply> replies) {
        for (IntakeReply reply : replies) {
            if (!reply.positive()) {
                effects.rejected(reply.rejectReason());
            }
        }
        write(replies);
    }

    private void write(List<IntakeReply> replies) {
        for (IntakeReply reply : replies) {
            effects.write(reply.encode());
        }
    }

    private void close() {
        if (!closed) {
            closed = true;
            effects.close();
        }
    }

    private void compact(int incoming) {
        int waiting = end - start;
        if (waiting + incoming > inbox.length) {
            inbox = Arrays.copyOf(Arrays.copyOfRange(inbox, start, end), Math.max(inbox.length * 2, waiting + incoming));
        } else {
            System.arraycopy(inbox, start, inbox, 0, waiting);
        }
        start = 0;
        end = waiting;
    }
}

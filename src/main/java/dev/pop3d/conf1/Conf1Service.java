package dev.pop3d.conf1;

import dev.pop3d.endpoint.Conf1Object;

import dev.pop3d.endpoint.Conf1Reply;
import java.net.InetAddress;
import java.util.function.Supplier;

/**
 * One datagram in, one answer out: parse, throttle, check the token, run the object. Plain Java;
 * the endpoint calls it on a worker. The token is never logged or echoed.
 */
public final class Conf1Service {
    /** How an answer came about, for metrics. */
    public enum Outcome { SUCCESS, ERROR, UNAUTHORIZED, THROTTLED, DROPPED }

    /** The reply to send, or none ({@link Outcome#DROPPED}: beyond the global error rate). */
    public record Answer(Conf1Reply reply, Outcome outcome) {
        public boolean sent() {
            return outcome != Outcome.DROPPED;
        }
    }

    private final Conf1Registry registry;
    private final TokenGuard guard;
    private final Supplier<String> token;
    private final Conf1Audit audit;

    public Conf1Service(Conf1Registry registry, TokenGuard guard, Supplier<String> token, Conf1Audit audit) {
        this.registry = registry;
        this.guard = guard;
        this.token = token;
        this.audit = audit;
    }

    /**
     * Whether handling may touch the disk: a SET of an object that says it is {@code blocking()}
     * runs on a worker; everything else is answered on the event loop at once.
     */
    public boolean mayBlock(byte[] datagram, int length) {
        Conf1Parser.Parsed parsed = Conf1Parser.parse(datagram, length);
        return parsed.request().filter(r -> r.verb() == Conf1Request.Verb.SET)
                .flatMap(r -> registry.find(r.object())).map(Conf1Object::blocking).orElse(false);
    }

    /**
     * A request with the right token is always run, throttled source or not (so forged failures
     * cannot lock the admin out). Anything else is an error reply, counted against a global rate:
     * beyond it the datagram is dropped without reply, refining the seed's one-answer-per-request.
     */
    public Answer handle(InetAddress source, byte[] datagram, int length) {
        Conf1Parser.Parsed parsed = Conf1Parser.parse(datagram, length);
        boolean throttled = guard.throttled(source);
        if (parsed.token().isPresent() && !guard.accepts(source, parsed.token().get(), token.get())) {
            audit.refused(source);
            return error(throttled ? Conf1Reply.err("Too many failed authorizations, retry later")
                    : Conf1Reply.err("Invalid authorization token"), throttled ? Outcome.THROTTLED : Outcome.UNAUTHORIZED);
        }
        if (parsed.request().isEmpty()) {
            return error(Conf1Reply.err(parsed.error()), Outcome.ERROR);
        }
        Conf1Request request = parsed.request().get();
        Conf1Reply reply = registry.handle(request);
        if (request.verb() == Conf1Request.Verb.SET) {
            audit.set(source, request.object(), request.argument().orElse(""), reply.success());
        }
        return new Answer(reply, reply.success() ? Outcome.SUCCESS : Outcome.ERROR);
    }

    /** Whether {@code outcome} is a refused token (for the audit). */
    public static boolean refused(Outcome outcome) {
        return outcome == Outcome.UNAUTHORIZED || outcome == Outcome.THROTTLED;
    }

    private Answer error(Conf1Reply reply, Outcome outcome) {
        return guard.mayReplyWithError() ? new Answer(reply, outcome) : new Answer(reply, Outcome.DROPPED);
    }
}

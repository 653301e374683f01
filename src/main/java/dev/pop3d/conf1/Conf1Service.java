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
    public enum Outcome { SUCCESS, ERROR, UNAUTHORIZED, THROTTLED }

    public record Answer(Conf1Reply reply, Outcome outcome) {}

    private final Conf1Registry registry;
    private final TokenGuard guard;
    private final Supplier<String> token;

    public Conf1Service(Conf1Registry registry, TokenGuard guard, Supplier<String> token) {
        this.registry = registry;
        this.guard = guard;
        this.token = token;
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

    public Answer handle(InetAddress source, byte[] datagram, int length) {
        if (guard.throttled(source)) {
            return new Answer(Conf1Reply.err("Too many failed authorizations, retry later"), Outcome.THROTTLED);
        }
        Conf1Parser.Parsed parsed = Conf1Parser.parse(datagram, length);
        if (parsed.token().isPresent() && !guard.accepts(source, parsed.token().get(), token.get())) {
            return new Answer(Conf1Reply.err("Invalid authorization token"), Outcome.UNAUTHORIZED);
        }
        if (parsed.request().isEmpty()) {
            return new Answer(Conf1Reply.err(parsed.error()), Outcome.ERROR);
        }
        Conf1Reply reply = registry.handle(parsed.request().get());
        return new Answer(reply, reply.success() ? Outcome.SUCCESS : Outcome.ERROR);
    }
}

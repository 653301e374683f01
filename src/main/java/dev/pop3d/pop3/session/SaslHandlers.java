package dev.pop3d.pop3.session;

import dev.pop3d.auth.sasl.SaslMechanism;
import dev.pop3d.auth.sasl.SaslStep;
import dev.pop3d.pop3.protocol.Command;
import dev.pop3d.pop3.protocol.Reply;
import dev.pop3d.pop3.protocol.ResponseCode;
import dev.pop3d.pop3.protocol.SaslResponse;
import dev.pop3d.pop3.protocol.SessionFacts;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 5034 AUTH: starts a mechanism, reads continuation lines ({@code *} cancels, bad base64 ends
 * the exchange with -ERR and the session goes on) and turns the mechanism's steps into replies and
 * actions. A password to check or a SCRAM result goes through the same login path as PASS, so the
 * penalties, the failure delay and the answers are the same.
 */
final class SaslHandlers {
    static final Reply.Err FAILED = Reply.err(ResponseCode.AUTH, "Authentication failed.");

    private final Map<String, SaslMechanism> mechanisms;

    SaslHandlers(List<SaslMechanism> mechanisms) {
        Map<String, SaslMechanism> byName = new java.util.LinkedHashMap<>();
        mechanisms.forEach(m -> byName.put(m.name(), m));
        this.mechanisms = Map.copyOf(byName);
    }

    /** The longest continuation line any mechanism needs: base64 of its largest response plus CRLF. */
    int maxLineOctets() {
        int max = 0;
        for (SaslMechanism m : mechanisms.values()) {
            max = Math.max(max, 4 * ((m.maxResponseOctets() + 2) / 3) + 2);
        }
        return max;
    }

    Step start(SessionFacts facts, Command.Auth auth) {
        State.Authorization start = new State.Authorization();
        if (auth.mechanism().isEmpty()) {
            return Step.reply(start, new Reply.MultiLine("", facts.mechanisms())); // as Dovecot: the list
        }
        String name = auth.mechanism().get();
        SaslMechanism mechanism = mechanisms.get(name);
        if (mechanism == null) {
            return Step.reply(start, Reply.err("Unsupported authentication mechanism."));
        }
        if (!facts.mechanisms().contains(name)) {
            return Step.reply(start, SessionMachine.PLAINTEXT_REFUSED);
        }
        Optional<byte[]> initial = Optional.empty();
        if (auth.initialResponse().isPresent()) {
            String text = auth.initialResponse().get();
            initial = text.equals("=") ? Optional.of(new byte[0]) : decode(text);
            if (initial.isEmpty()) {
                return Step.reply(start, Reply.err("Invalid base64 data in initial response"));
            }
        }
        return proceed(name, mechanism.start(initial));
    }

    Step respond(State state, SaslResponse response) {
        State.Authorization start = new State.Authorization();
        if (state instanceof State.SaslFinal fin) {
            // RFC 5034 §4: the client answers the server's final data with an empty line
            return response.text().isEmpty()
                    ? Step.reply(new State.Transaction(fin.drop(), new DeletionMarks()), Reply.ok("Logged in."))
                    : Step.then(start, FAILED, new Action.Release(fin.drop()));
        }
        State.SaslExchange exchange = (State.SaslExchange) state;
        if (response.cancelled()) {
            return Step.reply(start, Reply.err("Authentication cancelled."));
        }
        if (response.tooLong()) {
            return Step.reply(start, Reply.err("Authentication response too long"));
        }
        Optional<byte[]> decoded = decode(response.text());
        if (decoded.isEmpty()) {
            return Step.reply(start, Reply.err("Invalid base64 data in continued response"));
        }
        return proceed(exchange.mechanism(), exchange.challenge().next(decoded.get()));
    }

    private static Step proceed(String mechanism, SaslStep step) {
        State.Authorization start = new State.Authorization();
        return switch (step.kind()) {
            case CHALLENGE -> {
                SaslStep.Challenge challenge = (SaslStep.Challenge) step;
                yield Step.reply(new State.SaslExchange(mechanism, challenge),
                        new Reply.Continue(Base64.getEncoder().encodeToString(challenge.data())));
            }
            case VERIFY -> {
                SaslStep.Verify verify = (SaslStep.Verify) step;
                yield Step.silent(start, new Action.Authenticate(verify.user(), new Action.Check.Password(verify.password())));
            }
            case SUCCESS -> {
                SaslStep.Success success = (SaslStep.Success) step;
                yield Step.silent(start, new Action.Authenticate(success.user(),
                        new Action.Check.Proven(success.finalServerData())));
            }
            // wrong proof or malformed message: the same delay, penalty and answer as a wrong password
            case FAILURE -> Step.silent(start, new Action.Authenticate("", new Action.Check.Refused()));
        };
    }

    /** The final data of a proven login, as the continuation that carries it. */
    static Optional<Reply> finalData(Action.Authenticate auth) {
        if (auth.check() instanceof Action.Check.Proven proven && proven.finalServerData().isPresent()) {
            return Optional.of(new Reply.Continue(Base64.getEncoder().encodeToString(proven.finalServerData().get())));
        }
        return Optional.empty();
    }

    private static Optional<byte[]> decode(String text) {
        if (text.isEmpty()) {
            return Optional.of(new byte[0]);
        }
        try {
            return Optional.of(Base64.getDecoder().decode(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

package dev.pop3d.pop3.session;

import dev.pop3d.pop3.protocol.CommandParser;
import dev.pop3d.pop3.protocol.Compliance;
import dev.pop3d.pop3.protocol.RawLine;
import dev.pop3d.pop3.protocol.Capabilities;
import dev.pop3d.pop3.protocol.SessionFacts;
import dev.pop3d.pop3.protocol.Command;
import dev.pop3d.pop3.protocol.ParsedLine;
import dev.pop3d.pop3.protocol.Rejected;
import dev.pop3d.pop3.protocol.Reply;
import dev.pop3d.pop3.protocol.ResponseCode;
import dev.pop3d.pop3.protocol.Verb;

/**
 * The POP3 state machine (RFC 1939, RFC 2449, RFC 3206) as a pure function:
 * {@code (state, line) -> step}. It never touches a disk or a socket: work that does comes back
 * as an {@link Action}. Stateless and thread-safe; one instance serves every connection.
 *
 * <p>Replies follow Dovecot's texts where the RFC leaves the text free.
 */
public final class SessionMachine {
    static final Reply.Err NOT_IN_STATE = Reply.err("Command not valid in this state");
    /** RFC 2595 §2.2 and Dovecot's text: USER/PASS only over TLS when so configured. */
    static final Reply.Err PLAINTEXT_REFUSED = Reply.err(ResponseCode.AUTH,
            "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.");

    private final Capabilities capabilities;
    private final CommandParser parser;
    private final SaslHandlers sasl;

    public SessionMachine(Capabilities capabilities) {
        this(capabilities, new CommandParser(Compliance.DEFAULTS), java.util.List.of());
    }

    /** {@code mechanisms}: every SASL mechanism the server has; {@link SessionFacts} says which a session may use. */
    public SessionMachine(Capabilities capabilities, CommandParser parser,
                          java.util.List<dev.pop3d.auth.sasl.SaslMechanism> mechanisms) {
        this.capabilities = capabilities;
        this.parser = parser;
        this.sasl = new SaslHandlers(mechanisms);
    }

    /** The longest line the framer must pass: a command (255) or a SASL response. */
    public int maxLineOctets() {
        return Math.max(dev.pop3d.pop3.protocol.LineFramer.MAX_COMMAND_LINE_OCTETS, sasl.maxLineOctets());
    }

    /**
     * What a framed line is in {@code state}: in every state so far a command (RFC 2449 §4 limits
     * it to 255 octets); a SASL exchange will read its continuation lines here instead.
     */
    public ParsedLine read(State state, RawLine line) {
        if (state instanceof State.SaslExchange || state instanceof State.SaslFinal) {
            return new dev.pop3d.pop3.protocol.SaslResponse(
                    new String(line.content(), java.nio.charset.StandardCharsets.ISO_8859_1), line.tooLong());
        }
        return parser.parse(line);
    }

    /** The greeting. No APOP timestamp: we offer no APOP (RFC 1939 §7 makes it optional). */
    public Reply greeting() {
        return Reply.ok(Capabilities.IMPLEMENTATION + " ready.");
    }

    /** As {@link #handle(SessionFacts, State, ParsedLine)} on a plaintext channel. */
    public Step handle(State state, ParsedLine line) {
        return handle(capabilities.facts(false), state, line);
    }

    /** One line in {@code state}, for a session that may do what {@code facts} says. */
    public Step handle(SessionFacts facts, State state, ParsedLine line) {
        if (state instanceof State.Closed) {
            return Step.reply(state, NOT_IN_STATE);
        }
        if (line instanceof dev.pop3d.pop3.protocol.SaslResponse response) {
            return state instanceof State.SaslExchange || state instanceof State.SaslFinal
                    ? sasl.respond(state, response) : Step.bad(state, NOT_IN_STATE);
        }
        if (line instanceof Rejected rejected) {
            boolean allowed = rejected.verb().map(v -> allowedIn(state, v)).orElse(true);
            return Step.bad(state, allowed ? Reply.err(rejected.reason()) : NOT_IN_STATE);
        }
        Command command = (Command) line;
        if (!allowedIn(state, command.verb())) {
            return Step.bad(state, NOT_IN_STATE);
        }
        if (state instanceof State.Transaction transaction) {
            return TransactionHandlers.handle(transaction, command, () -> capa(facts));
        }
        return authorization(facts, state, command);
    }

    /**
     * Continues a PASS or an AUTH once the connection has run {@code auth}: a proven SCRAM login
     * sends its final data first and completes on the client's empty line.
     */
    public Step authenticated(Action.Authenticate auth, AuthOutcome outcome) {
        if (outcome instanceof AuthOutcome.Success success) {
            java.util.Optional<Reply> last = SaslHandlers.finalData(auth);
            if (last.isPresent()) {
                return Step.reply(new State.SaslFinal(success.drop()), last.get());
            }
        }
        return authenticated(outcome);
    }

    /** Continues a PASS once the connection has run {@link Action.Authenticate}. */
    public Step authenticated(AuthOutcome outcome) {
        State.Authorization start = new State.Authorization();
        return switch (outcome.kind()) {
            case SUCCESS -> Step.reply(new State.Transaction(((AuthOutcome.Success) outcome).drop(), new DeletionMarks()),
                    Reply.ok("Logged in."));
            case IN_USE -> Step.reply(start, Reply.err(ResponseCode.IN_USE, "Mailbox is locked by another session"));
            case TOO_SOON -> Step.reply(start, Reply.err(ResponseCode.LOGIN_DELAY, "Logged in too recently, try again later"));
            case UNAVAILABLE -> Step.reply(start, Reply.err(ResponseCode.SYS_TEMP, "Mailbox is unavailable, try again later"));
            case BAD_CREDENTIALS -> Step.reply(start, Reply.err(ResponseCode.AUTH, "Authentication failed."));
        };
    }

    /** Answers QUIT once the connection has run {@link Action.Commit}; the connection then closes. */
    public Reply committed(Action.Commit commit, boolean removedAll) {
        if (!removedAll) {
            // RFC 1939 §6: "-ERR some deleted messages not removed"
            return Reply.err(ResponseCode.SYS_TEMP, "Some deleted messages were not removed");
        }
        return Reply.ok(commit.marked().isEmpty() ? "Logging out." : "Logging out, messages deleted.");
    }

    /** One exhaustive switch per state over {@link Verb}: which commands each state accepts. */
    static boolean allowedIn(State state, Verb verb) {
        if (state instanceof State.Transaction) {
            return switch (verb) {
                case STAT, LIST, RETR, DELE, NOOP, RSET, TOP, UIDL, CAPA, QUIT -> true;
                case USER, PASS, STLS, AUTH -> false;
            };
        }
        return switch (verb) {
            case USER, CAPA, QUIT -> true;
            case PASS -> state instanceof State.AwaitingPassword;
            case STLS, AUTH -> state instanceof State.Authorization; // RFC 2595 §4, RFC 5034 §4: before USER
            case STAT, LIST, RETR, DELE, NOOP, RSET, TOP, UIDL -> false;
        };
    }

    private Step authorization(SessionFacts facts, State state, Command command) {
        return switch (command.verb()) {
            case USER -> facts.plaintextAllowed()
                    ? Step.reply(new State.AwaitingPassword(((Command.User) command).name()), Reply.ok())
                    : Step.reply(new State.Authorization(), PLAINTEXT_REFUSED);
            case PASS -> facts.plaintextAllowed() ? pass((State.AwaitingPassword) state, (Command.Pass) command)
                    : Step.reply(new State.Authorization(), PLAINTEXT_REFUSED);
            case STLS -> stls(facts);
            case AUTH -> sasl.start(facts, (Command.Auth) command);
            case CAPA -> Step.reply(state, capa(facts));
            case QUIT -> Step.then(new State.Closed(), Reply.ok("Logging out"), new Action.Close());
            default -> Step.bad(state, NOT_IN_STATE);
        };
    }

    private static Step pass(State.AwaitingPassword state, Command.Pass pass) {
        // The state goes back to AUTHORIZATION while the check runs; authenticated() decides.
        return Step.silent(new State.Authorization(), new Action.Authenticate(state.user(), pass.password()));
    }

    /** RFC 2595 §4. */
    private static Step stls(SessionFacts facts) {
        State.Authorization start = new State.Authorization();
        if (facts.secure()) {
            return Step.reply(start, Reply.err("TLS is already active."));
        }
        if (!facts.stlsOffered()) {
            return Step.reply(start, Reply.err("TLS support isn't enabled."));
        }
        return Step.then(start, Reply.ok("Begin TLS negotiation now."), new Action.StartTls());
    }

    Reply capa(SessionFacts facts) {
        return new Reply.MultiLine("", capabilities.lines(facts));
    }

    Reply capa() {
        return capa(capabilities.facts(false));
    }

    /** What a session on {@code secure} may do (CAPA and the checks above use the same value). */
    public SessionFacts facts(boolean secure) {
        return capabilities.facts(secure);
    }
}

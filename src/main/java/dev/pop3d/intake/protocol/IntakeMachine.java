package dev.pop3d.intake.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The command side of one LMTP (RFC 2033) or SMTP (RFC 5321) session: (phase, command line) →
 * replies and an action. It never does I/O: recipient lookups and the delivery are actions whose
 * results come back through {@link #recipientFound}, {@link #recipientUnknown},
 * {@link #recipientLookupFailed} and {@link #delivered}. Extensions offered: PIPELINING (RFC 2920),
 * 8BITMIME (RFC 6152), ENHANCEDSTATUSCODES (RFC 2034, codes of RFC 3463), SIZE (RFC 1870).
 * CHUNKING/BDAT is not offered. Not thread-safe: one per connection.
 */
public final class IntakeMachine {
    /** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets, CRLF included. */
    public static final int MAX_COMMAND_LINE_OCTETS = 512;

    /** Limits of a session, from the configuration. */
    public record Limits(long maxMessageSize, int maxRecipients, int maxBadCommands) {}

    /** Where the session is. */
    public enum Phase { START, READY, MAIL, DATA, CLOSED }

    private enum Verb { LHLO, EHLO, HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, VRFY, UNKNOWN }

    private final Dialect dialect;
    private final String host;
    private final Limits limits;
    private Phase phase = Phase.START;
    private String helo = "";
    private Envelope envelope;
    private int badInARow;

    public IntakeMachine(Dialect dialect, String host, Limits limits) {
        this.dialect = dialect;
        this.host = host;
        this.limits = limits;
    }

    public Phase phase() {
        return phase;
    }

    public long maxMessageSize() {
        return limits.maxMessageSize();
    }

    /** Recipients accepted in the open transaction. */
    public int recipientCount() {
        return envelope == null ? 0 : envelope.recipients().size();
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The client's hello name (for the trace header), or empty before it. */
    public String helo() {
        return helo;
    }

    public IntakeReply greeting() {
        return IntakeReply.of(220, host + " pop3d " + dialect.protocolName() + " ready");
    }

    /** RFC 5321 §4.5.3.2: the server may close with 421 after its timeout. */
    public IntakeReply timedOut() {
        phase = Phase.CLOSED;
        return IntakeReply.of(421, "4.4.2 " + host + " Timeout, closing connection");
    }

    public IntakeReply shuttingDown() {
        phase = Phase.CLOSED;
        return IntakeReply.of(421, "4.3.2 " + host + " Service shutting down, try again later");
    }

    /** A command line longer than {@link #MAX_COMMAND_LINE_OCTETS} (discarded up to its LF). */
    public Step tooLong() {
        return bad(IntakeReply.of(500, "5.5.2 Line too long"));
    }

    /** One command line, without its line end. */
    public Step handle(String line) {
        if (phase == Phase.CLOSED || phase == Phase.DATA) {
            throw new IllegalStateException("no command is read in phase " + phase);
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == 0 || c > 0x7e || (c < ' ' && c != '\t')) {
                return bad(IntakeReply.of(500, "5.5.2 Invalid characters in command"));
            }
        }
        int space = line.indexOf(' ');
        String word = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1).strip();
        Step step = switch (verb(word)) {
            case LHLO -> dialect == Dialect.LMTP ? hello(argument, true) : unknown();
            case EHLO -> dialect == Dialect.SMTP ? hello(argument, true) : notLmtp();
            case HELO -> dialect == Dialect.SMTP ? hello(argument, false) : notLmtp();
            case MAIL -> mail(argument);
            case RCPT -> rcpt(argument);
            case DATA -> data(argument);
            case RSET -> rset();
            case NOOP -> good(IntakeReply.of(250, "2.0.0 Ok"));
            case QUIT -> quit();
            case VRFY -> good(IntakeReply.of(252, "2.3.3 Try RCPT instead")); // RFC 5321 §3.5.3
            case UNKNOWN -> unknown();
        };
        return step;
    }

    private static Verb verb(String word) {
        for (Verb verb : Verb.values()) {
            if (verb != Verb.UNKNOWN && verb.name().equals(word)) {
                return verb;
            }
        }
        return Verb.UNKNOWN;
    }

    private Step hello(String argument, boolean extended) {
        String verb = dialect == Dialect.LMTP ? "LHLO" : (extended ? "EHLO" : "HELO");
        if (argument.isEmpty() || argument.indexOf(' ') >= 0) {
            return bad(IntakeReply.of(501, "5.5.4 Syntax: " + verb + " hostname"));
        }
        helo = argument;
        envelope = null; // RFC 5321 §4.1.4: a second hello resets the transaction
        phase = Phase.READY;
        if (!extended) {
            return good(IntakeReply.of(250, host));
        }
        return good(new IntakeReply(250, List.of(host, "PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES",
                "SIZE " + limits.maxMessageSize())));
    }

    private Step mail(String argument) {
        if (phase == Phase.START) {
            return bad(helloFirst());
        }
        if (phase == Phase.MAIL) {
            return bad(IntakeReply.of(503, "5.5.1 Sender already given"));
        }
        Optional<PathParser.Parsed> parsed = PathParser.parse(argument, "FROM");
        if (parsed.isEmpty()) {
            return bad(IntakeReply.of(501, "5.5.4 Syntax: MAIL FROM:<address>"));
        }
        MailParameters parameters = MailParameters.parse(parsed.get().parameters(), limits.maxMessageSize());
        if (parameters.refusal().isPresent()) {
            IntakeReply refusal = parameters.refusal().get();
            return refusal.code() == 552 ? good(refusal) : bad(refusal);
        }
        long size = parameters.size();
        envelope = new Envelope(parsed.get().address(), size, List.of());
        phase = Phase.MAIL;
        return good(IntakeReply.of(250, "2.1.0 Ok"));
    }

    private Step rcpt(String argument) {
        if (phase == Phase.START) {
            return bad(helloFirst());
        }
        if (phase != Phase.MAIL) {
            return bad(IntakeReply.of(503, "5.5.1 Need MAIL before RCPT"));
        }
        Optional<PathParser.Parsed> parsed = PathParser.parse(argument, "TO");
        if (parsed.isEmpty() || parsed.get().address().isEmpty()) {
            return bad(IntakeReply.of(501, "5.5.4 Syntax: RCPT TO:<address>"));
        }
        if (!parsed.get().parameters().isEmpty()) {
            String name = PathParser.parameter(PathParser.words(parsed.get().parameters()).get(0))[0];
            return bad(IntakeReply.of(555, "5.5.4 Unsupported parameter " + printable(name)));
        }
        String address = parsed.get().address();
        if (envelope.recipients().size() >= limits.maxRecipients()) { // RFC 5321 §4.5.3.1.10
            return good(IntakeReply.of(452, "4.5.3 Too many recipients"));
        }
        Optional<String> local = PathParser.localPart(address);
        if (local.isEmpty()) {
            return good(IntakeReply.of(550, "5.1.3 <" + printable(address) + ">: bad recipient address syntax"));
        }
        return new Step(List.of(), new Step.Action.Lookup(address, local.get()));
    }

    /** The lookup of {@link Step.Action.Lookup} found {@code user}. */
    public IntakeReply recipientFound(String address, String user) {
        if (phase != Phase.MAIL) {
            throw new IllegalStateException("no transaction");
        }
        envelope = envelope.with(new Envelope.Recipient(address, user));
        badInARow = 0;
        return IntakeReply.of(250, "2.1.5 Ok");
    }

    public IntakeReply recipientUnknown(String address) {
        return IntakeReply.of(550, "5.1.1 <" + printable(address) + ">: no such user");
    }

    public IntakeReply recipientLookupFailed(String address) {
        return IntakeReply.of(451, "4.3.0 <" + printable(address) + ">: temporary failure, try again later");
    }

    private Step data(String argument) {
        if (phase == Phase.START) {
            return bad(helloFirst());
        }
        if (!argument.isEmpty()) {
            return bad(IntakeReply.of(501, "5.5.4 Syntax: DATA"));
        }
        if (phase != Phase.MAIL) {
            return bad(IntakeReply.of(503, "5.5.1 Need MAIL before DATA"));
        }
        if (envelope.recipients().isEmpty()) { // RFC 2033 §4.2, RFC 5321 §3.3
            return bad(IntakeReply.of(503, "5.5.1 No valid recipients"));
        }
        phase = Phase.DATA;
        badInARow = 0;
        return new Step(List.of(IntakeReply.of(354, "Start mail input; end with <CRLF>.<CRLF>")),
                new Step.Action.ReceiveData(envelope));
    }

    /**
     * The message ended and was stored (or not) for each recipient, in envelope order: LMTP
     * answers once per recipient (RFC 2033 §4.2), SMTP once for all (one failure fails it: the
     * delivery agent stores all or none for SMTP, so the client's retry duplicates nothing).
     */
    public List<IntakeReply> delivered(List<Outcome> outcomes) {
        if (phase != Phase.DATA || outcomes.size() != envelope.recipients().size()) {
            throw new IllegalStateException("one outcome per recipient, after DATA");
        }
        List<IntakeReply> replies = new ArrayList<>();
        if (dialect == Dialect.LMTP) {
            for (int i = 0; i < outcomes.size(); i++) {
                replies.add(reply(outcomes.get(i), "<" + printable(envelope.recipients().get(i).address()) + "> "));
            }
        } else {
            Outcome worst = outcomes.stream().filter(o -> o != Outcome.STORED).findFirst().orElse(Outcome.STORED);
            replies.add(reply(worst, ""));
        }
        envelope = null;
        phase = Phase.READY;
        return replies;
    }

    private static IntakeReply reply(Outcome outcome, String who) {
        return switch (outcome) {
            case STORED -> IntakeReply.of(250, "2.0.0 " + who + "Delivered");
            case NO_SPACE -> IntakeReply.of(452, "4.3.1 " + who + "Insufficient system storage");
            case FAILED -> IntakeReply.of(451, "4.3.0 " + who + "Local error in processing, try again later");
            case TOO_BIG -> IntakeReply.of(552, "5.3.4 " + who + "Message size exceeds fixed maximum message size");
        };
    }

    private Step rset() {
        envelope = null;
        if (phase == Phase.MAIL) {
            phase = Phase.READY;
        }
        return good(IntakeReply.of(250, "2.0.0 Ok"));
    }

    private Step quit() {
        phase = Phase.CLOSED;
        return new Step(List.of(IntakeReply.of(221, "2.0.0 " + host + " Bye")), new Step.Action.Close());
    }

    private Step notLmtp() {
        return bad(IntakeReply.of(500, "5.5.1 This is LMTP: use LHLO"));
    }

    private Step unknown() {
        return bad(IntakeReply.of(500, "5.5.1 Unknown command"));
    }

    private IntakeReply helloFirst() {
        return IntakeReply.of(503, "5.5.1 Send " + (dialect == Dialect.LMTP ? "LHLO" : "EHLO or HELO") + " first");
    }

    private Step good(IntakeReply reply) {
        badInARow = 0;
        return Step.reply(reply);
    }

    /** A client mistake; after {@code maxBadCommands} in a row the session ends (abuse, a wrong protocol). */
    private Step bad(IntakeReply reply) {
        if (++badInARow >= limits.maxBadCommands()) {
            phase = Phase.CLOSED;
            return new Step(List.of(reply, IntakeReply.of(421, "4.7.0 " + host + " Too many errors, closing connection")),
                    new Step.Action.Close());
        }
        return Step.reply(reply);
    }

    private static String printable(String text) {
        return PathParser.printable(text);
    }
}

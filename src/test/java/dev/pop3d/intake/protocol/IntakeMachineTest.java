package dev.pop3d.intake.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every reply of the command side, byte for byte (RFC 2033, RFC 5321 §4, RFC 1870, RFC 2034). */
class IntakeMachineTest {
    static final IntakeMachine.Limits LIMITS = new IntakeMachine.Limits(1000, 100, 20);

    private static IntakeMachine lmtp() {
        return new IntakeMachine(Dialect.LMTP, "mx.test", LIMITS);
    }

    private static String wire(Step step) {
        return step.replies().stream().map(r -> new String(r.encode(), StandardCharsets.US_ASCII))
                .collect(Collectors.joining());
    }

    private static String wire(IntakeReply reply) {
        return new String(reply.encode(), StandardCharsets.US_ASCII);
    }

    private static IntakeMachine inTransaction(IntakeMachine machine) {
        machine.handle("LHLO client.test");
        machine.handle("MAIL FROM:<bob@example.net>");
        return machine;
    }

    @Test
    void greetingAndLhlo() {
        IntakeMachine m = lmtp();
        assertEquals("220 mx.test pop3d LMTP ready\r\n", wire(m.greeting()));
        assertEquals("250-mx.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 SIZE 1000\r\n",
                wire(m.handle("LHLO client.test")));
        assertEquals("client.test", m.helo());
    }

    @Test
    void lmtpRefusesHeloAndEhlo() { // RFC 2033 §4.1
        IntakeMachine m = lmtp();
        assertEquals("500 5.5.1 This is LMTP: use LHLO\r\n", wire(m.handle("EHLO x")));
        assertEquals("500 5.5.1 This is LMTP: use LHLO\r\n", wire(m.handle("HELO x")));
        assertEquals(IntakeMachine.Phase.START, m.phase());
    }

    @Test
    void smtpGreetsAndAnswersEhloAndHeloButNotLhlo() {
        IntakeMachine m = new IntakeMachine(Dialect.SMTP, "mx.test", LIMITS);
        assertEquals("220 mx.test pop3d ESMTP ready\r\n", wire(m.greeting()));
        assertEquals("500 5.5.1 Unknown command\r\n", wire(m.handle("LHLO x")));
        assertEquals("250 mx.test\r\n", wire(m.handle("HELO x")));
        assertEquals("250-mx.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 SIZE 1000\r\n",
                wire(m.handle("ehlo x")));
    }

    @Test
    void commandsBeforeLhlo() {
        IntakeMachine m = lmtp();
        assertEquals("503 5.5.1 Send LHLO first\r\n", wire(m.handle("MAIL FROM:<a@b>")));
        assertEquals("503 5.5.1 Send LHLO first\r\n", wire(m.handle("RCPT TO:<a@b>")));
        assertEquals("503 5.5.1 Send LHLO first\r\n", wire(m.handle("DATA")));
        assertEquals("501 5.5.4 Syntax: LHLO hostname\r\n", wire(m.handle("LHLO")));
        assertEquals("250 2.0.0 Ok\r\n", wire(m.handle("NOOP")));
        assertEquals("252 2.3.3 Try RCPT instead\r\n", wire(m.handle("VRFY zed")));
        assertEquals("500 5.5.1 Unknown command\r\n", wire(m.handle("BDAT 10 LAST")));
        assertEquals("500 5.5.1 Unknown command\r\n", wire(m.handle("")));
    }

    @Test
    void mailFromAndItsParameters() {
        IntakeMachine m = lmtp();
        m.handle("LHLO c");
        assertEquals("501 5.5.4 Syntax: MAIL FROM:<address>\r\n", wire(m.handle("MAIL FROM:bob@example.net")));
        assertEquals("501 5.5.4 Syntax: MAIL FROM:<address>\r\n", wire(m.handle("MAIL TO:<bob@example.net>")));
        assertEquals("501 5.5.4 Bad SIZE value\r\n", wire(m.handle("MAIL FROM:<a@b> SIZE=x")));
        assertEquals("552 5.3.4 Message size exceeds fixed maximum message size\r\n",
                wire(m.handle("MAIL FROM:<a@b> SIZE=1001")));
        assertEquals("501 5.5.4 Bad BODY value\r\n", wire(m.handle("MAIL FROM:<a@b> BODY=BINARYMIME")));
        assertEquals("555 5.5.4 Unsupported parameter SMTPUTF8\r\n", wire(m.handle("MAIL FROM:<a@b> SMTPUTF8")));
        assertEquals("250 2.1.0 Ok\r\n", wire(m.handle("MAIL FROM: <a@b> SIZE=1000 body=8bitmime")));
        assertEquals("503 5.5.1 Sender already given\r\n", wire(m.handle("MAIL FROM:<a@b>")));
        m.handle("RSET");
        assertEquals("250 2.1.0 Ok\r\n", wire(m.handle("MAIL FROM:<>"))); // the null reverse path
    }

    @Test
    void rcptAsksForALookupAndAnswersItsResult() {
        IntakeMachine m = lmtp();
        m.handle("LHLO c");
        assertEquals("503 5.5.1 Need MAIL before RCPT\r\n", wire(m.handle("RCPT TO:<zed@example.org>")));
        inTransaction(m);
        Step step = m.handle("RCPT TO:<zed@example.org>");
        assertEquals(List.of(), step.replies());
        assertEquals(new Step.Action.Lookup("zed@example.org", "zed"), step.action());
        assertEquals("250 2.1.5 Ok\r\n", wire(m.recipientFound("zed@example.org", "zed")));
        assertEquals("550 5.1.1 <nobody@example.org>: no such user\r\n", wire(m.recipientUnknown("nobody@example.org")));
        assertEquals("451 4.3.0 <x@y>: temporary failure, try again later\r\n", wire(m.recipientLookupFailed("x@y")));
        assertEquals("501 5.5.4 Syntax: RCPT TO:<address>\r\n", wire(m.handle("RCPT TO:<>")));
        assertEquals("501 5.5.4 Syntax: RCPT TO:<address>\r\n", wire(m.handle("RCPT zed@example.org")));
        assertEquals("555 5.5.4 Unsupported parameter NOTIFY\r\n", wire(m.handle("RCPT TO:<zed@x> NOTIFY=NEVER")));
        assertEquals("550 5.1.3 <../etc@x>: bad recipient address syntax\r\n", wire(m.handle("RCPT TO:<../etc@x>")));
        assertEquals("550 5.1.3 <a/b@x>: bad recipient address syntax\r\n", wire(m.handle("RCPT TO:<a/b@x>")));
        assertEquals(new Step.Action.Lookup("@relay.test:amy@example.org", "amy").localPart(),
                ((Step.Action.Lookup) m.handle("RCPT TO:<@relay.test:amy@example.org>").action()).localPart());
        assertEquals("zed", ((Step.Action.Lookup) m.handle("RCPT TO:<\"zed\"@example.org>").action()).localPart());
    }

    @Test
    void recipientsAreBoundedAtTheLimit() { // RFC 5321 §4.5.3.1.10
        IntakeMachine m = inTransaction(new IntakeMachine(Dialect.LMTP, "mx.test", new IntakeMachine.Limits(1000, 2, 20)));
        for (int i = 0; i < 2; i++) {
            m.handle("RCPT TO:<u" + i + "@x>");
            m.recipientFound("u" + i + "@x", "u" + i);
        }
        assertEquals("452 4.5.3 Too many recipients\r\n", wire(m.handle("RCPT TO:<u3@x>")));
        assertEquals(2, m.recipientCount());
    }

    @Test
    void dataNeedsARecipientAndLmtpAnswersPerRecipient() { // RFC 2033 §4.2
        IntakeMachine m = inTransaction(lmtp());
        assertEquals("503 5.5.1 No valid recipients\r\n", wire(m.handle("DATA")));
        m.handle("RCPT TO:<zed@example.org>");
        m.recipientFound("zed@example.org", "zed");
        m.handle("RCPT TO:<amy@example.org>");
        m.recipientFound("amy@example.org", "amy");
        assertEquals("501 5.5.4 Syntax: DATA\r\n", wire(m.handle("DATA now")));
        Step data = m.handle("DATA");
        assertEquals("354 Start mail input; end with <CRLF>.<CRLF>\r\n", wire(data));
        Envelope envelope = ((Step.Action.ReceiveData) data.action()).envelope();
        assertEquals(new Envelope("bob@example.net", -1, List.of(new Envelope.Recipient("zed@example.org", "zed"),
                new Envelope.Recipient("amy@example.org", "amy"))), envelope);
        assertThrows(IllegalStateException.class, () -> m.handle("NOOP"));
        assertEquals("250 2.0.0 <zed@example.org> Delivered\r\n452 4.3.1 <amy@example.org> Insufficient system storage\r\n",
                m.delivered(List.of(Outcome.STORED, Outcome.NO_SPACE)).stream().map(IntakeMachineTest::wire)
                        .collect(Collectors.joining()));
        assertEquals(IntakeMachine.Phase.READY, m.phase());
        assertEquals("503 5.5.1 Need MAIL before DATA\r\n", wire(m.handle("DATA")));
    }

    @Test
    void smtpAnswersOnceAfterData() {
        IntakeMachine m = new IntakeMachine(Dialect.SMTP, "mx.test", LIMITS);
        m.handle("EHLO c");
        m.handle("MAIL FROM:<a@b>");
        m.handle("RCPT TO:<zed@x>");
        m.recipientFound("zed@x", "zed");
        m.handle("RCPT TO:<amy@x>");
        m.recipientFound("amy@x", "amy");
        m.handle("DATA");
        assertEquals(List.of(IntakeReply.of(250, "2.0.0 Delivered")), m.delivered(List.of(Outcome.STORED, Outcome.STORED)));
        m.handle("MAIL FROM:<a@b>");
        m.handle("RCPT TO:<zed@x>");
        m.recipientFound("zed@x", "zed");
        m.handle("DATA");
        assertEquals("552 5.3.4 Message size exceeds fixed maximum message size\r\n",
                wire(m.delivered(List.of(Outcome.TOO_BIG)).get(0)));
    }

    @Test
    void rsetQuitAndBadInput() {
        IntakeMachine m = inTransaction(lmtp());
        assertEquals("250 2.0.0 Ok\r\n", wire(m.handle("RSET")));
        assertEquals("503 5.5.1 Need MAIL before RCPT\r\n", wire(m.handle("RCPT TO:<a@b>")));
        assertEquals("500 5.5.2 Invalid characters in command\r\n", wire(m.handle("NOOP \u00e9")));
        assertEquals("500 5.5.2 Invalid characters in command\r\n", wire(m.handle("NO\0OP")));
        assertEquals("500 5.5.2 Line too long\r\n", wire(m.tooLong()));
        Step quit = m.handle("QUIT");
        assertEquals("221 2.0.0 mx.test Bye\r\n", wire(quit));
        assertEquals(Step.Action.Kind.CLOSE, quit.action().kind());
    }

    @Test
    void tooManyErrorsInARowClose() {
        IntakeMachine m = new IntakeMachine(Dialect.LMTP, "mx.test", new IntakeMachine.Limits(1000, 100, 3));
        m.handle("X");
        m.handle("NOOP"); // a good command resets the count
        m.handle("X");
        m.handle("X");
        Step third = m.handle("X");
        assertEquals("500 5.5.1 Unknown command\r\n421 4.7.0 mx.test Too many errors, closing connection\r\n", wire(third));
        assertEquals(Step.Action.Kind.CLOSE, third.action().kind());
    }

    @Test
    void timeoutAndShutdownReplies() {
        assertEquals("421 4.4.2 mx.test Timeout, closing connection\r\n", wire(lmtp().timedOut()));
        assertEquals("421 4.3.2 mx.test Service shutting down, try again later\r\n", wire(lmtp().shuttingDown()));
    }

    @Test
    void replyTextIsCheckedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> IntakeReply.of(250, "a\r\nb"));
        assertThrows(IllegalArgumentException.class, () -> IntakeReply.of(250, "x".repeat(507)));
        assertEquals(506, IntakeReply.of(250, "x".repeat(506)).encode().length - 6);
    }
}

package dev.pop3d.auth.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoginMechanismTest {
    private final LoginMechanism login = new LoginMechanism();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String wire(SaslStep step) {
        return Base64.getEncoder().encodeToString(assertInstanceOf(SaslStep.Challenge.class, step).data());
    }

    @Test
    void asksUsernameThenPasswordWithTheWordsClientsExpect() {
        SaslStep first = login.start(Optional.empty());
        assertEquals("VXNlcm5hbWU6", wire(first)); // "Username:"
        SaslStep second = ((SaslStep.Challenge) first).next(utf8("alice"));
        assertEquals("UGFzc3dvcmQ6", wire(second)); // "Password:"
        assertEquals(new SaslStep.Verify("alice", "s3cr3t: with space"),
                ((SaslStep.Challenge) second).next(utf8("s3cr3t: with space")));
    }

    @Test
    void aUserNameAsInitialResponseSkipsTheFirstChallenge() {
        SaslStep step = login.start(Optional.of(utf8("j\u00fcrgen")));
        assertEquals("UGFzc3dvcmQ6", wire(step));
        assertEquals(new SaslStep.Verify("j\u00fcrgen", "pw"), ((SaslStep.Challenge) step).next(utf8("pw")));
        assertEquals("VXNlcm5hbWU6", wire(login.start(Optional.of(new byte[0]))), "AUTH LOGIN = is no user name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "nul\0inside", "bad-utf8"})
    void badUserNamesAndPasswordsAreMalformed(String value) {
        byte[] bytes = value.equals("bad-utf8") ? new byte[] {'a', (byte) 0xc3} : utf8(value);
        SaslStep.Challenge first = (SaslStep.Challenge) login.start(Optional.empty());
        assertEquals(new SaslStep.Failure(SaslStep.Reason.MALFORMED), first.next(bytes), "as user name");
        SaslStep.Challenge second = (SaslStep.Challenge) first.next(utf8("alice"));
        assertEquals(new SaslStep.Failure(SaslStep.Reason.MALFORMED), second.next(bytes), "as password");
    }

    @Test
    void fieldsAreAtMost255Octets() {
        SaslStep.Challenge first = (SaslStep.Challenge) login.start(Optional.empty());
        assertInstanceOf(SaslStep.Challenge.class, first.next(utf8("u".repeat(255))));
        assertEquals(new SaslStep.Failure(SaslStep.Reason.MALFORMED), first.next(utf8("u".repeat(256))));
        SaslStep.Challenge second = (SaslStep.Challenge) first.next(utf8("alice"));
        assertInstanceOf(SaslStep.Verify.class, second.next(utf8("p".repeat(255))));
        assertEquals(new SaslStep.Failure(SaslStep.Reason.MALFORMED), second.next(utf8("p".repeat(256))));
    }

    @Test
    void aChallengeCanBeAnsweredOnlyByItsOwnExchange() {
        // continuations are values: two sessions never share state
        SaslStep.Challenge a = (SaslStep.Challenge) ((SaslStep.Challenge) login.start(Optional.empty())).next(utf8("a"));
        SaslStep.Challenge b = (SaslStep.Challenge) ((SaslStep.Challenge) login.start(Optional.empty())).next(utf8("b"));
        assertEquals("a", ((SaslStep.Verify) a.next(utf8("x"))).user());
        assertEquals("b", ((SaslStep.Verify) b.next(utf8("x"))).user());
    }
}

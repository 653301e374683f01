package dev.pop3d.auth.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlainMechanismTest {
    private final PlainMechanism plain = new PlainMechanism();

    static Stream<Arguments> messages() {
        String name255 = "a".repeat(255);
        return Stream.of(
                Arguments.of("\0alice\0secret", "Verify[alice]"),
                Arguments.of("alice\0alice\0secret", "Verify[alice]"),
                Arguments.of("\0alice\0p\u00e4ss: w\u00f6rd \"x\"", "Verify[alice]"),
                Arguments.of("\0" + name255 + "\0pw", "Verify[" + name255 + "]"),
                Arguments.of("bob\0alice\0secret", "REJECTED"), // RFC 4616 §2: no acting as another
                Arguments.of("\0" + name255 + "a\0pw", "MALFORMED"), // 256 octets
                Arguments.of("\0alice\0" + "p".repeat(256), "MALFORMED"),
                Arguments.of("alice\0secret", "MALFORMED"), // one NUL
                Arguments.of("\0\0secret", "MALFORMED"), // empty authcid
                Arguments.of("\0alice\0", "MALFORMED"), // empty passwd
                Arguments.of("\0alice\0se\0cret", "MALFORMED"), // three NULs
                Arguments.of("secret", "MALFORMED"),
                Arguments.of("\0\0", "MALFORMED"));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void asInitialResponseAndAfterTheEmptyChallengeAlike(String message, String expected) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        assertEquals(expected, describe(plain.start(Optional.of(bytes))));
        SaslStep.Challenge challenge = assertInstanceOf(SaslStep.Challenge.class, plain.start(Optional.empty()));
        assertEquals(0, challenge.data().length, "RFC 4422 §5: an empty challenge");
        assertEquals(expected, describe(challenge.next(bytes)));
    }

    @Test
    void theVerifyStepCarriesTheExactPassword() {
        SaslStep step = plain.start(Optional.of("\0alice\0p\u00e4ss: w\u00f6rd ".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new SaslStep.Verify("alice", "p\u00e4ss: w\u00f6rd "), step);
        assertFalse(step.toString().contains("p\u00e4ss"), "no password in toString: " + step);
    }

    @Test
    void anEmptyInitialResponseGetsTheEmptyChallenge() {
        assertInstanceOf(SaslStep.Challenge.class, plain.start(Optional.of(new byte[0])));
    }

    @Test
    void malformedUtf8AndOverlongMessagesAreRefused() {
        byte[] badUtf8 = {0, 'a', (byte) 0xff, 'b', 0, 'p', 'w'};
        assertEquals("MALFORMED", describe(plain.start(Optional.of(badUtf8))));
        byte[] overlong = new byte[PlainMechanism.MAX_MESSAGE_OCTETS + 1];
        overlong[1] = 0;
        assertEquals("MALFORMED", describe(plain.start(Optional.of(overlong))));
        assertEquals(767, plain.maxResponseOctets());
    }

    @Test
    void randomBytesNeverThrow() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            for (int k = 0; k < bytes.length; k++) {
                if (random.nextInt(5) == 0) {
                    bytes[k] = 0;
                }
            }
            SaslStep step = plain.start(Optional.of(bytes));
            if (bytes.length == 0) {
                continue;
            }
            assertFalse(step instanceof SaslStep.Success, "seed " + seed);
        }
    }

    static String describe(SaslStep step) {
        return switch (step.kind()) {
            case VERIFY -> "Verify[" + ((SaslStep.Verify) step).user() + "]";
            case FAILURE -> ((SaslStep.Failure) step).reason().name();
            case CHALLENGE -> "Challenge";
            case SUCCESS -> "Success[" + ((SaslStep.Success) step).user() + "]";
        };
    }
}

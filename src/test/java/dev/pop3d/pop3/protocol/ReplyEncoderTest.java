package dev.pop3d.pop3.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyEncoderTest {
    private static String encode(Reply reply) {
        return new String(ReplyEncoder.encode(reply), StandardCharsets.UTF_8);
    }

    @Test
    void statusLines() {
        assertEquals("+OK\r\n", encode(new Reply.Ok("")));
        assertEquals("+OK 2 320\r\n", encode(new Reply.Ok("2 320")));
        assertEquals("-ERR [IN-USE] Locked\r\n", encode(Reply.err(ResponseCode.IN_USE, "Locked")));
    }

    @Test
    void multiLineIsStuffedAndTerminated() {
        assertEquals("+OK 2 messages:\r\n1 10\r\n..x\r\n.\r\n",
                encode(new Reply.MultiLine("2 messages:", List.of("1 10", ".x"))));
    }

    @Test
    void statusLineCappedAt512OctetsUnderAtAndOver() {
        for (int length : new int[] {505, 506, 507, 2000}) {
            byte[] bytes = ReplyEncoder.encode(new Reply.Err("e".repeat(length)));
            int expected = Math.min(ReplyEncoder.MAX_REPLY_LINE_OCTETS, 4 + 1 + length + 2);
            assertEquals(expected, bytes.length, "text length " + length);
            assertEquals('\n', bytes[bytes.length - 1]);
        }
    }

    @Test
    void crLfAndNulCannotReachTheWire() {
        assertThrows(IllegalArgumentException.class, () -> new Reply.Ok("a\r\nb"));
        assertThrows(IllegalArgumentException.class, () -> new Reply.Err("a\0"));
        assertThrows(IllegalArgumentException.class, () -> new Reply.MultiLine("", List.of("x\n")));
    }
}

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

    @Test
    void nonAsciiTextsAreUtf8() {
        assertEquals("+OK h\u00e9llo\r\n", encode(new Reply.Ok("h\u00e9llo")));
        assertEquals("-ERR\r\n", encode(new Reply.Err("")));
        assertEquals("+OK\r\nx\u00e9.y\r\n..\u00e9\r\n\u00e9\r\n.\r\n",
                encode(new Reply.MultiLine("", List.of("x\u00e9.y", ".\u00e9", "\u00e9"))));
        byte[] capped = ReplyEncoder.encode(new Reply.Ok("\u00e9".repeat(600)));
        assertEquals(ReplyEncoder.MAX_REPLY_LINE_OCTETS, capped.length);
    }

    @Test
    void aLongListInChunksIsTheWholeReplyWithNoLineSplit() {
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            lines.add(i % 7 == 0 ? "." + i : i + " " + (i * 31));
        }
        Reply.MultiLine list = new Reply.MultiLine("10000 messages:", lines);
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        int pieces = 0;
        for (var chunks = ReplyEncoder.chunks(list, 16 * 1024); chunks.hasNext(); pieces++) {
            byte[] chunk = chunks.next();
            assertEquals('\n', chunk[chunk.length - 1], "a piece ends at a line end");
            joined.writeBytes(chunk);
        }
        assertEquals(new String(ReplyEncoder.encode(list), StandardCharsets.UTF_8), joined.toString(StandardCharsets.UTF_8));
        assertEquals(true, pieces > 3, "pieces: " + pieces);
        assertEquals(1, count(ReplyEncoder.chunks(new Reply.MultiLine("", List.of("a", "b")), 16 * 1024)),
                "a short reply is one write");
    }

    private static int count(java.util.Iterator<byte[]> chunks) {
        int n = 0;
        for (; chunks.hasNext(); chunks.next()) {
            n++;
        }
        return n;
    }
}

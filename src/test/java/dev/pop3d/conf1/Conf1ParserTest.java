package dev.pop3d.conf1;

import dev.pop3d.endpoint.Conf1Reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Conf1ParserTest {
    private static String parse(String request) {
        byte[] bytes = request.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t")
                .getBytes(StandardCharsets.ISO_8859_1);
        Conf1Parser.Parsed parsed = Conf1Parser.parse(bytes, bytes.length);
        return parsed.request().map(Conf1Request::toString).orElse("ERR " + parsed.error()
                + parsed.token().map(t -> " (token reached)").orElse(""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
        "adminadmin GET INF\\r\\n => Conf1Request[token=***, GET INF]",
        "adminadmin GET INF\\n => Conf1Request[token=***, GET INF]",
        "adminadmin GET INF => Conf1Request[token=***, GET INF]",
        "ADMINADMIN get inf => Conf1Request[token=***, GET INF]",
        "adminadmin SET TFN sed s/a/4/g|sed s/e/3/g => Conf1Request[token=***, SET TFN sed s/a/4/g|sed s/e/3/g]",
        "adminadmin SET MDF Maildir2\\r\\n => Conf1Request[token=***, SET MDF Maildir2]",
        "adminadmin GET INF extra => ERR GET takes no argument (token reached)",
        "adminadmin SET MDF => ERR SET needs an argument (token reached)",
        "adminadmin SET MDF \\r\\n => ERR Members must be separated by single spaces (token reached)",
        "adminadmin  GET INF => ERR Members must be separated by single spaces",
        "adminadmin PUT INF => ERR Unknown verb: PUT (token reached)",
        "adminadmin GET => ERR Expected: TOKEN VERB OBJECT [ARG]",
        "\\r\\n => ERR Empty request",
        "adminadmin GET INF\\t => ERR Request must be printable ASCII ending in CRLF",
        "adminadmin GET\\rINF => ERR Request must be printable ASCII ending in CRLF",
    })
    void table(String request, String expected) {
        assertEquals(expected, parse(request));
    }

    @Test
    void lengthLimitUnderAtAndOver() {
        String base = "adminadmin SET TFN ";
        String at = base + "x".repeat(Conf1Parser.CONF1_MAX_REQUEST_OCTETS - base.length() - 2) + "\r\n";
        assertEquals(128, at.length());
        assertTrue(parse(at).startsWith("Conf1Request"));
        assertTrue(parse(at.substring(1)).startsWith("Conf1Request"));
        assertEquals("ERR Request too long", parse("x" + at));
    }

    @Test
    void randomBytesNeverThrowAndRepliesStayWithinTheCap() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 5000; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            Conf1Parser.Parsed parsed = Conf1Parser.parse(bytes, bytes.length);
            byte[] reply = Conf1Reply.err(parsed.error()).encode();
            assertTrue(reply.length <= Conf1Reply.CONF1_MAX_REPLY_OCTETS, "seed " + seed);
        }
    }

    @Test
    void repliesAreCappedAt255Octets() {
        assertEquals(255, Conf1Reply.suc("v".repeat(1000)).encode().length);
        assertEquals("+SUC a?b\r\n", new String(Conf1Reply.suc("a\nb").encode(), StandardCharsets.US_ASCII));
    }
}

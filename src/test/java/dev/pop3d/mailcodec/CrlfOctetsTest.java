package dev.pop3d.mailcodec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whether a stored message is already its wire form ("clean": sent as stored, no stuffing), each
 * row fed whole, split at every offset and one byte at a time, with the same answer.
 */
class CrlfOctetsTest {

    @ParameterizedTest(name = "{0} clean={1}")
    @CsvSource(delimiter = '|', value = {
        // stored (escaped) | clean | CRLF octets
        "|true|0",
        "a\\r\\n|true|3",
        "Subject: x\\r\\n\\r\\nbody\\r\\n|true|20",
        "a\\n|false|3",                 // bare LF
        "a\\r\\nb\\n|false|6",          // one bare LF among CRLFs
        "a\\r\\nb|false|6",             // no final CRLF
        "a\\r|false|4",                 // ends in a bare CR
        ".\\r\\n|false|3",              // first line starts with a dot
        "a\\r\\n..b\\r\\n|false|8",     // a later line starts with a dot
        "a.b\\r\\n.|false|8",           // a dot at a line start, last line
        "a\\rb\\r\\n|true|5",           // a bare CR is sent as it is
        "x.y\\r\\n|true|5",             // a dot inside a line is no dot line
        "\\u0000\\u00ff\\r\\n|true|4",  // 8-bit and NUL pass unchanged
        "\\r\\n\\r\\n|true|4",
    })
    void table(String stored, boolean clean, long octets) {
        byte[] in = DotStufferTest.unescape(stored);
        assertEquals(clean, fed(in, new int[0]).clean(), "whole");
        assertEquals(octets, fed(in, new int[0]).octets());
        for (int cut = 0; cut <= in.length; cut++) {
            assertEquals(clean, fed(in, new int[] {cut}).clean(), "split at " + cut);
        }
        int[] every = new int[in.length];
        Arrays.setAll(every, i -> i);
        assertEquals(clean, fed(in, every).clean(), "one byte at a time");
        assertEquals(clean, CrlfOctets.isClean(in));
    }

    /** The promise the zero-copy RETR relies on: clean means the stuffer would send the stored bytes. */
    @Test
    void cleanExactlyWhenTheStufferSendsTheStoredBytes() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        byte[] alphabet = {'a', '.', '\r', '\n', 0, (byte) 0xe9};
        int cleanSeen = 0;
        for (int round = 0; round < 5000; round++) {
            byte[] in = new byte[random.nextInt(12)];
            for (int i = 0; i < in.length; i++) {
                in[i] = alphabet[random.nextInt(alphabet.length)];
            }
            byte[] wire = DotStufferTest.stuffInPieces(in, new int[0]);
            byte[] body = Arrays.copyOf(wire, wire.length - 3); // without ".CRLF"
            boolean sameBytes = Arrays.equals(in, body);
            int[] cuts = random.ints(random.nextInt(4), 0, in.length + 1).sorted().toArray();
            assertEquals(sameBytes, fed(in, cuts).clean(), "seed " + seed + ", input " + Arrays.toString(in));
            if (sameBytes) {
                cleanSeen++;
                assertEquals(in.length, fed(in, cuts).octets(), "seed " + seed);
            }
        }
        if (cleanSeen == 0) {
            throw new AssertionError("no clean input generated, seed " + seed);
        }
    }

    private static CrlfOctets fed(byte[] in, int[] cuts) {
        CrlfOctets counter = new CrlfOctets();
        int from = 0;
        for (int cut : cuts) {
            if (cut >= from) {
                counter.update(in, from, cut - from);
                from = cut;
            }
        }
        counter.update(in, from, in.length - from);
        return counter;
    }
}

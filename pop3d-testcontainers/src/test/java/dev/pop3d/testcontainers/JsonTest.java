package dev.pop3d.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void aListingBecomesMessages() {
        String json = " [ {\"number\":1,\"size\":42,\"uid\":\"1700000000.abc\"},\n{\"uid\":\"x\\\"y\",\"size\":0,\"number\":2} ] ";
        assertEquals(List.of(new Pop3dMessage(1, 42, "1700000000.abc"), new Pop3dMessage(2, 0, "x\"y")),
                Pop3dAdmin.parseMessages(json));
        assertEquals(List.of(), Pop3dAdmin.parseMessages("[]"));
    }

    @Test
    void valuesOfEveryKind() {
        assertEquals(Map.of("a", List.of(true, false), "b", new BigDecimal("-1.5e3"), "c", "\u00e9\n/"),
                Json.parse("{\"a\":[true,false],\"b\":-1.5e3,\"c\":\"\\u00e9\\n\\/\"}"));
        assertEquals(null, Json.parse("null"));
    }

    @Test
    void aWrongShapeOrBrokenJsonIsRefusedWithItsOffset() {
        for (String bad : new String[] {"", "[", "[1,]", "{\"a\" 1}", "\"open", "[1] 2", "tru", "\"\\x\"", "\"\\u12\"",
                "{1:2}", "\"a\u0001\""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertEquals(true, e.getMessage().contains("offset"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Pop3dAdmin.parseMessages("{}"));
        assertThrows(IllegalArgumentException.class, () -> Pop3dAdmin.parseMessages("[{\"number\":1,\"size\":2}]"));
        assertThrows(ArithmeticException.class, () -> Pop3dAdmin.parseMessages("[{\"number\":1.5,\"size\":2,\"uid\":\"u\"}]"));
    }

    @Test
    void quotingRoundTrips() {
        for (String s : new String[] {"", "plain", "q\"uote", "back\\slash", "tab\tnl\ncr\r", "\u0000\u001f", "\u00fc\u20ac"}) {
            assertEquals(s, Json.parse(Json.quote(s)));
        }
    }

    /** Random text: parse returns a value or an IllegalArgumentException, never another exception. */
    @Test
    void randomTextNeverThrowsAnythingElse() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String alphabet = "[]{}\":,. -+eE0123456789tfnrul\\abc";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                Json.parse(text.toString());
            } catch (IllegalArgumentException refused) {
                // expected for most inputs
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ", input " + text, e);
            }
        }
    }
}

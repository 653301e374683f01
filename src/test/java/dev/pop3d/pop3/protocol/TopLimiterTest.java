package dev.pop3d.pop3.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pop3d.mailcodec.DotStufferTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopLimiterTest {

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', value = {
        "A: 1\\nB: 2\\n\\nl1\\nl2\\nl3\\n|0|A: 1\\nB: 2\\n\\n",
        "A: 1\\nB: 2\\n\\nl1\\nl2\\nl3\\n|2|A: 1\\nB: 2\\n\\nl1\\nl2\\n",
        "A: 1\\r\\n\\r\\nl1\\r\\nl2\\r\\n|1|A: 1\\r\\n\\r\\nl1\\r\\n",
        "A: 1\\nB: 2\\n\\nl1\\nl2|99999999|A: 1\\nB: 2\\n\\nl1\\nl2",
        "A: 1\\nB: 2|0|A: 1\\nB: 2",
        "A: 1\\n\\n\\nl2\\n|1|A: 1\\n\\n\\n",
    })
    void keepsHeadersAndFirstLines(String stored, long lines, String expected) {
        byte[] in = DotStufferTest.unescape(stored);
        for (int cut = 0; cut <= in.length; cut++) {
            TopLimiter limiter = new TopLimiter(lines);
            StringBuilder out = new StringBuilder();
            int first = limiter.accept(in, 0, cut);
            out.append(new String(in, 0, first, StandardCharsets.ISO_8859_1));
            if (!limiter.done()) {
                int second = limiter.accept(in, cut, in.length - cut);
                out.append(new String(in, cut, second, StandardCharsets.ISO_8859_1));
            }
            assertEquals(new String(DotStufferTest.unescape(expected), StandardCharsets.ISO_8859_1), out.toString(),
                    "split at " + cut);
        }
    }
}

package dev.pop3d.auth.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** UTF-8 that refuses malformed input instead of replacing it (RFC 4616 §2, RFC 5802 §7). */
final class StrictUtf8 {
    private StrictUtf8() {}

    /** The text of {@code bytes[from, to)}, empty if it is not well-formed UTF-8 or holds a NUL. */
    static Optional<String> decode(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == 0) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    static Optional<String> decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }
}

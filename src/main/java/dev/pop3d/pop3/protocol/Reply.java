package dev.pop3d.pop3.protocol;

import java.util.List;

/**
 * A status reply, possibly with a multi-line body of short lines (CAPA, LIST, UIDL). Message
 * bodies are never a {@code Reply}: they are streamed. Texts are checked when built: no CR, LF or
 * NUL can reach the wire from a reply, and {@link ReplyEncoder} caps a status line at 512 octets.
 */
public sealed interface Reply {
    /** One constant per record, so that every dispatch is an exhaustive {@code switch}. */
    enum Kind { OK, ERR, MULTI_LINE, CONTINUE }

    Kind kind();

    record Ok(String text) implements Reply {
        public Ok {
            requireSafe(text);
        }

        public Kind kind() { return Kind.OK; }
    }

    record Err(String text) implements Reply {
        public Err {
            requireSafe(text);
        }

        public Kind kind() { return Kind.ERR; }
    }

    /** RFC 5034 §4: a SASL server challenge, {@code + base64} ({@code +} and a space when empty). */
    record Continue(String base64) implements Reply {
        public Continue {
            requireSafe(base64);
        }

        public Kind kind() { return Kind.CONTINUE; }

        @Override
        public String toString() { return "Continue[" + base64.length() + " chars]"; }
    }

    /** {@code +OK text} followed by {@code lines}, each dot-stuffed by the encoder, and {@code .}. */
    record MultiLine(String text, List<String> lines) implements Reply {
        public MultiLine {
            requireSafe(text);
            lines.forEach(Reply::requireSafe); // a lazy list (LIST, UIDL) is checked, not copied
        }

        public Kind kind() { return Kind.MULTI_LINE; }
    }

    static Ok ok() { return new Ok(""); }

    static Ok ok(String text) { return new Ok(text); }

    static Err err(String text) { return new Err(text); }

    static Err err(ResponseCode code, String text) { return new Err("[" + code.text() + "] " + text); }

    private static void requireSafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("reply text contains CR, LF or NUL");
            }
        }
    }
}

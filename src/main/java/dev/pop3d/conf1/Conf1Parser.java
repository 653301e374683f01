package dev.pop3d.conf1;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses one CONF1 datagram (CONF1.md "Request") into a {@link Conf1Request} or a precise error.
 * Pure and thread-safe; never throws on any input.
 */
public final class Conf1Parser {
    /** CONF1.md: a request is at most 128 octets, CRLF included. */
    public static final int CONF1_MAX_REQUEST_OCTETS = 128;

    private Conf1Parser() {}

    /** Either a request, or the text of the {@code -ERR} answer and whether a token was reached. */
    public record Parsed(Optional<Conf1Request> request, String error, Optional<String> token) {
        static Parsed ok(Conf1Request request) {
            return new Parsed(Optional.of(request), "", Optional.of(request.token()));
        }

        static Parsed error(String error) {
            return new Parsed(Optional.empty(), error, Optional.empty());
        }

        static Parsed error(String error, String token) {
            return new Parsed(Optional.empty(), error, Optional.of(token));
        }
    }

    public static Parsed parse(byte[] datagram, int length) {
        if (length > CONF1_MAX_REQUEST_OCTETS) {
            return Parsed.error("Request too long");
        }
        int end = length;
        // Leniency (CONF1.md): CRLF, a bare LF, or no line ending at all.
        if (end > 0 && datagram[end - 1] == '\n') {
            end--;
            if (end > 0 && datagram[end - 1] == '\r') {
                end--;
            }
        }
        for (int i = 0; i < end; i++) {
            if (datagram[i] < 0x20 || datagram[i] > 0x7e) {
                return Parsed.error("Request must be printable ASCII ending in CRLF");
            }
        }
        String text = new String(datagram, 0, end, StandardCharsets.US_ASCII);
        if (text.isEmpty()) {
            return Parsed.error("Empty request");
        }
        String[] members = text.split(" ", 4);
        for (int i = 0; i < Math.min(members.length, 3); i++) {
            if (members[i].isEmpty()) {
                return Parsed.error("Members must be separated by single spaces");
            }
        }
        if (members.length < 3) {
            return Parsed.error("Expected: TOKEN VERB OBJECT [ARG]");
        }
        String token = members[0];
        Conf1Request.Verb verb;
        try {
            verb = Conf1Request.Verb.valueOf(members[1].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Parsed.error("Unknown verb: " + members[1], token);
        }
        String object = members[2].toUpperCase(Locale.ROOT);
        Optional<String> argument = members.length == 4 ? Optional.of(members[3]) : Optional.empty();
        if (argument.isPresent() && argument.get().isEmpty()) {
            return Parsed.error("Members must be separated by single spaces", token);
        }
        if (verb == Conf1Request.Verb.GET && argument.isPresent()) {
            return Parsed.error("GET takes no argument", token);
        }
        if (verb == Conf1Request.Verb.SET && argument.isEmpty()) {
            return Parsed.error("SET needs an argument", token);
        }
        return Parsed.ok(new Conf1Request(token, verb, object, argument));
    }
}

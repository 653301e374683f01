package dev.pop3d.pop3.protocol;

import java.util.Optional;

/**
 * A line that is not a valid command. {@code verb} is present when the keyword was known but
 * its arguments were wrong, so the session can say "not valid in this state" first, as Dovecot
 * does. {@code reason} is the text after {@code -ERR}, safe for the wire.
 */
public record Rejected(Optional<Verb> verb, String reason) implements ParsedLine {
    public static Rejected line(String reason) {
        return new Rejected(Optional.empty(), reason);
    }

    public static Rejected arguments(Verb verb, String reason) {
        return new Rejected(Optional.of(verb), reason);
    }
}

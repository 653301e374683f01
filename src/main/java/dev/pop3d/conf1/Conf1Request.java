package dev.pop3d.conf1;

import java.util.Optional;

/**
 * A well-formed CONF1 request: {@code TOKEN SP VERB SP OBJECT [SP ARG]}. The verb and object are
 * upper-cased; the token is kept as sent (compared case-insensitively) and never printed.
 */
public record Conf1Request(String token, Verb verb, String object, Optional<String> argument) {
    public enum Verb { GET, SET }

    @Override
    public String toString() {
        return "Conf1Request[token=***, " + verb + " " + object + argument.map(a -> " " + a).orElse("") + "]";
    }
}

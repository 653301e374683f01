package dev.pop3d.pop3.protocol;

import java.util.OptionalLong;

/**
 * Argument rules per verb (RFC 1939 §5–7). One helper parses message numbers and says exactly
 * what was wrong, as Dovecot's command table does.
 */
final class Arguments {
    private Arguments() {}

    /** {@code text} is everything after the first space, or null when there was none. */
    static ParsedLine parse(Verb verb, String text) {
        return switch (verb) {
            case USER -> required(verb, text, "Missing user name", () -> new Command.User(text));
            case PASS -> text == null ? Rejected.arguments(verb, "Missing password")
                    // RFC 1939 §7: PASS has one argument, so spaces are part of the password.
                    : new Command.Pass(text);
            case QUIT -> none(verb, text, new Command.Quit());
            case STAT -> none(verb, text, new Command.Stat());
            case NOOP -> none(verb, text, new Command.Noop());
            case RSET -> none(verb, text, new Command.Rset());
            case CAPA -> none(verb, text, new Command.Capa());
            case STLS -> none(verb, text, new Command.Stls());
            case AUTH -> auth(text);
            case LIST -> optionalNumber(verb, text, n -> new Command.List(n));
            case UIDL -> optionalNumber(verb, text, n -> new Command.Uidl(n));
            case RETR -> number(verb, text, n -> new Command.Retr(n));
            case DELE -> number(verb, text, n -> new Command.Dele(n));
            case TOP -> top(text);
        };
    }

    private static ParsedLine required(Verb verb, String text, String missing,
                                       java.util.function.Supplier<Command> command) {
        return text == null || text.isEmpty() ? Rejected.arguments(verb, missing) : command.get();
    }

    private static ParsedLine none(Verb verb, String text, Command command) {
        // A lone trailing space is tolerated: some clients send "STAT " and mean nothing by it.
        return text == null || text.isEmpty() ? command
                : Rejected.arguments(verb, "Unexpected text after command");
    }

    private static ParsedLine optionalNumber(Verb verb, String text,
                                             java.util.function.Function<OptionalLong, Command> make) {
        if (text == null || text.isEmpty()) {
            return make.apply(OptionalLong.empty());
        }
        return number(verb, text, n -> make.apply(OptionalLong.of(n)));
    }

    private static ParsedLine number(Verb verb, String text, java.util.function.LongFunction<Command> make) {
        if (text == null || text.isEmpty()) {
            return Rejected.arguments(verb, "Missing message number");
        }
        String[] words = text.split(" ", -1);
        if (words.length > 1) {
            return Rejected.arguments(verb, "Unexpected text after message number");
        }
        OptionalLong value = decimal(words[0]);
        return value.isPresent() ? make.apply(value.getAsLong())
                : Rejected.arguments(verb, "Invalid message number: " + shorten(words[0]));
    }

    /** RFC 5034 §4: a mechanism name (RFC 4422 §3.1: up to 20 of A-Z 0-9 - _) and an optional response. */
    private static ParsedLine auth(String text) {
        if (text == null || text.isEmpty()) {
            return new Command.Auth(java.util.Optional.empty(), java.util.Optional.empty());
        }
        String[] words = text.split(" ", -1);
        if (words.length > 2 || words[0].isEmpty() || (words.length == 2 && words[1].isEmpty())) {
            return Rejected.arguments(Verb.AUTH, "Invalid AUTH arguments");
        }
        String mechanism = words[0].toUpperCase(java.util.Locale.ROOT);
        if (mechanism.length() > 20 || !mechanism.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_')) {
            return Rejected.arguments(Verb.AUTH, "Invalid mechanism name");
        }
        return new Command.Auth(java.util.Optional.of(mechanism),
                words.length == 2 ? java.util.Optional.of(words[1]) : java.util.Optional.empty());
    }

    private static ParsedLine top(String text) {
        if (text == null || text.isEmpty()) {
            return Rejected.arguments(Verb.TOP, "Missing message number");
        }
        String[] words = text.split(" ", -1);
        OptionalLong number = decimal(words[0]);
        if (number.isEmpty()) {
            return Rejected.arguments(Verb.TOP, "Invalid message number: " + shorten(words[0]));
        }
        if (words.length < 2 || words[1].isEmpty()) {
            return Rejected.arguments(Verb.TOP, "Missing number of lines");
        }
        if (words.length > 2) {
            return Rejected.arguments(Verb.TOP, "Unexpected text after number of lines");
        }
        OptionalLong lines = decimal(words[1]);
        return lines.isPresent() ? new Command.Top(number.getAsLong(), lines.getAsLong())
                : Rejected.arguments(Verb.TOP, "Invalid number of lines: " + shorten(words[1]));
    }

    /** Digits only (no sign, no spaces); values beyond a long saturate, as no mailbox is that large. */
    private static OptionalLong decimal(String word) {
        if (word.isEmpty()) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
            value = value > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : value * 10 + (c - '0');
        }
        return OptionalLong.of(value);
    }

    private static String shorten(String word) {
        return word.length() <= 20 ? word : word.substring(0, 20) + "...";
    }
}

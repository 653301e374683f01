package dev.pop3d.conf1.objects;

import java.util.Optional;

/** SET argument rules shared by the objects (CONF1.md table). */
final class Arguments {
    /** CONF1.md: string arguments are non-empty and shorter than 128 characters. */
    static final int MAX_STRING_CHARS = 127;

    private Arguments() {}

    /** Empty when fine, else the reason. */
    static Optional<String> checkString(String code, String argument) {
        if (argument.isBlank()) {
            return Optional.of(code + " needs a non-empty value");
        }
        if (argument.length() > MAX_STRING_CHARS) {
            return Optional.of(code + " value must be shorter than 128 characters");
        }
        return Optional.empty();
    }

    static Optional<Long> integer(String argument, long min, long max) {
        try {
            long value = Long.parseLong(argument);
            return value >= min && value <= max ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

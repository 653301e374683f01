package dev.pop3d.config;

import java.util.List;

/**
 * A configuration that cannot be used. Each problem is one line that names the key or the file
 * to edit (never a secret); the server prints them and exits 78, as {@code check-config} does.
 */
public final class InvalidConfigException extends RuntimeException {
    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidConfigException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}

package dev.pop3d.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code hash-password [--scheme BCRYPT|SHA256|SSHA256|PLAIN] [--cost N]}: reads a password from
 * the first line of standard input (never from the command line, where {@code ps} would show it)
 * and prints the users-file secret, e.g. {@code {BCRYPT}$2a$10$...}. Exit 0, or 64 on a usage
 * error (also: nothing on standard input). Starts nothing else.
 */
@Command(name = "hash-password",
        description = "Print the users-file secret for the password on the first line of standard input.",
        footer = {"", "Example: echo -n 'secret' | pop3d hash-password --scheme BCRYPT"})
public final class HashPasswordCommand implements Callable<Integer> {
    private static final int MIN_COST = 4;
    private static final int MAX_COST = 31;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--scheme", paramLabel = "SCHEME", converter = SchemeConverter.class,
            description = "BCRYPT (default), SHA256, SSHA256 or PLAIN.")
    private PasswordScheme scheme = PasswordScheme.BCRYPT;

    @Option(names = "--cost", paramLabel = "N", description = "bcrypt cost, 4 to 31 (default: 10).")
    private int cost = PasswordScheme.DEFAULT_COST;

    @Spec
    private CommandSpec spec;

    private final InputStream in;
    private final PrintStream out;

    public HashPasswordCommand(InputStream in, PrintStream out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public Integer call() {
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new ParameterException(spec.commandLine(), "--cost must be between 4 and 31");
        }
        String password;
        try {
            password = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read standard input: " + e.getMessage());
        }
        if (password == null) {
            throw new ParameterException(spec.commandLine(), "no password on standard input");
        }
        out.println(PasswordHasher.hash(scheme, password, cost));
        out.flush();
        return 0;
    }

    static final class SchemeConverter implements ITypeConverter<PasswordScheme> {
        @Override
        public PasswordScheme convert(String name) {
            return PasswordScheme.named(name).orElseThrow(() -> new TypeConversionException("unknown scheme " + name
                    + " (BCRYPT, SHA256, SSHA256 or PLAIN)"));
        }
    }
}

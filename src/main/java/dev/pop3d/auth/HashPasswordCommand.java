package dev.pop3d.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code hash-password [--scheme BCRYPT|SHA256|SSHA256|PLAIN] [--cost N]}: reads a password from
 * the first line of standard input (never from the command line, where {@code ps} would show it)
 * and prints the users-file secret, e.g. {@code {BCRYPT}$2a$10$...}. Starts nothing else.
 */
public final class HashPasswordCommand {
    static final int EX_USAGE = 64;

    private HashPasswordCommand() {}

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        PasswordScheme scheme = PasswordScheme.BCRYPT;
        int cost = PasswordScheme.DEFAULT_COST;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--scheme") && i + 1 < args.length) {
                Optional<PasswordScheme> named = PasswordScheme.named(args[++i]);
                if (named.isEmpty()) {
                    return usage(err, "unknown scheme " + args[i]);
                }
                scheme = named.get();
            } else if (arg.equals("--cost") && i + 1 < args.length) {
                try {
                    cost = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    return usage(err, "--cost takes a number");
                }
                if (cost < 4 || cost > 31) {
                    return usage(err, "--cost must be between 4 and 31");
                }
            } else {
                return usage(err, "unexpected argument " + arg);
            }
        }
        String password;
        try {
            password = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            err.println("hash-password: cannot read standard input: " + e.getMessage());
            return EX_USAGE;
        }
        if (password == null) {
            return usage(err, "no password on standard input");
        }
        out.println(PasswordHasher.hash(scheme, password, cost));
        out.flush();
        return 0;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("hash-password: " + problem);
        err.println("usage: echo -n PASSWORD | pop3d hash-password [--scheme BCRYPT|SHA256|SSHA256|PLAIN] [--cost N]");
        return EX_USAGE;
    }
}

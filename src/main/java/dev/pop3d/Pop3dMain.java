package dev.pop3d;

import dev.pop3d.auth.HashPasswordCommand;
import dev.pop3d.conf1.Conf1Client;
import dev.pop3d.mailstore.maildir.DeliverCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. With no arguments it runs the server. {@code hash-password} prints a users-file
 * hash for a password read from standard input and exits; {@code conf1 TOKEN VERB OBJECT [ARG]}
 * sends one CONF1 request and prints the answer; {@code deliver USER} stores a message from
 * standard input in the user's Maildir. None of them starts a listener.
 */
@QuarkusMain
public final class Pop3dMain {
    private Pop3dMain() {}

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("hash-password")) {
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            System.exit(HashPasswordCommand.run(rest, System.in, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("deliver")) {
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            System.exit(DeliverCommand.run(rest, System.in, System.err, System.getProperties(), System.getenv()));
        }
        if (args.length > 0 && args[0].equals("conf1")) {
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            System.exit(Conf1Client.run(rest, System.out, System.err));
        }
        Quarkus.run(args);
    }
}

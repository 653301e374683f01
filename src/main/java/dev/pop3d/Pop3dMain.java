package dev.pop3d;

import dev.pop3d.auth.HashPasswordCommand;
import dev.pop3d.conf1.Conf1Client;
import dev.pop3d.config.ConfigLoader;
import dev.pop3d.mailstore.maildir.DeliverCommand;
import dev.pop3d.startup.CheckConfigCommand;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Entry point: the command line is parsed here, before Quarkus starts, so that only {@code serve}
 * (also the bare jar without arguments, the image's ENTRYPOINT) boots the server; the other
 * commands start no listener. Usage errors print the usage on stderr and exit 64; help prints
 * it on stdout and exits 0.
 */
@QuarkusMain
@Command(name = "pop3d", synopsisSubcommandLabel = "COMMAND",
        description = "A POP3 server for containers and test suites (RFC 1939, 2449, 3206, 2595, 8314, 5034) serving Maildir mailboxes.",
        footer = {"", "Without arguments the jar runs the server, as 'serve' does.",
                "Exit codes: 0 success, 64 usage error, 78 configuration error;",
                "conf1: 1 -ERR, 2 no answer; deliver: 67 unknown user, 75 temporary failure;",
                "hdrp: 1 some sites failed, 2 no answer.",
                "'pop3d help COMMAND' (or COMMAND --help) describes each command."})
public final class Pop3dMain implements Callable<Integer> {
    /** sysexits.h EX_USAGE. */
    public static final int EX_USAGE = 64;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    private Pop3dMain() {}

    public static void main(String... args) {
        if (args.length == 0) {
            // the image's ENTRYPOINT: straight to the server; building the command line costs about
            // 6 % of start-up (its model is reflective), and there is nothing to parse
            System.exit(new ServeCommand(System.err).call());
        }
        System.exit(execute(args, System.in, System.out, System.err, ConfigLoader.Sources.ofThisProcess()));
    }

    /** Parses and runs one command line; {@code serve} returns when the server has stopped. */
    public static int execute(String[] args, InputStream in, PrintStream out, PrintStream err,
                              ConfigLoader.Sources sources) {
        CommandLine cli = new CommandLine(new Pop3dMain())
                .addSubcommand("serve", new ServeCommand(err))
                .addSubcommand("check-config", new CheckConfigCommand(out, err, sources))
                .addSubcommand("conf1", new Conf1Client(out, err, sources))
                .addSubcommand("deliver", new DeliverCommand(in, err, sources))
                .addSubcommand("hash-password", new HashPasswordCommand(in, out))
                .addSubcommand("hdrp", new dev.pop3d.hdrp.HdrpClient(out, err))
                .addSubcommand("help", new CommandLine.HelpCommand());
        // conf1 SET TFN 'sort -r': what follows the request belongs to it, options included
        cli.getSubcommands().get("conf1").setStopAtPositional(true);
        // after the subcommands: these settings reach every one of them
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler(Pop3dMain::usageError);
        return cli.execute(args);
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        command.usage(err);
        err.flush();
        return EX_USAGE;
    }

    /** {@code pop3d} with options but no command, or the wrapper without arguments. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }
}

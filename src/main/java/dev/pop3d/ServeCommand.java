package dev.pop3d;

import dev.pop3d.config.ConfigFailure;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: boots Quarkus and runs until it stops. A configuration that does not hold (a
 * constraint of the mappings, a problem {@code ConfigChecks} found, anything caused by one) ends
 * it with one line per problem on stderr and exit 78, instead of Quarkus' stack trace.
 */
@Command(name = "serve", description = "Run the server: POP3, CONF1 over UDP, HTTP health and metrics.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private final PrintStream err;

    ServeCommand(PrintStream err) {
        this.err = err;
    }

    @Override
    public Integer call() {
        Exit exit = new Exit(err);
        Quarkus.run((Class<? extends QuarkusApplication>) null, exit, new String[0]);
        return exit.code();
    }

    /**
     * Quarkus calls it on the main thread with the exit code and, when start-up failed, the
     * failure (it logs nothing itself when given a handler: ApplicationLifecycleManager.run).
     */
    static final class Exit implements BiConsumer<Integer, Throwable> {
        private final PrintStream err;
        private int code;

        Exit(PrintStream err) {
            this.err = err;
        }

        @Override
        public void accept(Integer status, Throwable failure) {
            code = status;
            if (failure == null) {
                return;
            }
            List<String> problems = ConfigFailure.problems(failure);
            if (problems.isEmpty()) {
                Throwable cause = failure;
                while (cause.getCause() != null && cause.getCause() != cause) {
                    cause = cause.getCause();
                }
                err.println("pop3d: failed to start: " + cause); // the reason first, then where
                failure.printStackTrace(err);
                return;
            }
            problems.forEach(problem -> err.println(ConfigFailure.line(problem)));
            code = ConfigFailure.EX_CONFIG;
        }

        int code() {
            return code;
        }
    }
}

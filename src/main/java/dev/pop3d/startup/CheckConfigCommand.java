package dev.pop3d.startup;

import dev.pop3d.conf1.Conf1Token;
import dev.pop3d.config.Conf1Config;
import dev.pop3d.config.ConfigFailure;
import dev.pop3d.config.ConfigLoader;
import dev.pop3d.config.Pop3Config;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code check-config}, as {@code doveconf -n}: loads the configuration as the server would
 * ({@link ConfigLoader}), prints the settings that differ from the defaults with secrets masked,
 * then runs the server's own checks ({@link ConfigChecks}). Binds nothing, creates nothing. Exit
 * 0, or 78 with one line per problem on stderr, the same lines the server prints.
 */
@Command(name = "check-config",
        description = "Check the configuration as the server would load it and print the settings that differ "
                + "from the defaults (secrets masked).",
        footer = {"", "Exit codes: 0 the server can start, 78 configuration error."})
public final class CheckConfigCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private final PrintStream out;
    private final PrintStream err;
    private final ConfigLoader.Sources sources;

    public CheckConfigCommand(PrintStream out, PrintStream err, ConfigLoader.Sources sources) {
        this.out = out;
        this.err = err;
        this.sources = sources;
    }

    @Override
    public Integer call() {
        SmallRyeConfig config;
        try {
            config = ConfigLoader.load(sources);
        } catch (RuntimeException e) {
            return refuse(e);
        }
        out.println("# pop3d check-config, profile " + String.join(",", config.getProfiles()));
        for (ConfigKeys.Key key : ConfigKeys.all()) {
            ConfigValue value = config.getConfigValue(key.name());
            if (value.getValue() != null && !value.isDefault() && !key.isDefault(value.getValue())) {
                out.println(key.name() + " = " + ConfigKeys.masked(key.name(), value.getValue())
                        + "    # " + ConfigLoader.origin(value));
            }
        }
        List<String> problems;
        try {
            problems = ConfigChecks.problems(config);
        } catch (RuntimeException e) {
            return refuse(e);
        }
        if (!problems.isEmpty()) {
            out.flush();
            problems.forEach(problem -> err.println(ConfigFailure.line(problem)));
            return ConfigFailure.EX_CONFIG;
        }
        Pop3Config pop3 = config.getConfigMapping(Pop3Config.class);
        String token = Conf1Token.find(Conf1Token.Settings.of(config.getConfigMapping(Conf1Config.class), pop3.dataDir()))
                .map(t -> t.file().map(f -> "read from " + f).orElse("from conf1.token"))
                .orElse("created by the server at first start in " + pop3.dataDir().resolve(Conf1Token.FILE_NAME));
        out.println("# CONF1 token " + token);
        out.println("# configuration OK");
        out.flush();
        return 0;
    }

    private int refuse(RuntimeException e) {
        List<String> problems = ConfigFailure.problems(e);
        if (problems.isEmpty()) {
            throw e;
        }
        out.flush();
        problems.forEach(problem -> err.println(ConfigFailure.line(problem)));
        return ConfigFailure.EX_CONFIG;
    }
}

package dev.pop3d.testing;

import dev.pop3d.Pop3dMain;
import dev.pop3d.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line in-process, as {@code java -jar quarkus-run.jar ARGS} parses it, with its own
 * system properties, environment and working directory (never this JVM's), for every command
 * that boots no Quarkus.
 */
public final class Cli {
    private final Map<String, String> system = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Path workingDir;
    private byte[] stdin = new byte[0];

    public Cli(Path workingDir) {
        this.workingDir = workingDir;
    }

    public Cli property(String key, String value) {
        system.put(key, value);
        return this;
    }

    public Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Cli stdin(String text) {
        stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public record Result(int exitCode, String out, String err) {}

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Pop3dMain.execute(args, new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ConfigLoader.Sources(Map.copyOf(system), Map.copyOf(env), workingDir));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

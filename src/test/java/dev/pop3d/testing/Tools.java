package dev.pop3d.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real client programs (curl, fetchmail, getmail, python3). Missing ones skip the test on a
 * developer machine but fail it when {@code -Dit.tools.required=true} (CI).
 */
public final class Tools {
    private Tools() {}

    public static void require(String program) {
        boolean present = which(program);
        if (Boolean.getBoolean("it.tools.required")) {
            if (!present) {
                throw new AssertionError(program + " is required (it.tools.required=true) but not installed");
            }
        } else {
            assumeTrue(present, program + " is not installed");
        }
    }

    /** Whether the program is installed (for a test that also runs, in part, without it). */
    public static boolean available(String program) {
        return which(program);
    }

    private static boolean which(String program) {
        try {
            return run(List.of("sh", "-c", "command -v " + program), null, 10).exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** What a finished program said. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    public static Result run(List<String> command, Path workDir, int timeoutSeconds) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        return run(builder, timeoutSeconds);
    }

    public static Result run(ProcessBuilder builder, int timeoutSeconds) throws IOException {
        return run(builder, null, timeoutSeconds);
    }

    /** Runs with {@code input} on standard input (closed after it), or /dev/null when null. */
    public static Result run(ProcessBuilder builder, byte[] input, int timeoutSeconds) throws IOException {
        if (input == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process = builder.start();
        if (input != null) {
            Thread writer = new Thread(() -> {
                try (var stdin = process.getOutputStream()) {
                    stdin.write(input);
                } catch (IOException ignored) {
                    // the program stopped reading: its output says why
                }
            });
            writer.start();
        }
        var stderr = new java.util.concurrent.CompletableFuture<String>();
        Thread errReader = new Thread(() -> {
            try {
                stderr.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                stderr.complete("");
            }
        });
        errReader.start();
        byte[] out = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(builder.command() + " timed out");
            }
            errReader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(process.exitValue(), out, stderr.getNow(""));
    }
}

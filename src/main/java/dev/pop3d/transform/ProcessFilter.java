package dev.pop3d.transform;

import dev.pop3d.mailcodec.CrlfOctets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a message through an external filter (CONF1 TFN, e.g. {@code sed s/a/4/g|sed s/e/3/g})
 * with {@code sh -c}, the stored file on its stdin and a spool file on its stdout. The output is
 * counted, so RETR can announce its size, and then streamed like any stored message: it is
 * transformed first and dot-stuffed after. The stored message is only ever read. Blocking.
 */
public final class ProcessFilter {
    private final Duration timeout;
    private final Path spoolDir;

    public ProcessFilter(Duration timeout, Path spoolDir) {
        this.timeout = timeout;
        this.spoolDir = spoolDir;
    }

    /** The filter's output, spooled: delete {@code file} when it has been sent. */
    public record Spooled(Path file, long octets) {}

    public Spooled run(String command, Path message) throws FilterException {
        Path out;
        Path err;
        try {
            Files.createDirectories(spoolDir);
            out = Files.createTempFile(spoolDir, "filter-", ".out");
            err = Files.createTempFile(spoolDir, "filter-", ".err");
        } catch (IOException e) {
            throw new FilterException("cannot create spool files in " + spoolDir, e);
        }
        boolean ok = false;
        try {
            Process process = new ProcessBuilder("sh", "-c", command)
                    .redirectInput(message.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new FilterException("filter timed out after " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new FilterException("filter exited with " + process.exitValue() + ": " + firstLine(err));
            }
            if (Files.size(err) > 0) {
                throw new FilterException("filter wrote to stderr: " + firstLine(err));
            }
            Spooled spooled = new Spooled(out, count(out));
            ok = true;
            return spooled;
        } catch (IOException e) {
            throw new FilterException("filter could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FilterException("interrupted", e);
        } finally {
            delete(err);
            if (!ok) {
                delete(out);
            }
        }
    }

    private static long count(Path file) throws IOException {
        CrlfOctets counter = new CrlfOctets();
        byte[] chunk = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
                counter.update(chunk, 0, n);
            }
        }
        return counter.octets();
    }

    private static String firstLine(Path file) {
        try (var lines = Files.lines(file)) {
            return lines.findFirst().map(l -> l.length() > 200 ? l.substring(0, 200) : l).orElse("");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale spool file in the temp folder is harmless
        }
    }
}

package dev.pop3d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.testing.RawClient;
import dev.pop3d.testing.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: names that are not valid in the JVM's file-name encoding never take a mailbox down.
 * With {@code LANG} unset the JVM's {@code sun.jnu.encoding} is ANSI_X3.4-1968 and every
 * non-ASCII name is such a name; with {@code C.UTF-8} only invalid UTF-8 ({@code caf\xe9}) is.
 * Each such file is skipped with one log line; the rest is served, and the file is left alone.
 */
class UndecodableFileNameIT {
    @TempDir
    Path dir;

    private static void rawName(Path folder, String octal) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf 'Subject: x\\r\\n\\r\\nx\\r\\n' > \"$(printf '" + octal + "')\"")
                .directory(folder.toFile()).start();
        assertEquals(0, p.waitFor());
    }

    private void serves(Map<String, String> locale, String expectedStat, String encoding) throws Exception {
        try (ServerProcess server = new ServerProcess(dir.resolve(encoding)).user("alice", "alice-pw").locale(locale)) {
            server.deliver("alice", "Subject: ok\r\n\r\nfine\r\n".getBytes(StandardCharsets.US_ASCII));
            Path cur = server.maildir("alice").resolve("cur");
            rawName(cur, "caf\\351:2,");       // ISO-8859-1 é: invalid UTF-8
            rawName(cur, "caf\\303\\251:2,");  // UTF-8 é: valid UTF-8, not ASCII
            server.start();
            for (int login = 0; login < 2; login++) {
                try (RawClient c = server.client()) {
                    c.login("alice", "alice-pw");
                    assertEquals(expectedStat, c.command("STAT").replaceAll(" \\d+$", ""));
                    assertTrue(c.command("RETR 1").startsWith("+OK"));
                    c.body();
                    c.command("QUIT");
                }
            }
            String log = server.log();
            assertTrue(log.contains("file-name encoding " + encoding), "skipped with a log line naming " + encoding);
        }
    }

    @Test
    void withLangUnsetNonAsciiNamesAreSkippedAndTheRestServed() throws Exception {
        serves(Map.of(), "+OK 1", "ANSI_X3.4-1968");
    }

    @Test
    void withCUtf8OnlyInvalidUtf8IsSkipped() throws Exception {
        serves(Map.of("LANG", "C.UTF-8"), "+OK 2", "UTF-8");
    }
}

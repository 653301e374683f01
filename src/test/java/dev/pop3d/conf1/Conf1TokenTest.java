package dev.pop3d.conf1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Conf1TokenTest {
    @TempDir
    Path dir;

    private Conf1Token.Settings settings(String tokenFile, String token) {
        return new Conf1Token.Settings(Optional.ofNullable(tokenFile), Optional.ofNullable(token), dir.resolve("data"));
    }

    private static String problem(Conf1Token.Settings settings) {
        return assertThrows(InvalidConfigException.class, () -> Conf1Token.resolve(settings, new SecureRandom()))
                .problems().get(0);
    }

    @Test
    void withNeitherKeyTheDataDirFileIsCreatedOnceWithTenLettersAndMode0600() throws Exception {
        Conf1Token.Token first = Conf1Token.resolve(settings(null, null), new SecureRandom());
        Path file = dir.resolve("data/conf1.token");
        assertTrue(first.created());
        assertEquals(Optional.of(file), first.file());
        assertTrue(first.value().matches("[A-Za-z]{10}"), "10 letters");
        assertEquals(first.value() + "\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Conf1Token.Token second = Conf1Token.resolve(settings(null, null), new SecureRandom());
        assertFalse(second.created(), "read, not created, the second time");
        assertEquals(first.value(), second.value());
        assertFalse(first.toString().contains(first.value()), "never shown: " + first);
    }

    @Test
    void findNeverCreates() {
        assertEquals(Optional.empty(), Conf1Token.find(settings(null, null)));
        assertFalse(Files.exists(dir.resolve("data/conf1.token")));
    }

    @Test
    void tokenFileWinsOverTokenWhichWinsOverTheDataDirFile() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/conf1.token"), "DataDirTok\n");
        Path mounted = Files.writeString(dir.resolve("mounted"), "  FromTheFil \n");
        assertEquals("FromTheFil", Conf1Token.resolve(settings(mounted.toString(), "FromTheKey"), new SecureRandom()).value());
        assertEquals("FromTheKey", Conf1Token.resolve(settings(null, "FromTheKey"), new SecureRandom()).value());
        assertEquals(Conf1Token.Origin.DATA_DIR_FILE, Conf1Token.resolve(settings(null, null), new SecureRandom()).origin());
        assertEquals("DataDirTok", Conf1Token.resolve(settings(null, null), new SecureRandom()).value());
    }

    @Test
    void emptyAndInvalidTokensAreRefusedNamingTheKeyOrTheFile() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty-token"), "\n");
        assertEquals(empty + " (conf1.token-file) is empty: write the 10-letter CONF1 token into it",
                problem(settings(empty.toString(), null)));
        assertTrue(problem(settings("", null)).startsWith("conf1.token-file is empty"));
        assertTrue(problem(settings(null, "")).startsWith("conf1.token is empty"));
        assertEquals("conf1.token must be exactly 10 ASCII letters", problem(settings(null, "short")));
        assertEquals("conf1.token must be exactly 10 ASCII letters", problem(settings(null, "adminadmi1")));
        Path eleven = Files.writeString(dir.resolve("eleven"), "abcdefghijk");
        assertEquals(eleven + " (conf1.token-file) must hold exactly 10 ASCII letters", problem(settings(eleven.toString(), null)));
        assertTrue(problem(settings(dir.resolve("missing").toString(), null)).contains("does not exist"));
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/conf1.token"), "not a token");
        assertEquals(dir.resolve("data/conf1.token") + " must hold exactly 10 ASCII letters: fix it, or delete it to "
                + "have one generated", problem(settings(null, null)));
    }

    @Test
    void replicasStartingTogetherOnOneVolumeShareOneToken() throws Exception {
        int replicas = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Conf1Token.Token>> starts = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            starts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return Conf1Token.resolve(settings(null, null), new SecureRandom());
            }, java.util.concurrent.Executors.newSingleThreadExecutor()));
        }
        go.countDown();
        Set<String> values = new HashSet<>();
        int created = 0;
        for (CompletableFuture<Conf1Token.Token> start : starts) {
            Conf1Token.Token token = start.get();
            values.add(token.value());
            created += token.created() ? 1 : 0;
        }
        assertEquals(1, values.size(), "one token for all");
        assertEquals(1, created, "exactly one creator (O_EXCL)");
    }
}

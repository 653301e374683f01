package dev.pop3d.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.config.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
    @TempDir
    Path dir;

    @Test
    void unsetTheTokenIsGeneratedOnceInto0600FileAndReadAfterwards() throws Exception {
        AdminToken first = AdminToken.resolve(Optional.empty(), dir.resolve("data"), new SecureRandom());
        Path file = dir.resolve("data").resolve(AdminToken.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
        assertEquals(32, value.length());
        assertTrue(AdminToken.valid(value));
        assertTrue(first.matches(value));
        AdminToken again = AdminToken.resolve(Optional.empty(), dir.resolve("data"), new SecureRandom());
        assertTrue(again.matches(value), "a restart reads the same token");
        assertEquals(value, Files.readString(file, StandardCharsets.US_ASCII).strip());
        assertFalse(first.toString().contains(value), "never printed");
    }

    @Test
    void aConfiguredTokenWinsAndMustBeTokenCharacters() {
        AdminToken token = AdminToken.resolve(Optional.of("from-env_42"), dir, new SecureRandom());
        assertTrue(token.matches("from-env_42"));
        assertFalse(token.matches("from-env_4"));
        assertFalse(token.matches(""));
        assertFalse(Files.exists(dir.resolve(AdminToken.FILE_NAME)), "no file when the key is set");
        for (String bad : new String[] {"", "  ", "has space", "tab\there", "quote\"", "x".repeat(AdminToken.MAX_LENGTH + 1)}) {
            assertThrows(InvalidConfigException.class, () -> AdminToken.resolve(Optional.of(bad), dir, new SecureRandom()),
                    bad);
        }
    }

    @Test
    void aBrokenTokenFileIsRefusedNamingTheFile() throws Exception {
        Files.writeString(dir.resolve(AdminToken.FILE_NAME), "not a token\n");
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> AdminToken.resolve(Optional.empty(), dir, new SecureRandom()));
        assertTrue(e.getMessage().contains(dir.resolve(AdminToken.FILE_NAME).toString()), e.getMessage());
        assertFalse(e.getMessage().contains("not a token"), "the content is not shown");
    }
}

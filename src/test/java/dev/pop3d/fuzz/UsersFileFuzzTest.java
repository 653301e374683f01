package dev.pop3d.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pop3d.auth.InvalidUsersException;
import dev.pop3d.auth.UserStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;

/**
 * Target 3: {@link UserStore#load} on an arbitrary users file and inline list. The first octet is
 * the length of the inline list ({@code pop3.users}) that follows it; the rest is the users file.
 * Invariants: either a valid user table (every name usable as a directory, every entry counted,
 * PLAIN passwords verify) or {@link InvalidUsersException} whose message is one of the known
 * texts about a named line — so no secret can be in it; never another exception.
 */
class UsersFileFuzzTest {
    private static final Path FILE = usersFile();
    /** Every rejection names its source and line, then says what is wrong (a user name at most). */
    private static final Pattern REJECTION = Pattern.compile("(" + Pattern.quote(FILE.toString()) + " line \\d+"
            + "|pop3\\.users entry \\d+): (expected user:secret|user name (must have 1 to 64 characters|cannot be \\. or \\.\\."
            + "|contains a character not allowed \\(space, control, / \\\\ or :\\))|unknown password scheme \\(use PLAIN,"
            + " SHA256, SSHA256, BCRYPT or SCRAM-SHA-256\\)|malformed \\{SCRAM-SHA-256\\} secret \\(expected iterations,salt,"
            + "StoredKey,ServerKey as doveadm pw -s SCRAM-SHA-256 prints\\)|not valid UTF-8|user (?<twice>[^:\\s]+) is defined twice)");
    private static final FuzzRuns RUNS = new FuzzRuns("UsersFileFuzzTest");

    @FuzzTest(maxDuration = "30s")
    void usersFile(byte[] input) throws IOException {
        RUNS.ran();
        int inlineLength = input.length > 0 ? Math.min(input[0] & 0xff, input.length - 1) : 0;
        String inline = inlineLength > 0 ? new String(input, 1, inlineLength, StandardCharsets.UTF_8) : "";
        byte[] file = input.length > 1 + inlineLength ? Arrays.copyOfRange(input, 1 + inlineLength, input.length) : new byte[0];
        Files.write(FILE, file);
        Optional<String> inlineUsers = inlineLength > 0 ? Optional.of(inline) : Optional.empty();
        if (costlyByConfiguration(inline + "\n" + new String(file, StandardCharsets.ISO_8859_1))) {
            return; // a well-formed bcrypt cost 13+ or SCRAM 100,000+ iterations is slow by design, not a bug
        }
        UserStore users;
        try {
            users = UserStore.load(inlineUsers, Optional.of(FILE));
        } catch (InvalidUsersException rejected) {
            var matcher = REJECTION.matcher(rejected.getMessage());
            assertTrue(matcher.matches(), "not a known rejection (a secret could be in it): " + rejected.getMessage());
            return;
        }
        List<String> lines = new String(file, StandardCharsets.UTF_8).lines()
                .map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l)
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        long inlineEntries = inlineUsers.filter(s -> !s.isBlank()).map(s -> (long) s.split(",").length).orElse(0L);
        assertEquals(lines.size() + inlineEntries, users.users().size(), "every entry is one user");
        for (String user : users.users()) {
            assertFalse(user.isEmpty() || user.length() > 64 || user.equals(".") || user.equals(".."), "user " + user);
            assertTrue(user.chars().noneMatch(c -> c <= ' ' || c == 0x7f || c == '/' || c == '\\' || c == ':'), "user " + user);
        }
        for (String line : lines) {
            String user = line.substring(0, line.indexOf(':'));
            String secret = line.substring(line.indexOf(':') + 1);
            if (secret.startsWith("{PLAIN}") || !secret.startsWith("{")) {
                String password = secret.startsWith("{PLAIN}") ? secret.substring(7) : secret;
                assertTrue(users.verify(user, password), "the PLAIN password of " + user + " does not verify");
                assertFalse(users.verify(user, password + "x"), "a wrong password verifies for " + user);
            }
        }
    }

    private static final Pattern COSTLY = Pattern.compile(
            "\\$2[aby]\\$(1[3-9]|[23][0-9])\\$|\\{SCRAM-SHA-256\\}\\s*\\+?0*[1-9][0-9]{5,}", Pattern.CASE_INSENSITIVE);

    /**
     * The users file may ask for an expensive check on purpose; the decoy then costs as much, once
     * per load. Such inputs are left out so that a timeout means a bug (like a malformed hash's
     * digits setting the cost), not a configured cost.
     */
    static boolean costlyByConfiguration(String text) {
        return COSTLY.matcher(text).find();
    }

    private static Path usersFile() {
        try {
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "pop3d-fuzz-users-")
                    : Files.createTempDirectory("pop3d-fuzz-users-");
            return dir.resolve("users");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void ranInputs() throws IOException {
        Files.deleteIfExists(FILE);
        Files.deleteIfExists(FILE.getParent());
        RUNS.requireInputs();
    }
}

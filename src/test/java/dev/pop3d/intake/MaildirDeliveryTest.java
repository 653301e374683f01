package dev.pop3d.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.mailstore.maildir.MaildirDelivery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The intake's delivery into real Maildirs in a temp dir: one file per copy, all-or-nothing, tmp/ cleaning. */
class MaildirDeliveryTest {
    @TempDir
    Path root;

    private static List<Path> files(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.sorted().toList();
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void eachCopyHasItsPrefixThenTheSameBytes() throws Exception {
        Path zed = root.resolve("zed/Maildir");
        Path amy = root.resolve("amy/Maildir");
        MaildirDelivery.Batch batch = MaildirDelivery.open(List.of(new MaildirDelivery.Copy(zed, ascii("A: zed\r\n")),
                new MaildirDelivery.Copy(amy, ascii("A: amy\r\n"))), Instant.now());
        assertEquals(1, files(zed.resolve("tmp")).size(), "written in tmp/ first");
        batch.write(ascii("xxSubject: s\r\n\r\nbody\r\n"), 2, 20);
        assertEquals(List.of(MaildirDelivery.Result.STORED, MaildirDelivery.Result.STORED), batch.commit(false));
        assertEquals("A: zed\r\nSubject: s\r\n\r\nbody\r\n", Files.readString(files(zed.resolve("new")).get(0)));
        assertEquals("A: amy\r\nSubject: s\r\n\r\nbody\r\n", Files.readString(files(amy.resolve("new")).get(0)));
        assertEquals(List.of(), files(zed.resolve("tmp")));
    }

    @Test
    void aCopyThatCannotBeCreatedFailsAloneOrAllForSmtp() throws Exception {
        Path zed = root.resolve("zed/Maildir");
        Path blocked = root.resolve("blocked/Maildir");
        Files.createDirectories(blocked.getParent());
        Files.writeString(blocked, "a file where the Maildir should be");
        List<MaildirDelivery.Copy> copies = List.of(new MaildirDelivery.Copy(zed, ascii("")),
                new MaildirDelivery.Copy(blocked, ascii("")));
        MaildirDelivery.Batch lmtp = MaildirDelivery.open(copies, Instant.now());
        lmtp.write(ascii("m\r\n"), 0, 3);
        assertEquals(List.of(MaildirDelivery.Result.STORED, MaildirDelivery.Result.FAILED), lmtp.commit(false));
        assertEquals(1, files(zed.resolve("new")).size());
        MaildirDelivery.Batch smtp = MaildirDelivery.open(copies, Instant.now());
        smtp.write(ascii("m\r\n"), 0, 3);
        assertEquals(List.of(MaildirDelivery.Result.FAILED, MaildirDelivery.Result.FAILED), smtp.commit(true));
        assertEquals(1, files(zed.resolve("new")).size(), "all or nothing: the good copy is not stored either");
        assertEquals(List.of(), files(zed.resolve("tmp")));
    }

    @Test
    void abortRemovesEveryCopy() throws Exception {
        Path zed = root.resolve("zed/Maildir");
        MaildirDelivery.Batch batch = MaildirDelivery.open(List.of(new MaildirDelivery.Copy(zed, ascii("p\r\n"))), Instant.now());
        batch.write(ascii("half"), 0, 4);
        batch.abort();
        assertEquals(List.of(), files(zed.resolve("tmp")));
        assertEquals(List.of(), files(zed.resolve("new")));
    }

    @Test
    void staleTmpFilesAreRemovedAtTheNextDeliveryAndFreshOnesKept() throws Exception {
        Path zed = root.resolve("zed/Maildir");
        Files.createDirectories(zed.resolve("tmp"));
        Path stale = Files.writeString(zed.resolve("tmp/1.crashed"), "half");
        Path fresh = Files.writeString(zed.resolve("tmp/2.in-progress"), "half");
        Instant now = Instant.now();
        Files.setLastModifiedTime(stale, FileTime.from(now.minus(Duration.ofHours(37))));
        Files.setLastModifiedTime(fresh, FileTime.from(now.minus(Duration.ofHours(35))));
        MaildirDelivery.Batch batch = MaildirDelivery.open(List.of(new MaildirDelivery.Copy(zed, ascii(""))), now);
        assertTrue(Files.notExists(stale));
        assertTrue(Files.exists(fresh), "a delivery under way elsewhere is left alone");
        batch.abort();
    }
}

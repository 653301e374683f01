package dev.pop3d.mailstore.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo maildrop served when no users are configured: a few realistic messages (plain text,
 * dot-stuffing, MIME with an attachment, 8-bit UTF-8, no final newline) delivered once.
 */
public final class DemoMaildrop {
    public static final String USER = "demo";
    public static final String PASSWORD = "demo";
    /** Resources under {@code demo/}, in delivery order. */
    static final List<String> MESSAGES = List.of(
            "01-welcome.eml", "02-dot-lines.eml", "03-multipart.eml", "04-utf8.eml", "05-no-final-newline.eml");

    private DemoMaildrop() {}

    /**
     * Creates {@code <root>/demo/Maildir} with the demo messages in {@code new/} unless it
     * exists; returns true if it created it. Never touches an existing maildrop.
     */
    public static boolean ensure(Path root) throws IOException {
        Path maildir = MaildirStore.maildir(root, USER);
        if (Files.exists(maildir)) {
            return false;
        }
        for (String message : MESSAGES) {
            try (InputStream in = DemoMaildrop.class.getResourceAsStream("/demo/" + message)) {
                if (in == null) {
                    throw new IOException("demo message missing from the application: " + message);
                }
                MaildirDelivery.deliver(maildir, in);
            }
        }
        return true;
    }
}

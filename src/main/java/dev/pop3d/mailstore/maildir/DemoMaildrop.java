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

    static final int DEFAULT_PORT = 1110;
    private static final byte[] PORT_PLACEHOLDER = "${pop3.port}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private DemoMaildrop() {}

    /** Replaces every {@code ${pop3.port}} in the (ASCII) message by the port number. */
    static byte[] withPort(byte[] text, int port) {
        String ascii = new String(text, java.nio.charset.StandardCharsets.ISO_8859_1);
        String placeholder = new String(PORT_PLACEHOLDER, java.nio.charset.StandardCharsets.ISO_8859_1);
        return ascii.replace(placeholder, Integer.toString(port)).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Creates {@code <root>/demo/Maildir} with the demo messages in {@code new/} unless it
     * exists; returns true if it created it. Never touches an existing maildrop.
     */
    public static boolean ensure(Path root) throws IOException {
        return ensure(root, DEFAULT_PORT);
    }

    /**
     * As {@link #ensure(Path)}; the welcome message's curl commands name {@code port}, the POP3
     * port configured when the maildrop is created.
     */
    public static boolean ensure(Path root, int port) throws IOException {
        Path maildir = MaildirStore.maildir(root, USER);
        if (Files.exists(maildir)) {
            return false;
        }
        for (String message : MESSAGES) {
            try (InputStream in = DemoMaildrop.class.getResourceAsStream("/demo/" + message)) {
                if (in == null) {
                    throw new IOException("demo message missing from the application: " + message);
                }
                byte[] text = in.readAllBytes(); // a few KiB, shipped with the application
                MaildirDelivery.deliver(maildir, new java.io.ByteArrayInputStream(withPort(text, port)));
            }
        }
        return true;
    }
}

package dev.pop3d.load.bench;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;

/**
 * SHA-256 of a message's CRLF lines with all trailing white space (spaces, tabs, empty lines) left
 * out: the form in which GreenMail, which drops trailing empty lines and trailing blanks of the
 * last line, is compared with the stored message.
 */
final class TrimmedDigest {
    private final MessageDigest digest = BenchClient.sha256();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** One line without its line ending. */
    void line(byte[] bytes, int offset, int length) {
        int last = offset + length - 1;
        while (last >= offset && (bytes[last] == ' ' || bytes[last] == '\t')) {
            last--;
        }
        if (last >= offset) {
            digest.update(pending.toByteArray());
            pending.reset();
            digest.update(bytes, offset, last - offset + 1);
        }
        pending.write(bytes, last + 1, offset + length - last - 1);
        pending.write('\r');
        pending.write('\n');
    }

    byte[] finish() {
        return digest.digest();
    }
}

package dev.pop3d.mailstore;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** An I/O failure of the mail store. Its message is for logs, never for the wire. */
public class MailstoreException extends Exception {
    public MailstoreException(String message) {
        super(message);
    }

    public MailstoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * This failure and its causes as one log line ({@code cannot read X: X/pop3d-uidlist:
     * permission denied}): an operator's fault such as a file mode is told in a line, not a
     * stack trace.
     */
    public String oneLine() {
        StringBuilder line = new StringBuilder(String.valueOf(getMessage()));
        for (Throwable cause = getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            line.append(": ").append(reason(cause));
        }
        return line.toString();
    }

    /**
     * What went wrong, readably: {@code AccessDeniedException}'s own message is only the path, so
     * the kind is named ({@code /x/cur/y: permission denied}).
     */
    public static String reason(Throwable e) {
        if (e instanceof AccessDeniedException denied) {
            return denied.getFile() + ": permission denied";
        }
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + ": no such file";
        }
        if (e instanceof FileSystemException fs && fs.getReason() == null) {
            return fs.getFile() + ": " + e.getClass().getSimpleName();
        }
        return String.valueOf(e.getMessage());
    }
}

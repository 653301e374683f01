package dev.pop3d.testcontainers;

/** An admin API request that did not succeed: its status (0 when no answer came) and the server's text. */
public final class Pop3dAdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Pop3dAdminException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when the server did not answer. */
    public int status() {
        return status;
    }
}

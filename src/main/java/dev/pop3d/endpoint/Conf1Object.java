package dev.pop3d.endpoint;

/**
 * One CONF1 object: a 3-letter code, its GET answer and, if writable, its validated SET. The
 * feature that owns the value contributes the object ({@link Conf1Contribution}); the CONF1
 * endpoint only lists and runs them.
 */
public interface Conf1Object {
    String code();

    boolean writable();

    Conf1Reply get();

    /** Validates and applies; may block only where {@link #blocking()} says so. */
    default Conf1Reply set(String argument) {
        return Conf1Reply.err(code() + " is read-only");
    }

    /**
     * Whether SET touches the disk (creates or checks folders): such requests run on a worker;
     * every other request is answered on the event loop at once, so a flood drains quickly.
     */
    default boolean blocking() {
        return false;
    }
}

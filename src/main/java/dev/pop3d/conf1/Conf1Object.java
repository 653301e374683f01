package dev.pop3d.conf1;

/** One CONF1 object: a 3-letter code, its GET answer and, if writable, its validated SET. */
public interface Conf1Object {
    String code();

    boolean writable();

    Conf1Reply get();

    /** Validates and applies; blocking allowed (the endpoint runs it on a worker). */
    default Conf1Reply set(String argument) {
        return Conf1Reply.err(code() + " is read-only");
    }
}

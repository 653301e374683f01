package dev.pop3d.intake.protocol;

/**
 * The two faces of the intake engine. They differ in the greeting word, the hello verb and the
 * answer after DATA: LMTP (RFC 2033) answers once per accepted recipient, SMTP (RFC 5321) once.
 */
public enum Dialect {
    /** RFC 2033: LHLO only (§4.1: HELO and EHLO are refused), one reply per recipient after DATA (§4.2). */
    LMTP("LMTP", "LHLO"),
    /** RFC 5321: EHLO or HELO, one reply after DATA; the project's test intake. */
    SMTP("ESMTP", "EHLO");

    private final String greetingWord;
    private final String hello;

    Dialect(String greetingWord, String hello) {
        this.greetingWord = greetingWord;
        this.hello = hello;
    }

    /** The word of the 220 greeting and of the trace header's {@code with} clause. */
    public String protocolName() {
        return greetingWord;
    }

    /** The hello verb a client must send first. */
    public String hello() {
        return hello;
    }

    /** The name used in logs, metrics and readiness ({@code lmtp}, {@code smtp}). */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

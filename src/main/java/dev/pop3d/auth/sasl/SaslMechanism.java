package dev.pop3d.auth.sasl;

import java.util.Optional;

/**
 * A SASL mechanism (RFC 4422): a name for CAPA {@code SASL} and AUTH, and a new exchange per
 * AUTH command. Implementations are immutable and shared by every session; an exchange's state
 * lives in the {@link SaslStep.Challenge} continuations it returns. Plain Java, never blocking:
 * a password to check comes back as {@link SaslStep.Verify}.
 */
public interface SaslMechanism {
    /** The registered name, upper case, e.g. {@code PLAIN}, {@code SCRAM-SHA-256}. */
    String name();

    /**
     * True if the client sends the password itself (PLAIN, LOGIN): refused before TLS under
     * {@code pop3.auth.plaintext=never-without-tls}.
     */
    boolean plaintext();

    /**
     * The longest decoded client response this mechanism accepts; the shell may allow a
     * continuation line of {@code 4 * ceil(n / 3)} base64 characters plus CRLF (RFC 5034 §4).
     */
    int maxResponseOctets();

    /**
     * Starts an exchange. {@code initialResponse} is empty when AUTH had no argument and holds
     * zero octets for {@code AUTH NAME =} (RFC 5034 §4).
     */
    SaslStep start(Optional<byte[]> initialResponse);
}

package dev.pop3d.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * LOGIN (draft-murchison-sasl-login-00; ADR 0010): the server asks {@code Username:} then
 * {@code Password:} and the client answers each, then the shell checks the password as for PASS
 * ({@link SaslStep.Verify}). A user name sent as the initial response (as SMTP clients do under
 * RFC 4954) skips the first challenge. Obsolete, kept for Outlook and older clients.
 */
public final class LoginMechanism implements SaslMechanism {
    /** The challenges most clients expect, word for word (draft-murchison-sasl-login-00 §2). */
    static final byte[] USERNAME_CHALLENGE = "Username:".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PASSWORD_CHALLENGE = "Password:".getBytes(StandardCharsets.US_ASCII);
    /** As for PLAIN (RFC 4616 §2): a user name or password of at most 255 octets. */
    static final int MAX_FIELD_OCTETS = 255;

    @Override
    public String name() {
        return "LOGIN";
    }

    @Override
    public boolean plaintext() {
        return true;
    }

    @Override
    public int maxResponseOctets() {
        return MAX_FIELD_OCTETS;
    }

    @Override
    public SaslStep start(Optional<byte[]> initialResponse) {
        if (initialResponse.isEmpty() || initialResponse.get().length == 0) {
            return new SaslStep.Challenge(USERNAME_CHALLENGE, LoginMechanism::username);
        }
        return username(initialResponse.get());
    }

    private static SaslStep username(byte[] response) {
        Optional<String> user = field(response);
        if (user.isEmpty()) {
            return new SaslStep.Failure(SaslStep.Reason.MALFORMED);
        }
        return new SaslStep.Challenge(PASSWORD_CHALLENGE, password -> password(user.get(), password));
    }

    private static SaslStep password(String user, byte[] response) {
        return field(response).<SaslStep>map(password -> new SaslStep.Verify(user, password))
                .orElseGet(() -> new SaslStep.Failure(SaslStep.Reason.MALFORMED));
    }

    private static Optional<String> field(byte[] response) {
        if (response.length == 0 || response.length > MAX_FIELD_OCTETS) {
            return Optional.empty();
        }
        return StrictUtf8.decode(response);
    }
}

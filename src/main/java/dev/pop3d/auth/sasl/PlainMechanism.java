package dev.pop3d.auth.sasl;

import java.util.Optional;

/**
 * PLAIN (RFC 4616): one client message {@code [authzid] NUL authcid NUL passwd}, answered with
 * {@link SaslStep.Verify} for the shell to check on its password pool. No proxy authorization:
 * an authzid that is neither empty nor the authcid is {@link SaslStep.Reason#REJECTED}.
 */
public final class PlainMechanism implements SaslMechanism {
    /** RFC 4616 §2: each of authzid, authcid and passwd is at most 255 octets. */
    static final int MAX_FIELD_OCTETS = 255;
    static final int MAX_MESSAGE_OCTETS = 3 * MAX_FIELD_OCTETS + 2;

    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public boolean plaintext() {
        return true;
    }

    @Override
    public int maxResponseOctets() {
        return MAX_MESSAGE_OCTETS;
    }

    /**
     * Without an initial response, or with an empty one, the server sends an empty challenge and
     * the client answers with the message (RFC 4422 §5, RFC 5034 §4).
     */
    @Override
    public SaslStep start(Optional<byte[]> initialResponse) {
        if (initialResponse.isEmpty() || initialResponse.get().length == 0) {
            return new SaslStep.Challenge(new byte[0], PlainMechanism::message);
        }
        return message(initialResponse.get());
    }

    static SaslStep message(byte[] message) {
        if (message.length > MAX_MESSAGE_OCTETS) {
            return new SaslStep.Failure(SaslStep.Reason.MALFORMED);
        }
        int first = indexOfNul(message, 0);
        int second = first < 0 ? -1 : indexOfNul(message, first + 1);
        if (second < 0 || indexOfNul(message, second + 1) >= 0) {
            return new SaslStep.Failure(SaslStep.Reason.MALFORMED); // exactly two NULs
        }
        Optional<String> authzid = field(message, 0, first, true);
        Optional<String> authcid = field(message, first + 1, second, false);
        Optional<String> passwd = field(message, second + 1, message.length, false);
        if (authzid.isEmpty() || authcid.isEmpty() || passwd.isEmpty()) {
            return new SaslStep.Failure(SaslStep.Reason.MALFORMED);
        }
        if (!authzid.get().isEmpty() && !authzid.get().equals(authcid.get())) {
            return new SaslStep.Failure(SaslStep.Reason.REJECTED); // RFC 4616 §2: may not act as another
        }
        return new SaslStep.Verify(authcid.get(), passwd.get());
    }

    /** RFC 4616 §2: authcid and passwd are 1*SAFE, authzid may be empty; all UTF-8, 255 octets. */
    private static Optional<String> field(byte[] message, int from, int to, boolean mayBeEmpty) {
        int length = to - from;
        if (length > MAX_FIELD_OCTETS || (length == 0 && !mayBeEmpty)) {
            return Optional.empty();
        }
        return StrictUtf8.decode(message, from, to);
    }

    private static int indexOfNul(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}

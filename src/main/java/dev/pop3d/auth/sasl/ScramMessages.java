package dev.pop3d.auth.sasl;

import java.util.Base64;
import java.util.Optional;

/** Parses the two SCRAM client messages (RFC 5802 §7); empty means malformed. Pure. */
final class ScramMessages {
    private ScramMessages() {}

    /**
     * {@code gs2-header client-first-message-bare}: the header is kept verbatim for the
     * {@code c=} check, the bare part for the AuthMessage (RFC 5802 §3).
     */
    record ClientFirst(String gs2Header, String bare, String user, Optional<String> authzid, String clientNonce) {}

    /** {@code client-final-message}: channel binding, nonce, and the proof after the part it signs. */
    record ClientFinal(byte[] channelBinding, String nonce, String withoutProof, byte[] proof) {}

    static Optional<ClientFirst> clientFirst(String message) {
        String[] parts = message.split(",", -1);
        if (parts.length < 4) {
            return Optional.empty();
        }
        // RFC 5802 §6: "n" (no binding) or "y" (client could bind, thinks we cannot; we offer no
        // -PLUS, so that is true); "p=" asks for a binding that SCRAM-SHA-256 does not carry
        if (!parts[0].equals("n") && !parts[0].equals("y")) {
            return Optional.empty();
        }
        Optional<String> authzid = Optional.empty();
        if (!parts[1].isEmpty()) {
            if (!parts[1].startsWith("a=")) {
                return Optional.empty();
            }
            authzid = saslname(parts[1].substring(2));
            if (authzid.isEmpty()) {
                return Optional.empty();
            }
        }
        // RFC 5802 §5.1 m: a mandatory extension we do not know fails the exchange
        if (!parts[2].startsWith("n=") || !parts[3].startsWith("r=")) {
            return Optional.empty();
        }
        Optional<String> user = saslname(parts[2].substring(2));
        String nonce = parts[3].substring(2);
        if (user.isEmpty() || !printable(nonce) || !extensions(parts, 4, parts.length)) {
            return Optional.empty();
        }
        String header = parts[0] + "," + parts[1] + ",";
        return Optional.of(new ClientFirst(header, message.substring(header.length()), user.get(), authzid, nonce));
    }

    static Optional<ClientFinal> clientFinal(String message) {
        String[] parts = message.split(",", -1);
        if (parts.length < 3 || !parts[0].startsWith("c=") || !parts[1].startsWith("r=")
                || !parts[parts.length - 1].startsWith("p=") || !extensions(parts, 2, parts.length - 1)) {
            return Optional.empty();
        }
        String proofText = parts[parts.length - 1];
        try {
            byte[] binding = Base64.getDecoder().decode(parts[0].substring(2));
            byte[] proof = Base64.getDecoder().decode(proofText.substring(2));
            String withoutProof = message.substring(0, message.length() - proofText.length() - 1);
            return Optional.of(new ClientFinal(binding, parts[1].substring(2), withoutProof, proof));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not base64
        }
    }

    /** RFC 5802 §5.1: {@code =2C} is ',' and {@code =3D} is '='; any other '=' is an error. */
    static Optional<String> saslname(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder name = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '=') {
                name.append(c);
            } else if (text.startsWith("=2C", i)) {
                name.append(',');
                i += 2;
            } else if (text.startsWith("=3D", i)) {
                name.append('=');
                i += 2;
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(name.toString());
    }

    /** RFC 5802 §7: {@code printable = %x21-2B / %x2D-7E}, at least one. */
    private static boolean printable(String nonce) {
        return !nonce.isEmpty() && nonce.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != ',');
    }

    /** RFC 5802 §7: optional extensions {@code ALPHA "=" 1*value-char}, ignored when well-formed. */
    private static boolean extensions(String[] parts, int from, int to) {
        for (int i = from; i < to; i++) {
            String part = parts[i];
            char name = part.isEmpty() ? ' ' : part.charAt(0);
            boolean alpha = (name >= 'a' && name <= 'z') || (name >= 'A' && name <= 'Z');
            if (!alpha || part.length() < 3 || part.charAt(1) != '=') {
                return false;
            }
        }
        return true;
    }
}

package dev.pop3d.admin;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may call the admin API, as a pure rule: a client beyond loopback must send
 * {@code Authorization: Bearer <token>} (RFC 6750 §2.1); a loopback client may omit it (the test
 * process on the same host), but a token it sends must be the right one — a wrong token is never
 * ignored. The client address is the socket's peer (proxy headers are not trusted).
 */
final class AdminAccess {
    private static final String BEARER = "bearer ";

    /** The answer for one request. */
    enum Decision {
        ALLOWED,
        /** 401: beyond loopback without a token. */
        TOKEN_REQUIRED,
        /** 401: a token (or another scheme) that is not the admin token. */
        WRONG_TOKEN
    }

    private AdminAccess() {}

    static Decision decide(InetAddress client, Optional<String> authorization, AdminToken token) {
        if (authorization.isEmpty()) {
            return loopback(client) ? Decision.ALLOWED : Decision.TOKEN_REQUIRED;
        }
        String header = authorization.get().strip();
        // RFC 7235 §2.1: the scheme is case-insensitive
        if (header.length() <= BEARER.length()
                || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Decision.WRONG_TOKEN;
        }
        String presented = header.substring(BEARER.length()).strip();
        return AdminToken.valid(presented) && token.matches(presented) ? Decision.ALLOWED : Decision.WRONG_TOKEN;
    }

    /** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6 (::ffff:127.x.y.z). */
    static boolean loopback(InetAddress client) {
        if (client.isLoopbackAddress()) {
            return true;
        }
        byte[] a = client.getAddress();
        if (a.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff && a[12] == 127;
    }
}

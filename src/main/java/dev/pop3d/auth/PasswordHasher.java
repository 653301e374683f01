package dev.pop3d.auth;

import java.util.Optional;

/** Stored secrets in the {@code {SCHEME}secret} form of the users file. */
public final class PasswordHasher {
    private PasswordHasher() {}

    /** A new stored secret for {@code password}, e.g. {@code {BCRYPT}$2a$10$...} or {@code {SCRAM-SHA-256}4096,...}. */
    public static String hash(PasswordScheme scheme, String password, int cost) {
        return "{" + scheme.externalName() + "}" + scheme.hash(password, cost);
    }

    public static String hash(PasswordScheme scheme, String password) {
        return hash(scheme, password, PasswordScheme.DEFAULT_COST);
    }

    /** True if {@code password} matches {@code stored} (no prefix means PLAIN). Constant-time. */
    public static boolean verify(String stored, String password) {
        Optional<Parsed> parsed = parse(stored);
        return parsed.isPresent() && parsed.get().scheme().matches(parsed.get().secret(), password);
    }

    /** The SCRAM-SHA-256 keys of a stored secret; empty for every other scheme or a malformed one. */
    public static Optional<ScramCredential> scramCredential(String stored) {
        return parse(stored).filter(parsed -> parsed.scheme() == PasswordScheme.SCRAM_SHA256)
                .flatMap(parsed -> ScramCredential.parse(parsed.secret()));
    }

    /** A stored secret split into scheme and secret; empty for an unknown scheme. */
    static Optional<Parsed> parse(String stored) {
        if (stored.startsWith("{")) {
            int close = stored.indexOf('}');
            if (close < 0) {
                return Optional.empty();
            }
            return PasswordScheme.named(stored.substring(1, close))
                    .map(scheme -> new Parsed(scheme, stored.substring(close + 1)));
        }
        return Optional.of(new Parsed(PasswordScheme.PLAIN, stored));
    }

    record Parsed(PasswordScheme scheme, String secret) {
        @Override
        public String toString() {
            return "Parsed[" + scheme + ", ***]";
        }
    }
}

package dev.pop3d.auth.sasl;

import dev.pop3d.auth.ScramCredential;
import java.util.Optional;

/**
 * Where SCRAM finds a user's stored keys: empty for an unknown user and for one stored with a
 * scheme that has none; the mechanism treats both alike. Must not block (the users in memory,
 * e.g. {@code UserDirectory::scramCredential}).
 */
@FunctionalInterface
public interface ScramCredentials {
    Optional<ScramCredential> lookup(String user);
}

package dev.pop3d.pop3.protocol;

import java.util.List;

/**
 * What one session may do now, from {@link Capabilities#facts}: the same value decides CAPA and
 * which commands the session machine accepts.
 *
 * @param secure           the channel is TLS (implicit, or after STLS)
 * @param stlsOffered      STLS is available (a certificate is configured and TLS is not yet up)
 * @param plaintextAllowed USER/PASS and password-carrying SASL mechanisms are allowed
 * @param mechanisms       the SASL mechanisms AUTH accepts now
 */
public record SessionFacts(boolean secure, boolean stlsOffered, boolean plaintextAllowed, List<String> mechanisms) {
    public SessionFacts {
        mechanisms = List.copyOf(mechanisms);
    }
}

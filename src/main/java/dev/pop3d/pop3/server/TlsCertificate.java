package dev.pop3d.pop3.server;

import dev.pop3d.config.Pop3Config;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The server's PEM certificate chain and key, with the TLS policy every listener uses: TLS 1.2
 * and 1.3 only, forward-secret AEAD suites only. {@link #changed()} tells a renewal (an edit, a
 * cert-manager rotation through a symlink), so listeners swap the certificate without a restart.
 */
final class TlsCertificate {
    static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    /** TLS 1.3 suites, then TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305 (Mozilla "intermediate"). */
    static final List<String> SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private record Version(Object cert, long certModified, long certSize, Object key, long keyModified) {}

    private final Path certFile;
    private final Path keyFile;
    private Version loaded;

    private TlsCertificate(Path certFile, Path keyFile) throws IOException {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.loaded = version();
    }

    /** Empty without a certificate; both files or neither, else a configuration error. */
    static Optional<TlsCertificate> from(Pop3Config.Tls tls) throws IOException {
        if (tls.certFile().isEmpty() && tls.keyFile().isEmpty()) {
            return Optional.empty();
        }
        if (tls.certFile().isEmpty() || tls.keyFile().isEmpty()) {
            throw new IllegalStateException("pop3.tls.cert-file and pop3.tls.key-file go together: set both or neither");
        }
        for (Path file : List.of(tls.certFile().get(), tls.keyFile().get())) {
            if (!Files.isReadable(file)) {
                throw new IllegalStateException("TLS file " + file + " is not readable");
            }
        }
        return Optional.of(new TlsCertificate(tls.certFile().get(), tls.keyFile().get()));
    }

    /** The listener's options with this certificate; {@code implicit}: TLS from the first octet (RFC 8314). */
    NetServerOptions apply(NetServerOptions options, boolean implicit) {
        options.setKeyCertOptions(keyCert()).setEnabledSecureTransportProtocols(PROTOCOLS).setSsl(implicit);
        SUITES.forEach(options::addEnabledCipherSuite);
        return options;
    }

    /** For {@code NetServer.updateSSLOptions}: the same policy with the files as they are now. */
    SSLOptions sslOptions() {
        SSLOptions options = new SSLOptions().setKeyCertOptions(keyCert()).setEnabledSecureTransportProtocols(PROTOCOLS);
        SUITES.forEach(options::addEnabledCipherSuite);
        return options;
    }

    /** Blocking: whether either file changed since the last call (or start-up). */
    synchronized boolean changed() {
        try {
            Version now = version();
            if (now.equals(loaded)) {
                return false;
            }
            loaded = now;
            return true;
        } catch (IOException e) {
            return false; // a file being replaced: looked at again at the next interval
        }
    }

    Path certFile() {
        return certFile;
    }

    private PemKeyCertOptions keyCert() {
        return new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString());
    }

    private Version version() throws IOException {
        BasicFileAttributes cert = Files.readAttributes(certFile, BasicFileAttributes.class);
        BasicFileAttributes key = Files.readAttributes(keyFile, BasicFileAttributes.class);
        return new Version(Objects.requireNonNullElse(cert.fileKey(), ""), cert.lastModifiedTime().toMillis(), cert.size(),
                Objects.requireNonNullElse(key.fileKey(), ""), key.lastModifiedTime().toMillis());
    }
}

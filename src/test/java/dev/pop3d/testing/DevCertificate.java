package dev.pop3d.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A throwaway self-signed certificate for 127.0.0.1, ::1 and localhost, made by openssl for one
 * test run (never committed). Clients trust it through {@link #cert()} as their CA file.
 */
public record DevCertificate(Path cert, Path key) {
    public static DevCertificate create(Path dir, String commonName) throws IOException {
        Files.createDirectories(dir);
        Path cert = dir.resolve(commonName + "-cert.pem");
        Path key = dir.resolve(commonName + "-key.pem");
        Tools.Result made = Tools.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + commonName,
                "-addext", "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString()), dir, 60);
        if (made.exitCode() != 0) {
            throw new IOException("openssl req failed: " + made.stderr());
        }
        return new DevCertificate(cert, key);
    }

}

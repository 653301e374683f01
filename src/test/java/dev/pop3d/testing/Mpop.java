package dev.pop3d.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real mpop client in keep mode, delivering into a Maildir of its own under {@code home}:
 * {@link #fetch} writes an mpoprc for one account (host 127.0.0.1) with the given extra lines
 * ({@code tls ...}, {@code auth ...}) and runs it once.
 */
public record Mpop(Path home) {
    public Path maildir() {
        return home.resolve("Maildir");
    }

    public Tools.Result fetch(int port, String user, String password, String... settings) throws IOException {
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(maildir().resolve(sub));
        }
        List<String> lines = new ArrayList<>(List.of("account default", "host 127.0.0.1", "port " + port,
                "user " + user, "password " + password));
        lines.addAll(List.of(settings));
        lines.addAll(List.of("keep on", "received_header off", "uidls_file " + home.resolve("uidls"),
                "delivery maildir " + maildir(), ""));
        Path rc = home.resolve("mpoprc");
        Files.writeString(rc, String.join("\n", lines));
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        return Tools.run(List.of("mpop", "--file=" + rc, "-q"), home, 60);
    }

    /** The messages mpop delivered (it stores them with LF line ends, as Maildir readers expect). */
    public List<Path> delivered() throws IOException {
        try (Stream<Path> files = Files.list(maildir().resolve("new"))) {
            return files.sorted().toList();
        }
    }
}

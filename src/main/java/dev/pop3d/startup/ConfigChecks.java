package dev.pop3d.startup;

import dev.pop3d.auth.InvalidUsersException;
import dev.pop3d.auth.UserStore;
import dev.pop3d.conf1.Conf1Token;
import dev.pop3d.config.Conf1Config;
import dev.pop3d.config.InvalidConfigException;
import dev.pop3d.config.Pop3Config;
import io.smallrye.config.SmallRyeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the server checks before it serves, beyond the mapping's own constraints; {@code check-config}
 * runs the same. Each problem is one line naming the key or the file to edit. Creates nothing.
 */
public final class ConfigChecks {
    private ConfigChecks() {}

    /** Every problem found; empty when the server can start. */
    public static List<String> problems(SmallRyeConfig config) {
        Pop3Config pop3 = config.getConfigMapping(Pop3Config.class);
        Conf1Config conf1 = config.getConfigMapping(Conf1Config.class);
        List<String> problems = new ArrayList<>();
        try {
            users(pop3);
        } catch (InvalidConfigException e) {
            problems.addAll(e.problems());
        }
        problems.addAll(tls(pop3));
        try {
            dev.pop3d.auth.Cidr.parseAll(pop3.auth().trustedNetworks().orElse(List.of()));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + " (pop3.auth.trusted-networks)");
        }
        directory(pop3.dataDir(), "data directory", "pop3.data-dir").ifPresent(problems::add);
        directory(pop3.maildir().root(), "maildir root", "pop3.maildir.root").ifPresent(problems::add);
        try {
            Conf1Token.find(new Conf1Token.Settings(raw(config, "conf1.token-file"), raw(config, "conf1.token"),
                    pop3.dataDir()));
        } catch (InvalidConfigException e) {
            problems.addAll(e.problems());
        }
        return problems;
    }

    /**
     * The users the server will serve, or why it cannot: the users file must exist, parse and,
     * when {@code pop3.users-file} is set, hold at least one user — a placeholder file of comments
     * is refused rather than falling back to the demo user.
     */
    public static UserStore users(Pop3Config pop3) {
        Optional<Path> file = pop3.usersFile();
        UserStore users;
        try {
            users = UserStore.load(pop3.users(), file);
            if (file.isPresent() && (users.isEmpty()
                    || pop3.users().isPresent() && UserStore.load(Optional.empty(), file).isEmpty())) {
                throw new InvalidConfigException(file.get() + " holds no user: add user:{SCHEME}secret lines to it "
                        + "(pop3.users-file; pop3d hash-password prints secrets)");
            }
        } catch (InvalidUsersException e) {
            throw new InvalidConfigException(e.getMessage() + (file.isPresent() ? " (pop3.users-file)" : " (pop3.users)"));
        } catch (IOException e) {
            throw new InvalidConfigException("cannot read the users file " + file.map(Path::toString).orElse("")
                    + " (pop3.users-file): " + describe(e));
        }
        boolean runtimeUsers = pop3.admin().enabled() || pop3.test().autoCreateUsers(); // ADR 0019
        if (users.isEmpty() && !pop3.demo().enabled() && !runtimeUsers) {
            throw new InvalidConfigException("no users configured and pop3.demo.enabled=false: set pop3.users-file "
                    + "or pop3.users");
        }
        return users;
    }

    /**
     * The TLS files: both or neither, readable, PEM (a certificate chain and a private key);
     * {@code pop3.auth.plaintext=never-without-tls} needs them.
     */
    static List<String> tls(Pop3Config pop3) {
        List<String> problems = new ArrayList<>();
        Optional<Path> cert = pop3.tls().certFile();
        Optional<Path> key = pop3.tls().keyFile();
        if (cert.isPresent() != key.isPresent()) {
            problems.add("pop3.tls.cert-file and pop3.tls.key-file go together: set both or neither");
            return problems;
        }
        if (cert.isEmpty()) {
            if (pop3.auth().plaintext() == Pop3Config.Plaintext.NEVER_WITHOUT_TLS) {
                problems.add("pop3.auth.plaintext=never-without-tls needs a certificate: set pop3.tls.cert-file and "
                        + "pop3.tls.key-file");
            }
            return problems;
        }
        pem(cert.get(), "CERTIFICATE", "pop3.tls.cert-file").ifPresent(problems::add);
        pem(key.get(), "PRIVATE KEY", "pop3.tls.key-file").ifPresent(problems::add);
        return problems;
    }

    private static Optional<String> pem(Path file, String label, String keyName) {
        try {
            String text = Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
            return text.contains("-----BEGIN ") && text.contains(label + "-----") ? Optional.empty()
                    : Optional.of(file + " holds no PEM " + label.toLowerCase(java.util.Locale.ROOT) + " (" + keyName + ")");
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.of("cannot read " + file + " (" + keyName + "): "
                    + (e instanceof IOException io ? describe(io) : e.getMessage()));
        }
    }

    /** A directory that exists and is writable, or can be created (its nearest existing parent is). */
    static Optional<String> directory(Path dir, String what, String key) {
        Path existing = dir.toAbsolutePath().normalize();
        while (!Files.exists(existing) && existing.getParent() != null) {
            existing = existing.getParent();
        }
        if (!Files.isDirectory(existing)) {
            return Optional.of(what + " " + dir + " cannot be a directory: " + existing + " is a file (" + key + ")");
        }
        if (!Files.isWritable(existing)) {
            return Optional.of(what + " " + dir + (existing.equals(dir.toAbsolutePath().normalize()) ? " is not writable"
                    : " cannot be created: " + existing + " is not writable") + " (" + key + ")");
        }
        return Optional.empty();
    }

    /** A key as written, so that an empty value (a placeholder) is told from an unset one. */
    private static Optional<String> raw(SmallRyeConfig config, String key) {
        return Optional.ofNullable(config.getConfigValue(key).getValue());
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
    }
}

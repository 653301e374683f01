package dev.pop3d.testcontainers;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * pop3d for a JUnit 5 test class: the runnable server jar ({@code target/quarkus-app/quarkus-run.jar}
 * of a server build) as a child process in the {@code test-server} profile, on free loopback ports,
 * with its own temporary data directory.
 *
 * <pre>{@code
 * @RegisterExtension
 * static Pop3dExtension pop3d = Pop3dExtension.create(); // the jar named by -Dpop3d.jar
 * }</pre>
 *
 * In a {@code static} field the server starts before the class's first test and stops after its
 * last; in an instance field, around each test. Between two tests of a class it is {@link #reset()}
 * (users and mail as at start; {@link Builder#cleanup} changes that). Mail sent to any address over
 * SMTP or LMTP creates its user: {@code zed@example.org} logs in over POP3 as {@code zed}/{@code zed}.
 * Only Testcontainers' dependencies and the JDK are on the caller's classpath, never Quarkus or Vert.x.
 * Not for parallel test execution within one class. The child JVM starts faster from its second run
 * on: the first leaves a class-data archive (AppCDS) next to the jar, in {@code pop3d-cds/}; turn that
 * off with {@code -Dpop3d.cds=false} or {@link Builder#classDataArchive(boolean)}.
 */
public final class Pop3dExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, AutoCloseable {
    /** The loopback address every port listens on. */
    public static final String HOST = "127.0.0.1";

    /** What happens to the server's state between two tests. */
    public enum Cleanup {
        /** {@code POST /api/reset}: users and mail as at start (users given to the builder stay). */
        RESET,
        /** {@code DELETE /api/messages}: every user's mail goes, the users stay. */
        PURGE,
        /** nothing: the tests share the state. */
        NONE
    }

    private final Builder settings;
    private TestServer server;
    private String owner;
    private boolean fresh;

    private Pop3dExtension(Builder settings) {
        this.settings = settings;
    }

    /** The jar named by the system property {@code pop3d.jar}, otherwise the defaults. */
    public static Pop3dExtension create() {
        return builder().build();
    }

    /** The server jar at {@code jar}, otherwise the defaults. */
    public static Pop3dExtension fromJar(Path jar) {
        return builder().jar(jar).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the server unless it runs; returns when it is ready. For use outside JUnit too. */
    public synchronized Pop3dExtension start() {
        if (server != null) {
            return this;
        }
        String property = System.getProperty("pop3d.jar");
        if (settings.jar == null && property == null) {
            throw new IllegalStateException("no pop3d server jar: set -Dpop3d.jar=PATH (target/quarkus-app/quarkus-run.jar "
                    + "of a server build: mvn -B package -DskipTests) or use Pop3dExtension.fromJar(PATH)");
        }
        server = TestServer.start(settings.jar != null ? settings.jar : Path.of(property), settings.java,
                settings.dataDir, settings.users, settings.properties, settings.jvmOptions, settings.classDataArchive, settings.startTimeout,
                settings.stopTimeout);
        fresh = true;
        return this;
    }

    /** Stops the server by its PID (SIGTERM, then SIGKILL after the stop timeout) and deletes its temporary data. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop();
        server = null;
        owner = null;
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null && server.isAlive();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopFor(context);
    }

    /** Starts the server for a test of an instance field; else cleans what the previous test left. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (!startFor(context) && !fresh) {
            running().clean(settings.cleanup);
        }
        fresh = false;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopFor(context);
    }

    private synchronized boolean startFor(ExtensionContext context) {
        if (server != null) {
            return false;
        }
        start();
        owner = context.getUniqueId();
        return true;
    }

    private synchronized void stopFor(ExtensionContext context) {
        if (context.getUniqueId().equals(owner)) {
            stop();
        }
    }

    /** POP3 port on {@link #HOST}. */
    public int pop3Port() {
        return running().ports.pop3();
    }

    /** SMTP intake port on {@link #HOST} (no authentication; mail to unknown local parts creates the user). */
    public int smtpPort() {
        return running().ports.smtp();
    }

    /** LMTP intake port on {@link #HOST} (RFC 2033). */
    public int lmtpPort() {
        return running().ports.lmtp();
    }

    /** The admin API and health endpoints, e.g. {@code http://127.0.0.1:34567}. */
    public URI adminUrl() {
        return running().admin.url();
    }

    /** The bearer token this server was started with (generated per start). */
    public String adminToken() {
        return running().admin.token();
    }

    /** The admin API client of this server. */
    public Pop3dAdmin admin() {
        return running().admin;
    }

    /** A user who logs in with {@code password} (until the next reset). */
    public void createUser(String name, String password) {
        admin().createUser(name, password);
    }

    /** Stores {@code message} (raw RFC 5322 bytes) in {@code user}'s maildrop, as it is; the user must exist. */
    public void deliver(String user, byte[] message) {
        admin().deliver(user, message);
    }

    /** {@code user}'s maildrop as a new POP3 session would list it. */
    public List<Pop3dMessage> messages(String user) {
        return admin().messages(user);
    }

    /** Deletes every user's mail. */
    public void purge() {
        admin().purge();
    }

    /** Users and mail back to the start state. */
    public void reset() {
        admin().reset();
    }

    /** The child's PID. */
    public long pid() {
        return running().pid();
    }

    /** The server's data directory (Maildirs under {@code mail/}); deleted at stop unless given to the builder. */
    public Path dataDir() {
        return running().dir.resolve("data");
    }

    /** The child's standard output and error. */
    public Path logFile() {
        return running().dir.resolve("pop3d.log");
    }

    /** From launching the child to its first ready answer. */
    public Duration startTime() {
        return running().startTime;
    }

    private synchronized TestServer running() {
        if (server == null) {
            throw new IllegalStateException("pop3d is not running: register the extension with @RegisterExtension, "
                    + "or call start()");
        }
        return server;
    }

    /** Settings of a {@link Pop3dExtension}; every one has a default. */
    public static final class Builder {
        private Path jar;
        private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        private Path dataDir;
        private final Map<String, String> users = new LinkedHashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private Cleanup cleanup = Cleanup.RESET;
        private boolean classDataArchive = true;
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration stopTimeout = Duration.ofSeconds(10);

        private Builder() {}

        /** The server's runnable jar; default: the system property {@code pop3d.jar}. */
        public Builder jar(Path jar) {
            this.jar = Objects.requireNonNull(jar);
            return this;
        }

        /** The {@code java} launcher (17 or later); default: the test JVM's. */
        public Builder java(Path java) {
            this.java = Objects.requireNonNull(java);
            return this;
        }

        /** Keep the server's files here (not deleted at stop); default: a new temporary directory. */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir);
            return this;
        }

        /** A user present from the start, through every reset (no {@code ,} in either, no {@code :} in the name). */
        public Builder user(String name, String password) {
            users.put(ChildDefaults.checkedUser(name, password), password);
            return this;
        }

        /** Any server configuration key ({@code pop3.limits.idle-timeout}, ...); wins over the extension's. */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** An extra option of the child's JVM, after the defaults (Serial GC, 256 MiB heap, C1 only). */
        public Builder jvmOption(String option) {
            jvmOptions.add(Objects.requireNonNull(option));
            return this;
        }

        /**
         * Whether the child JVM uses a class-data archive (AppCDS) of the server's classes, made by its
         * first run in {@code <jar dir>/pop3d-cds/} and used by later ones for a faster start; default
         * on. The system property {@code pop3d.cds=false} turns it off for every extension.
         */
        public Builder classDataArchive(boolean on) {
            this.classDataArchive = on;
            return this;
        }

        /** Between two tests; default {@link Cleanup#RESET}. */
        public Builder cleanup(Cleanup cleanup) {
            this.cleanup = Objects.requireNonNull(cleanup);
            return this;
        }

        /** How long the server may take to become ready; default 60 s. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** How long a stopped server may take to exit before it is killed; default 10 s. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** An extension with these settings (later changes to this builder do not reach it). */
        public Pop3dExtension build() {
            Builder copy = new Builder();
            copy.jar = jar;
            copy.java = java;
            copy.dataDir = dataDir;
            copy.users.putAll(users);
            copy.properties.putAll(properties);
            copy.jvmOptions.addAll(jvmOptions);
            copy.cleanup = cleanup;
            copy.classDataArchive = classDataArchive;
            copy.startTimeout = startTimeout;
            copy.stopTimeout = stopTimeout;
            return new Pop3dExtension(copy);
        }
    }
}

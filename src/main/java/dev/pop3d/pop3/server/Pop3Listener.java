package dev.pop3d.pop3.server;

import dev.pop3d.auth.InvalidUsersException;
import dev.pop3d.auth.UserStore;
import dev.pop3d.config.Pop3Config;
import dev.pop3d.live.LiveSettings;
import dev.pop3d.observe.Pop3Metrics;
import dev.pop3d.observe.Readiness;
import dev.pop3d.transform.ProcessFilter;
import dev.pop3d.mailstore.maildir.DemoMaildrop;
import dev.pop3d.mailstore.maildir.MaildirSettings;
import dev.pop3d.mailstore.maildir.MaildirStore;
import dev.pop3d.observe.AccessLog;
import dev.pop3d.pop3.protocol.Capabilities;
import dev.pop3d.pop3.protocol.CommandParser;
import dev.pop3d.pop3.protocol.Compliance;
import dev.pop3d.pop3.session.SessionMachine;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Owns the POP3 listener: on start-up it loads users, prepares the data directory (and the demo
 * maildrop), then deploys one {@link Pop3Verticle} per event loop on the configured address. On
 * shutdown it refuses new clients, tells idle sessions {@code -ERR [SYS/TEMP] Server shutting
 * down}, lets commands in progress finish for the grace period, and waits for every maildrop
 * lock to be released. A half-applied UPDATE cannot be left: commits run to their end on workers.
 */
@ApplicationScoped
public class Pop3Listener {
    private static final Logger LOG = Logger.getLogger(Pop3Listener.class);
    private static final String ALL_ADDRESSES_V6 = "::";
    private static final String ALL_ADDRESSES_V4 = "0.0.0.0";

    private final Vertx vertx;
    private final Pop3Config config;
    private final LiveSettings live;
    private final Pop3Metrics metrics;
    private final AccessLog accessLog;
    private final Readiness readiness;
    private final List<Pop3Verticle> verticles = new CopyOnWriteArrayList<>();
    private final List<String> deployments = new CopyOnWriteArrayList<>();
    private volatile int port = -1;
    private Pop3Services services;
    private MaildirStore store;

    public Pop3Listener(Vertx vertx, Pop3Config config, LiveSettings live, Pop3Metrics metrics, AccessLog accessLog,
                        Readiness readiness) {
        this.vertx = vertx;
        this.config = config;
        this.live = live;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.readiness = readiness;
    }

    /** The bound port (useful when configured as 0), or -1 before start. */
    public int port() {
        return port;
    }

    /** Connections open right now, on every loop. */
    public int openConnections() {
        return services == null ? 0 : services.connections().get();
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        Files.createDirectories(config.dataDir());
        Files.createDirectories(config.maildir().root());
        UserStore users = loadUsers();
        // read at every login: CONF1 SET MDF moves new sessions, open ones keep theirs
        store = new MaildirStore(() -> live.current().maildirRoot(),
                MaildirSettings.defaults(config.lock().staleTimeout()), InstantSource.system());
        Capabilities capabilities = new Capabilities(config.auth().loginDelay().toSeconds());
        services = new Pop3Services(
                new SessionMachine(capabilities),
                new CommandParser(Compliance.DEFAULTS),
                Compliance.DEFAULTS,
                users,
                store,
                new LoginGate(users, store, config.auth().loginDelay(), InstantSource.system()),
                accessLog,
                metrics,
                live,
                new ProcessFilter(config.transform().timeout(), Path.of(System.getProperty("java.io.tmpdir"), "pop3d-spool")),
                new Workers(vertx),
                new Pop3Services.Limits(config.auth().failureDelay(), config.limits().maxBadCommands(),
                        config.stream().bufferSize()),
                new AtomicInteger(),
                new AtomicInteger());
        String host = bind();
        readiness.pop3Bound(port);
        LOG.infof("pop3d listening on %s port %d (%d event loops), maildir root %s", host, port,
                verticles.size(), config.maildir().root().toAbsolutePath());
    }

    private UserStore loadUsers() throws IOException, InvalidUsersException {
        UserStore users = UserStore.load(config.users(), config.usersFile());
        if (!users.isEmpty()) {
            return users;
        }
        if (!config.demo().enabled()) {
            throw new IllegalStateException("No users configured: set pop3.users or pop3.users-file "
                    + "(or pop3.demo.enabled=true for the demo user)");
        }
        boolean created = DemoMaildrop.ensure(config.maildir().root());
        LOG.warnf("No users configured: serving the DEMO user '%s' (password '%s')%s. Configure "
                        + "pop3.users-file before real use; pop3.demo.enabled=false turns this off.",
                DemoMaildrop.USER, DemoMaildrop.PASSWORD, created ? ", demo maildrop created" : "");
        return UserStore.of(Map.of(DemoMaildrop.USER, "{PLAIN}" + DemoMaildrop.PASSWORD));
    }

    /**
     * Deploys one verticle per CPU on the same address. Vert.x shares one listening socket among
     * them; for a random port (configured 0) it does so only when asked with a negative port.
     */
    private String bind() throws Exception {
        String host = config.host();
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        int bindPort = config.port() == 0 ? -1 : config.port();
        try {
            deploy(host, bindPort, loops);
        } catch (Exception e) {
            if (!ALL_ADDRESSES_V6.equals(host) || !verticles.isEmpty()) {
                throw e;
            }
            LOG.warnf("IPv6 is unavailable (%s): listening on IPv4 only", e.getMessage());
            host = ALL_ADDRESSES_V4;
            deploy(host, bindPort, loops);
        }
        port = verticles.get(0).actualPort();
        return host;
    }

    private void deploy(String host, int bindPort, int instances) throws Exception {
        for (int i = 0; i < instances; i++) {
            Pop3Verticle verticle = new Pop3Verticle(services, host, bindPort);
            String id = await(vertx.deployVerticle(verticle, new DeploymentOptions()));
            verticles.add(verticle);
            deployments.add(id);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (services == null) {
            return;
        }
        readiness.pop3Stopped();
        verticles.forEach(Pop3Verticle::shutdown);
        long deadline = System.nanoTime() + config.shutdown().gracePeriod().toNanos();
        waitUntil(deadline, () -> verticles.stream().allMatch(v -> v.openConnections() == 0));
        verticles.forEach(Pop3Verticle::cut);
        waitUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(5),
                () -> verticles.stream().allMatch(v -> v.openConnections() == 0)
                        && services.pendingReleases().get() == 0);
        for (String id : deployments) {
            try {
                await(vertx.undeploy(id));
            } catch (Exception e) {
                LOG.debugf("undeploy %s: %s", id, e.getMessage());
            }
        }
        store.close();
        LOG.info("pop3d listener stopped");
    }

    private static void waitUntil(long deadlineNanos, java.util.function.BooleanSupplier done) {
        while (!done.getAsBoolean() && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(20); // shutdown thread, not an event loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}

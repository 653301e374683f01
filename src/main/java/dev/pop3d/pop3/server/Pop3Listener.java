package dev.pop3d.pop3.server;

import dev.pop3d.auth.Cidr;
import dev.pop3d.auth.LoginPenalties;
import dev.pop3d.auth.sasl.LoginMechanism;
import dev.pop3d.auth.sasl.PlainMechanism;
import dev.pop3d.auth.sasl.SaslMechanism;
import dev.pop3d.auth.sasl.ScramSha256Mechanism;
import dev.pop3d.auth.UserDirectory;
import dev.pop3d.config.Conf1Config;
import dev.pop3d.conf1.objects.Counters;
import dev.pop3d.conf1.objects.FolderObjects;
import dev.pop3d.conf1.objects.LimitObjects;
import dev.pop3d.conf1.objects.TransformObjects;
import dev.pop3d.endpoint.AddressSlots;
import dev.pop3d.endpoint.Bindings;
import dev.pop3d.endpoint.Conf1Contribution;
import dev.pop3d.endpoint.Conf1Object;
import dev.pop3d.endpoint.EndpointReadiness;
import dev.pop3d.endpoint.Ipv6;
import dev.pop3d.endpoint.WorkerPool;
import dev.pop3d.endpoint.WorkerPools;
import dev.pop3d.config.Pop3Config;
import dev.pop3d.accounts.Accounts;
import dev.pop3d.live.LiveSettings;
import dev.pop3d.observe.Pop3Metrics;
import dev.pop3d.transform.ProcessFilter;
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
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Owns the POP3 listener: on start-up it takes the users ({@link Accounts}), prepares the data directory (and the demo
 * maildrop), then deploys one {@link Pop3Verticle} per event loop on the configured address. On
 * shutdown it refuses new clients, tells idle sessions {@code -ERR [SYS/TEMP] Server shutting
 * down}, lets commands in progress finish for the grace period, and waits for every maildrop
 * lock to be released. A half-applied UPDATE cannot be left: commits run to their end on workers.
 * It contributes the CONF1 objects of what it owns: BUF, MDF, TRF, TFN, MXC and IDL.
 */
@ApplicationScoped
public class Pop3Listener implements Conf1Contribution {
    private static final Logger LOG = Logger.getLogger(Pop3Listener.class);
    /** Logins, commits, releases and filter runs: disk and bcrypt work, bounded. */
    static final String STORE_POOL = "pop3d-store";
    static final int STORE_POOL_SIZE = 16;
    /** Password checks only: bounded, so a flood of bad logins queues here and nowhere else. */
    static final String AUTH_POOL = "pop3d-auth";
    /** Cheap checks (PLAIN, SHA256, SSHA256): microseconds, never behind the costly queue. */

    private final Vertx vertx;
    private final Pop3Config config;
    private final Conf1Config conf1;
    private final LiveSettings live;
    private final Pop3Metrics metrics;
    private final AccessLog accessLog;
    private final EndpointReadiness.Endpoint readiness;
    private final WorkerPools pools;
    private final Accounts accounts;
    private final List<Pop3Verticle> verticles = new CopyOnWriteArrayList<>();
    private final List<String> deployments = new CopyOnWriteArrayList<>();
    private volatile int port = -1;
    private Pop3Services services;
    private MaildirStore store;
    private long usersReloader = -1;
    private long certificateReloader = -1;
    private Optional<TlsCertificate> tls = Optional.empty();
    private volatile int tlsPort = -1;
    private final EndpointReadiness.Endpoint tlsReadiness;

    public Pop3Listener(Vertx vertx, Pop3Config config, Conf1Config conf1, LiveSettings live, Pop3Metrics metrics,
                        AccessLog accessLog, EndpointReadiness readiness, WorkerPools pools,
                        Accounts accounts) {
        this.vertx = vertx;
        this.config = config;
        this.conf1 = conf1;
        this.live = live;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.readiness = readiness.join("pop3");
        // implicit TLS joins only when a certificate is configured (known from the configuration alone)
        this.tlsReadiness = config.tls().certFile().isPresent() ? readiness.join("pop3s") : new EndpointReadiness.Endpoint();
        this.pools = pools;
        this.accounts = accounts;
    }

    /** The bound port (useful when configured as 0), or -1 before start. */
    public int port() {
        return port;
    }

    /** The bound implicit-TLS port, or -1 without a certificate. */
    public int tlsPort() {
        return tlsPort;
    }

    /** Connections open right now, on every loop. */
    public int openConnections() {
        return services == null ? 0 : services.connections().get();
    }

    @Override
    public List<Conf1Object> conf1Objects() {
        return List.of(
                Counters.buf(config.stream().bufferSize()),
                FolderObjects.mdf(live),
                TransformObjects.trf(live),
                TransformObjects.tfn(live, config.transform().unrestricted(), config.transform().allowedCommands()),
                LimitObjects.mxc(live),
                LimitObjects.idl(live));
    }

    @Override
    public int rank() {
        return 20;
    }

    /**
     * One check of each kind, on its own thread right after the listeners are up: class loading and
     * the first runs of the schemes cost 15 % of start-up (JFR), which the first {@code +OK} no
     * longer waits for; the first logins should not pay for them either.
     */
    private static void warmUp(UserDirectory users, LoginPenalties penalties) {
        users.verify("pop3d-warm-up-" + System.nanoTime(), "x"); // the decoy: the costliest scheme in use
        for (dev.pop3d.auth.PasswordScheme scheme : dev.pop3d.auth.PasswordScheme.values()) {
            if (scheme != dev.pop3d.auth.PasswordScheme.BCRYPT) {
                dev.pop3d.auth.PasswordHasher.verify(dev.pop3d.auth.PasswordHasher.hash(scheme, "x"), "y");
            }
        }
        java.net.InetAddress nowhere = java.net.InetAddress.getLoopbackAddress();
        penalties.penaltyFor(nowhere, "pop3d-warm-up");
    }

    private static List<String> names(List<SaslMechanism> mechanisms, boolean plaintext) {
        return mechanisms.stream().filter(m -> m.plaintext() == plaintext).map(SaslMechanism::name).toList();
    }

    private LoginPenalties.Policy penaltyPolicy() {
        Pop3Config.Auth auth = config.auth();
        Optional<LoginPenalties.Lockout> lockout = auth.lockout().enabled()
                ? Optional.of(new LoginPenalties.Lockout(auth.lockout().maxFailures(), auth.lockout().window(),
                        auth.lockout().duration()))
                : Optional.empty();
        return new LoginPenalties.Policy(auth.penalty().enabled(), auth.penalty().delays(), auth.penalty().forgetAfter(),
                auth.penalty().maxTracked(), lockout, Cidr.parseAll(auth.trustedNetworks().orElse(List.of())));
    }

    private int authPoolSize() {
        int configured = config.auth().poolSize();
        // bcrypt is pure CPU: more threads than half the cores starve the event loops (measured: a good
        // login p99 of 1.3 s at 2 x cores under 200 attackers on 2 cores, load-tests/attacks)
        return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /**
     * Filter output goes to a fresh 0700 folder of this process (Files.createTempDirectory), never
     * to a fixed name in the shared temp folder that another user could have created first.
     */
    private static Path spoolDir() throws java.io.IOException {
        return Files.createTempDirectory("pop3d-spool-");
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        Files.createDirectories(config.dataDir());
        Files.createDirectories(config.maildir().root());
        UserDirectory users = accounts.users();
        // read at every login: CONF1 SET MDF moves new sessions, open ones keep theirs
        store = new MaildirStore(() -> live.current().maildirRoot(),
                MaildirSettings.defaults(config.lock().staleTimeout(), config.lock().lockWait()), InstantSource.system());
        tls = TlsCertificate.from(config.tls());
        boolean plaintextNeedsTls = switch (config.auth().plaintext()) {
            case AUTO -> tls.isPresent();
            case NEVER_WITHOUT_TLS -> true;
            case ALLOWED -> false;
        };
        if (plaintextNeedsTls && tls.isEmpty()) {
            throw new IllegalStateException("pop3.auth.plaintext=never-without-tls needs a certificate: "
                    + "set pop3.tls.cert-file and pop3.tls.key-file");
        }
        if (!plaintextNeedsTls && !Bindings.isLoopback(config.host())) {
            LOG.warnf("Passwords are accepted in clear on %s (pop3.auth.plaintext=%s%s): configure pop3.tls.cert-file "
                    + "and pop3.tls.key-file, or listen on loopback only", config.host(),
                    config.auth().plaintext().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    tls.isEmpty() ? ", no certificate" : "");
        }
        List<SaslMechanism> mechanisms = List.of(new ScramSha256Mechanism(users::scramCredential),
                new PlainMechanism(), new LoginMechanism());
        Capabilities capabilities = new Capabilities(config.auth().loginDelay().toSeconds(), tls.isPresent(),
                plaintextNeedsTls, names(mechanisms, true), names(mechanisms, false));
        LoginPenalties penalties = new LoginPenalties(penaltyPolicy(), InstantSource.system());
        WorkerPool storePool = pools.pool(STORE_POOL, STORE_POOL_SIZE);
        services = new Pop3Services(
                new SessionMachine(capabilities, new CommandParser(Compliance.DEFAULTS), mechanisms),
                users,
                store,
                new LoginGate(users, store, config.auth().loginDelay(), InstantSource.system()),
                accessLog,
                metrics,
                live,
                new ProcessFilter(config.transform().timeout(), spoolDir(), new ProcessFilter.Limits(
                        config.transform().maxOutputFactor(), config.transform().maxOutputMin())),
                storePool,
                pools.pool(AUTH_POOL, authPoolSize()),
                new AddressSlots(() -> config.limits().maxConnectionsPerAddress(), penalties::trusted),
                penalties,
                new Pop3Services.Limits(config.auth().failureDelay(), config.limits().maxBadCommands(),
                        config.stream().bufferSize(), config.limits().loginTimeout()),
                new AtomicInteger(),
                new AtomicInteger());
        Ipv6 ipv6 = Ipv6.probe();
        List<String> hosts = new ArrayList<>();
        for (Bindings.Bound<List<Pop3Verticle>> bound : Bindings.bindAll("POP3", List.of(config.host()), ipv6,
                host -> deployAll(host, config.port(), false))) {
            hosts.add(bound.host());
        }
        port = verticles.get(0).actualPort();
        readiness.ready(String.join(",", hosts) + " port " + port + (tls.isPresent() ? " (STLS)" : ""));
        if (tls.isPresent()) {
            List<String> tlsHosts = new ArrayList<>();
            for (Bindings.Bound<List<Pop3Verticle>> bound : Bindings.bindAll("POP3S", List.of(config.host()), ipv6,
                    host -> deployAll(host, config.tls().port(), true))) {
                tlsHosts.add(bound.host());
                tlsPort = bound.value().get(0).actualPort();
            }
            tlsReadiness.ready(String.join(",", tlsHosts) + " port " + tlsPort + " (implicit TLS)");
            watchCertificate(tls.get(), storePool);
            LOG.infof("pop3s (implicit TLS) listening on %s port %d, certificate %s", String.join(",", tlsHosts),
                    tlsPort, tls.get().certFile());
        }
        watchUsers(users, storePool);
        LOG.infof("pop3d listening on %s port %d (%d event loops), maildir root %s", String.join(",", hosts), port,
                verticles.size(), config.maildir().root().toAbsolutePath());
        // after the first +OK can be served (start-up is not kept waiting for it): the password
        // schemes' classes and code paths, so that early logins cost what later ones do
        Thread warm = new Thread(() -> warmUp(users, penalties), "pop3d-warm-up");
        warm.setDaemon(true);
        warm.setPriority(Thread.MIN_PRIORITY);
        warm.start();
    }

    /** Every reload interval, on a worker: a renewed certificate goes to every listener. */
    private void watchCertificate(TlsCertificate certificate, WorkerPool pool) {
        long every = config.tls().reloadInterval().toMillis();
        if (every <= 0) {
            return;
        }
        certificateReloader = vertx.setPeriodic(every, id -> pool.run(certificate::changed).onSuccess(changed -> {
            if (changed) {
                LOG.infof("TLS certificate %s changed: new handshakes use it", certificate.certFile());
                verticles.forEach(Pop3Verticle::reloadTls);
            }
        }));
    }

    /** Every reload interval, on a worker: a changed users file takes effect for new logins. */
    private void watchUsers(UserDirectory users, WorkerPool pool) {
        Duration interval = config.usersReloadInterval();
        if (!users.reloadable() || interval.isZero()) {
            return;
        }
        usersReloader = vertx.setPeriodic(interval.toMillis(), id -> pool.run(users::reload).onSuccess(reload -> {
            switch (reload.outcome()) {
                case UNCHANGED -> { }
                case RELOADED -> {
                    metrics.usersReload("reloaded");
                    LOG.info(reload.detail());
                }
                case REJECTED -> {
                    metrics.usersReload("rejected");
                    LOG.error(reload.detail());
                }
            }
        }));
    }

    /**
     * Deploys one verticle per CPU on {@code host}. Vert.x shares one listening socket among them;
     * for a random port (configured 0) it does so only when asked with a negative port.
     */
    private Future<List<Pop3Verticle>> deployAll(String host, int configuredPort, boolean implicitTls) {
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        int bindPort = configuredPort == 0 ? -1 : configuredPort;
        List<Pop3Verticle> deployed = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < loops; i++) {
            chain = chain.compose(v -> {
                Pop3Verticle verticle = new Pop3Verticle(services, host, bindPort, tls, implicitTls);
                return vertx.deployVerticle(verticle, new DeploymentOptions()).map(id -> {
                    verticles.add(verticle);
                    deployments.add(id);
                    deployed.add(verticle);
                    return null;
                });
            });
        }
        return chain.map(v -> deployed);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (services == null) {
            return;
        }
        readiness.stopped();
        tlsReadiness.stopped();
        for (long timer : new long[] {usersReloader, certificateReloader}) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
        verticles.forEach(Pop3Verticle::shutdown);
        long deadline = System.nanoTime() + config.shutdown().gracePeriod().toNanos();
        waitUntil(deadline, () -> verticles.stream().allMatch(v -> v.openConnections() == 0));
        verticles.forEach(Pop3Verticle::cut);
        waitUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(5),
                () -> verticles.stream().allMatch(v -> v.openConnections() == 0)
                        && services.pendingReleases().get() == 0);
        for (String id : deployments) {
            try {
                vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debugf("undeploy %s: %s", id, e.getMessage());
            }
        }
        store.close();
        services.filter().removeSpool();
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
}

package dev.pop3d.observe;

import dev.pop3d.config.Pop3Config;
import dev.pop3d.conf1.objects.Counters;
import dev.pop3d.conf1.objects.FolderObjects;
import dev.pop3d.endpoint.Conf1Contribution;
import dev.pop3d.endpoint.Conf1Object;
import dev.pop3d.live.LiveSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** Produces the shared observation objects: persisted counters, metrics and the access log. */
@ApplicationScoped
public class Observability implements Conf1Contribution {
    private static final long SAVE_EVERY_MS = 5_000;

    private final PersistentCounters counters;
    private final Pop3Metrics metrics;
    private final AccessLog accessLog;
    private final long saver;
    private final Vertx vertx;
    private final LiveSettings live;

    public Observability(Pop3Config config, LiveSettings live, MeterRegistry registry, Vertx vertx) {
        this.vertx = vertx;
        this.live = live;
        this.counters = new PersistentCounters(config.dataDir(), instanceName());
        this.metrics = new Pop3Metrics(registry, counters);
        this.accessLog = new AccessLog(live.current().logFolder());
        metrics.watch(accessLog);
        this.saver = vertx.setPeriodic(SAVE_EVERY_MS, id -> vertx.executeBlocking(() -> {
            counters.save();
            return null;
        }, false));
    }

    /** Per-pod files are named by pod (the host name in Kubernetes). */
    static String instanceName() {
        return dev.pop3d.platform.HostName.current();
    }

    /** HTU, CCU and BTF read the counters; LGF moves the access log. */
    @Override
    public List<Conf1Object> conf1Objects() {
        return List.of(
                Counters.htu(counters::historicLogins),
                Counters.ccu(metrics::currentlyLoggedIn),
                Counters.btf(counters::historicBytesSent),
                FolderObjects.lgf(live, accessLog::moveTo));
    }

    @Override
    public int rank() {
        return 10;
    }

    @Produces
    @Singleton
    Pop3Metrics metrics() {
        return metrics;
    }

    @Produces
    @Singleton
    AccessLog accessLog() {
        return accessLog;
    }

    @Produces
    @Singleton
    PersistentCounters counters() {
        return counters;
    }

    /** After the listeners stopped (they observe with the default priority): last save, close files. */
    void onStop(@Observes @jakarta.annotation.Priority(5000) ShutdownEvent event) {
        vertx.cancelTimer(saver);
        counters.release();
        accessLog.close();
    }
}

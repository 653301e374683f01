package dev.pop3d.observe;

import dev.pop3d.live.LiveSettings;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/live}: an event loop runs a task within a second. {@code /q/health/ready}: the
 * POP3 and CONF1 listeners are bound and the Maildir root is a writable directory.
 */
@ApplicationScoped
public class Pop3HealthChecks {
    private static final long LOOP_TIMEOUT_MS = 1000;

    @Produces
    @Liveness
    HealthCheck eventLoops(Vertx vertx) {
        return () -> {
            CompletableFuture<Void> ran = new CompletableFuture<>();
            long started = System.nanoTime();
            vertx.getOrCreateContext().runOnContext(v -> ran.complete(null));
            try {
                ran.get(LOOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                return HealthCheckResponse.named("event-loops")
                        .withData("response-ms", (System.nanoTime() - started) / 1_000_000).up().build();
            } catch (Exception e) {
                return HealthCheckResponse.named("event-loops").withData("error", "no answer within "
                        + LOOP_TIMEOUT_MS + " ms").down().build();
            }
        };
    }

    @Produces
    @Readiness
    HealthCheck listenersAndMaildir(dev.pop3d.observe.Readiness readiness, LiveSettings live) {
        return () -> {
            Path root = live.current().maildirRoot();
            boolean pop3 = readiness.pop3Port() > 0;
            boolean conf1 = readiness.conf1Ready();
            boolean maildir = Files.isDirectory(root) && Files.isWritable(root);
            return HealthCheckResponse.named("pop3d")
                    .withData("pop3-listener", pop3)
                    .withData("conf1-endpoint", conf1)
                    .withData("maildir-root", maildir)
                    .status(pop3 && conf1 && maildir).build();
        };
    }
}

package dev.pop3d.observe;

import dev.pop3d.endpoint.EndpointReadiness;
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
 * endpoint that runs (POP3, CONF1, ...) is bound and the Maildir root is a writable directory.
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
    HealthCheck listenersAndMaildir(EndpointReadiness endpoints, LiveSettings live) {
        return () -> {
            Path root = live.current().maildirRoot();
            boolean maildir = Files.isDirectory(root) && Files.isWritable(root);
            var response = HealthCheckResponse.named("pop3d");
            endpoints.states().forEach(response::withData);
            return response.withData("maildir-root", maildir)
                    .status(endpoints.allReady() && maildir).build();
        };
    }
}

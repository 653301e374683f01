package dev.pop3d.testcontainers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Ready when {@code GET /q/health/ready} answers 200, polled from the test JVM (so it works with
 * mapped ports and on the host network alike, where Testcontainers' port checks do not); fails at
 * once if the container stopped.
 */
final class ReadyWaitStrategy extends AbstractWaitStrategy {
    private static final Duration POLL = Duration.ofMillis(50);
    private static final int POLLS_PER_RUNNING_CHECK = 10;

    private final Supplier<URI> base;

    ReadyWaitStrategy(Supplier<URI> base) {
        this.base = base;
    }

    @Override
    protected void waitUntilReady() {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(1)).build();
        URI ready = base.get().resolve("/q/health/ready");
        HttpRequest probe = HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        String last = "no answer";
        for (int poll = 0; System.nanoTime() < deadline; poll++) {
            if (poll % POLLS_PER_RUNNING_CHECK == 0 && !waitStrategyTarget.isRunning()) {
                throw new ContainerLaunchException("pop3d's container stopped before it was ready; its log:\n"
                        + waitStrategyTarget.getLogs());
            }
            try {
                HttpResponse<String> answer = http.send(probe, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return;
                }
                last = answer.statusCode() + " " + answer.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerLaunchException("interrupted while waiting for pop3d", e);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerLaunchException("interrupted while waiting for pop3d", e);
            }
        }
        throw new ContainerLaunchException("pop3d was not ready within " + startupTimeout + " (" + ready + ": " + last + ")");
    }
}

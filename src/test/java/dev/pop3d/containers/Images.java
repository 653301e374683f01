package dev.pop3d.containers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/** Our image, built from the Dockerfile and target/quarkus-app on a local base; never pulled. */
final class Images {
    static final Path PROJECT = Path.of(System.getProperty("project.dir", "."));
    private static ImageFromDockerfile pop3d;

    private Images() {}

    static synchronized ImageFromDockerfile pop3d() {
        if (pop3d == null) {
            pop3d = new ImageFromDockerfile("localhost/pop3d-it", false)
                    .withFileFromPath("Dockerfile", PROJECT.resolve("Dockerfile"))
                    .withFileFromPath("target/quarkus-app", PROJECT.resolve("target/quarkus-app"))
                    .withFileFromPath("docker", PROJECT.resolve("docker"))
                    .withBuildArg("BASE", System.getProperty("it.base.image", "eclipse-temurin:17-jre"));
        }
        return pop3d;
    }

    static ImageFromDockerfile greenMail() {
        return new ImageFromDockerfile("localhost/greenmail-it", false)
                .withFileFromPath(".", PROJECT.resolve("target/greenmail-image"))
                .withBuildArg("BASE", System.getProperty("it.base.image", "eclipse-temurin:17-jre"));
    }

    /** pop3d on the host network, on the given free ports, ready when its HTTP side is. */
    @SuppressWarnings("resource")
    static GenericContainer<?> pop3d(int pop3, int conf1, int http, Map<String, String> env) {
        GenericContainer<?> container = new GenericContainer<>(pop3d())
                .withImagePullPolicy(image -> false)
                .withNetworkMode("host")
                .withEnv("POP3_HOST", "127.0.0.1").withEnv("POP3_PORT", "" + pop3)
                .withEnv("CONF1_HOST", "127.0.0.1").withEnv("CONF1_PORT", "" + conf1)
                .withEnv("QUARKUS_HTTP_HOST", "127.0.0.1").withEnv("QUARKUS_HTTP_PORT", "" + http)
                .withEnv("POP3_AUTH_FAILURE_DELAY", "0s")
                // host network: two containers must not share HDRP's fixed ports
                .withEnv("HDRP_PORT", "" + freeTcp()).withEnv("HDRP_UDP_PORT", "" + dev.pop3d.testing.ServerProcess.freeUdpPort())
                .waitingFor(Wait.forLogMessage(".*Listening on: http://127\\.0\\.0\\.1:" + http + ".*", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)));
        env.forEach(container::withEnv);
        return container;
    }

    private static int freeTcp() {
        try {
            return dev.pop3d.testing.ServerProcess.freePort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

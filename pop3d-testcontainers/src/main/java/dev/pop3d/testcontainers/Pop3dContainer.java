package dev.pop3d.testcontainers;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * pop3d's image in the {@code test-server} profile, for Testcontainers. There is no default image:
 * build one from the repository ({@code docker build -t localhost/pop3d .}, see the README) and pass
 * its name; a {@code localhost/...} image is never pulled (missing, the start fails at once).
 *
 * <p>By default the ports are mapped (container ports {@value #POP3_PORT}, {@value #LMTP_PORT},
 * {@value #SMTP_PORT}, {@value #HTTP_PORT}; read them with the getters). {@link #withHostNetwork()}
 * runs it on the host's network instead, each listener on a free port of 127.0.0.1: for engines
 * without bridge networking.
 *
 * <p>The admin token is generated for each container and passed as {@code POP3_ADMIN_TOKEN};
 * {@link #admin()} uses it. Users of {@link #withUser} are configuration ({@code POP3_USERS}): they
 * exist from the start and survive {@code reset}. Messages of {@link #withMessage} are stored through
 * the admin API once the server is ready, in the order given. Ready when
 * {@code /q/health/ready} answers 200.
 */
public class Pop3dContainer extends GenericContainer<Pop3dContainer> {
    public static final int POP3_PORT = 1110;
    public static final int LMTP_PORT = 2424;
    public static final int SMTP_PORT = 2525;
    public static final int HTTP_PORT = 8080;

    private final String adminToken = Pop3dAdmin.generateToken();
    private final Map<String, String> users = new LinkedHashMap<>();
    private final List<Map.Entry<String, byte[]>> messages = new ArrayList<>();
    private FreePorts.Set hostPorts;

    /** The image {@code image}, e.g. {@code "localhost/pop3d:ci"}. */
    public Pop3dContainer(String image) {
        this(DockerImageName.parse(Objects.requireNonNull(image, "image")));
    }

    public Pop3dContainer(DockerImageName image) {
        super(Objects.requireNonNull(image, "image"));
        if (image.getRegistry().startsWith("localhost")) {
            // a local build is never pulled: missing, it fails at once (No such image) instead of
            // Testcontainers retrying a pull from localhost:80 for minutes
            withImagePullPolicy(name -> false);
        }
        withEnv("QUARKUS_PROFILE", "test-server");
        withEnv("POP3_ADMIN_TOKEN", adminToken);
        withExposedPorts(POP3_PORT, LMTP_PORT, SMTP_PORT, HTTP_PORT);
        waitingFor(new ReadyWaitStrategy(this::getAdminUrl));
    }

    /**
     * Runs on the host's network ({@code --network host}): every listener on its own free port of
     * 127.0.0.1, chosen now; nothing is mapped. For a local engine only.
     */
    public Pop3dContainer withHostNetwork() {
        hostPorts = FreePorts.Set.pick();
        setExposedPorts(List.of());
        return withNetworkMode("host");
    }

    /** A user present from the start (no {@code ,} in either, no {@code :} or {@code @} in the name). */
    public Pop3dContainer withUser(String name, String password) {
        users.put(ChildDefaults.checkedUser(name, password), password);
        return self();
    }

    /**
     * {@code message} (raw RFC 5322 bytes) stored for {@code user} through the admin API after start;
     * the user must exist then (declare it with {@link #withUser}), or the start fails with a 404.
     */
    public Pop3dContainer withMessage(String user, byte[] message) {
        messages.add(Map.entry(Objects.requireNonNull(user), message.clone()));
        return self();
    }

    @Override
    protected void configure() {
        if (hostPorts != null) {
            ChildDefaults.listeners(hostPorts, Pop3dExtension.HOST)
                    .forEach((key, value) -> withEnv(ChildDefaults.envName(key), value));
        } else {
            // inside its own network namespace, traffic through the mapped ports arrives from outside loopback
            withEnv("POP3_LMTP_ENABLED", "true");
            withEnv("POP3_LMTP_HOST", "0.0.0.0");
            withEnv("POP3_SMTP_ENABLED", "true");
            withEnv("POP3_SMTP_HOST", "0.0.0.0");
        }
        if (!users.isEmpty()) {
            withEnv("POP3_USERS", ChildDefaults.inlineUsers(users));
        }
    }

    @Override
    protected void containerIsStarted(InspectContainerResponse info) {
        Pop3dAdmin admin = admin();
        messages.forEach(message -> admin.deliver(message.getKey(), message.getValue()));
    }

    /** The host to connect to: 127.0.0.1 on the host network, else Testcontainers' host. */
    @Override
    public String getHost() {
        return hostPorts != null ? Pop3dExtension.HOST : super.getHost();
    }

    public int getPop3Port() {
        return hostPorts != null ? hostPorts.pop3() : getMappedPort(POP3_PORT);
    }

    public int getLmtpPort() {
        return hostPorts != null ? hostPorts.lmtp() : getMappedPort(LMTP_PORT);
    }

    public int getSmtpPort() {
        return hostPorts != null ? hostPorts.smtp() : getMappedPort(SMTP_PORT);
    }

    /** The admin API and health endpoints, e.g. {@code http://localhost:32781}. */
    public URI getAdminUrl() {
        int port = hostPorts != null ? hostPorts.http() : getMappedPort(HTTP_PORT);
        return URI.create("http://" + getHost() + ":" + port);
    }

    /** The bearer token of the admin API (generated for this container). */
    public String getAdminToken() {
        return adminToken;
    }

    /** A client of the admin API: users, deliveries, listings, purge, reset. */
    public Pop3dAdmin admin() {
        return new Pop3dAdmin(getAdminUrl(), adminToken);
    }
}

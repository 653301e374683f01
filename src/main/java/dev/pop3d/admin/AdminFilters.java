package dev.pop3d.admin;

import dev.pop3d.observe.Pop3Metrics;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.logging.Logger;

/**
 * Every {@code /api} request passes here first: with the API off it is 404 (the feature is not
 * there, not merely forbidden); else {@link AdminAccess} decides, and a refusal is 401 with
 * {@code WWW-Authenticate: Bearer} (RFC 6750 §3). Every answer is logged once, as key=value with a
 * request id, and counted ({@code pop3d.admin.requests} by operation and status); never the token
 * or a password. Cheap work only: it runs on the event loop.
 */
public class AdminFilters {
    private static final Logger LOG = Logger.getLogger(AdminFilters.class);
    private static final String STARTED = "dev.pop3d.admin.started";
    private static final String ID = "dev.pop3d.admin.id";
    private static final String AUDITED = "dev.pop3d.admin.audited";

    private final AdminApi api;
    private final Pop3Metrics metrics;
    private final AtomicLong ids = new AtomicLong();

    public AdminFilters(AdminApi api, Pop3Metrics metrics) {
        this.api = api;
        this.metrics = metrics;
    }

    @ServerRequestFilter(preMatching = true)
    public Response guard(ContainerRequestContext request, HttpServerRequest http) {
        String path = AdminOperations.path(request.getUriInfo().getRequestUri().getRawPath());
        if (!AdminOperations.isApi(path)) {
            return null;
        }
        if (!api.enabled()) {
            return json(404, "the admin API is off (pop3.admin.enabled=false)").build();
        }
        request.setProperty(STARTED, System.nanoTime());
        request.setProperty(ID, "a" + ids.incrementAndGet());
        Optional<AdminToken> token = api.token();
        if (token.isEmpty()) {
            return json(503, "the admin API is starting").build();
        }
        AdminAccess.Decision decision = AdminAccess.decide(client(http), Optional.ofNullable(
                request.getHeaderString(HttpHeaders.AUTHORIZATION)), token.get());
        Response refusal = switch (decision) {
            case ALLOWED -> null;
            case TOKEN_REQUIRED -> json(401, "a bearer token is required from beyond loopback "
                    + "(Authorization: Bearer <pop3.admin.token or the content of <data-dir>/admin.token>)")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"pop3d-admin\"").build();
            case WRONG_TOKEN -> json(401, "wrong bearer token")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"pop3d-admin\", error=\"invalid_token\"").build();
        };
        if (refusal != null) {
            audit(request, http, refusal.getStatus(), decision.name().toLowerCase(java.util.Locale.ROOT));
        }
        return refusal;
    }

    @ServerResponseFilter
    public void answered(ContainerRequestContext request, ContainerResponseContext response, HttpServerRequest http) {
        if (request.getProperty(STARTED) == null || request.getProperty(AUDITED) != null) {
            return;
        }
        audit(request, http, response.getStatus(), response.getEntity());
    }

    private void audit(ContainerRequestContext request, HttpServerRequest http, int status, Object entity) {
        String detail = entity instanceof AdminJson.Error e ? e.error() : entity instanceof String text ? text : "";
        request.setProperty(AUDITED, Boolean.TRUE);
        String path = AdminOperations.path(request.getUriInfo().getRequestUri().getRawPath());
        String operation = AdminOperations.operation(request.getMethod(), path);
        long micros = (System.nanoTime() - (long) request.getProperty(STARTED)) / 1000;
        metrics.adminRequest(operation, status);
        String user = AdminOperations.user(path).orElse(entity instanceof AdminJson.User u ? u.name() : "-");
        String line = String.format("admin request=%s op=%s user=%s status=%d ms=%d.%03d client=%s%s",
                request.getProperty(ID), operation, user, status, micros / 1000, micros % 1000,
                http.remoteAddress() == null ? "-" : http.remoteAddress().hostAddress(),
                detail.isEmpty() ? "" : " detail=\"" + detail.replace('"', '\'') + "\"");
        if (status >= 500) {
            LOG.error(line);
        } else {
            LOG.info(line);
        }
    }

    /** The socket's peer (never a forwarded header): a literal address, so no name is resolved. */
    private static InetAddress client(HttpServerRequest http) {
        try {
            String address = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
            return address == null ? InetAddress.getByName("0.0.0.0") : InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a peer address is a literal", e);
        }
    }

    static Response.ResponseBuilder json(int status, String error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new AdminJson.Error(error));
    }
}

package dev.pop3d.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pop3d.accounts.Accounts;
import dev.pop3d.auth.InvalidUsersException;
import dev.pop3d.auth.TestUsers;
import dev.pop3d.mailstore.MailstoreException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The admin HTTP API of the test-server mode (ADR 0019): test users and their mail. Every method
 * blocks (files, fsync, maildrop locks) and runs on Quarkus's worker pool, never an event loop.
 * Errors are JSON {@code {"error": "..."}}: 400 a bad name or body, 401 (the filter), 404 an
 * unknown user, 409 a configured user or a maildrop in use by an open POP3 session, 413 a message
 * over 64 MiB.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "admin", description = "test users and their mail")
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "pop3.admin.token or <data-dir>/admin.token; may be omitted from loopback")
@SecurityRequirement(name = "bearer")
public class AdminResource {
    private static final Logger LOG = Logger.getLogger(AdminResource.class);
    /** A users request is a name and a password: a few hundred octets. */
    static final int MAX_USER_REQUEST_OCTETS = 16 * 1024;

    private final Accounts accounts;
    private final Mailboxes mailboxes;
    private final ObjectMapper json;

    public AdminResource(Accounts accounts, Mailboxes mailboxes, ObjectMapper json) {
        this.accounts = accounts;
        this.mailboxes = mailboxes;
        this.json = json;
    }

    @POST
    @Path("/users")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create a test user, or set the password of one (200)",
            description = "201 created; 200 an existing test user's password set; 409 a configured user "
                    + "(pop3.users, pop3.users-file) or the cap of " + TestUsers.MAX_USERS + " test users")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminJson.NewUser.class)))
    public Response createUser(InputStream body) throws IOException, InvalidUsersException {
        byte[] bytes = body.readNBytes(MAX_USER_REQUEST_OCTETS + 1);
        if (bytes.length > MAX_USER_REQUEST_OCTETS) {
            return error(413, "a users request is at most " + MAX_USER_REQUEST_OCTETS + " octets");
        }
        AdminJson.NewUser user;
        try {
            user = json.readValue(bytes, AdminJson.NewUser.class);
        } catch (JsonProcessingException e) {
            return error(400, "the body must be JSON {\"name\": \"...\", \"password\": \"...\"}");
        }
        if (user == null || user.name() == null || user.password() == null) {
            return error(400, "name and password are required");
        }
        Optional<Response> bad = badName(user.name());
        if (bad.isPresent()) {
            return bad.get();
        }
        Optional<String> password = TestUsers.passwordProblem(user.password());
        if (password.isPresent()) {
            return error(400, "password " + password.get());
        }
        return switch (accounts.createTestUser(user.name(), user.password())) {
            case CREATED -> Response.status(201).entity(new AdminJson.User(user.name(), true)).build();
            case REPLACED -> Response.ok(new AdminJson.User(user.name(), false)).build();
            case CONFIGURED_USER -> error(409, "user " + user.name() + " is configured (pop3.users or "
                    + "pop3.users-file): the API cannot change it");
            case FULL -> error(409, "there are " + TestUsers.MAX_USERS + " test users already (the cap): "
                    + "delete some, or POST /api/reset");
        };
    }

    @DELETE
    @Path("/users/{name}")
    @Operation(summary = "Delete a test user and its mail", description = "204; 404 no such test user; "
            + "409 a configured user, or its maildrop in use by an open POP3 session (nothing changed)")
    public Response deleteUser(@PathParam("name") String name) throws IOException, InvalidUsersException {
        Optional<Response> bad = badName(name);
        if (bad.isPresent()) {
            return bad.get();
        }
        if (!accounts.isTestUser(name)) {
            return accounts.exists(name)
                    ? error(409, "user " + name + " is configured (pop3.users or pop3.users-file): the API cannot delete it")
                    : unknown(name);
        }
        try {
            mailboxes.purgeAfter(name, () -> removeTestUser(name));
            return Response.noContent().build();
        } catch (Mailboxes.Busy busy) {
            return inUse(busy);
        } catch (MailstoreException e) {
            return storeFailed(name, e);
        }
    }

    @GET
    @Path("/users/{name}/messages")
    @Operation(summary = "The messages of a user as POP3 lists them",
            description = "number (message number), size (LIST octets, CRLF form), uid (UIDL); 409 in use")
    public Response messages(@PathParam("name") String name) throws IOException, InvalidUsersException {
        Optional<Response> bad = knownUser(name);
        if (bad.isPresent()) {
            return bad.get();
        }
        try {
            return Response.ok(mailboxes.list(name).stream()
                    .map(m -> new AdminJson.Message(m.number(), m.octets(), m.uid())).toList()).build();
        } catch (Mailboxes.Busy busy) {
            return inUse(busy);
        } catch (MailstoreException e) {
            return storeFailed(name, e);
        }
    }

    @POST
    @Path("/users/{name}/messages")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Deliver a message (the raw RFC 5322 bytes, e.g. as message/rfc822)",
            description = "201; stored as sent through Maildir tmp/ and new/; 413 over "
                    + Mailboxes.MAX_MESSAGE_OCTETS + " octets (nothing stored)")
    @RequestBody(content = @Content(mediaType = "message/rfc822"))
    public Response deliver(@PathParam("name") String name, InputStream body) throws IOException, InvalidUsersException {
        Optional<Response> bad = knownUser(name);
        if (bad.isPresent()) {
            return bad.get();
        }
        try {
            return Response.status(201).entity(new AdminJson.Delivered(name, mailboxes.deliver(name, body))).build();
        } catch (Mailboxes.TooLarge e) {
            return error(413, "a message is at most " + Mailboxes.MAX_MESSAGE_OCTETS + " octets: nothing was stored");
        }
    }

    @DELETE
    @Path("/users/{name}/messages")
    @Operation(summary = "Delete every message of a user", description = "200 {\"messages\": removed}; 409 in use")
    public Response purge(@PathParam("name") String name) throws IOException, InvalidUsersException {
        Optional<Response> bad = knownUser(name);
        if (bad.isPresent()) {
            return bad.get();
        }
        try {
            return Response.ok(new AdminJson.Removed(mailboxes.purge(name))).build();
        } catch (Mailboxes.Busy busy) {
            return inUse(busy);
        } catch (MailstoreException e) {
            return storeFailed(name, e);
        }
    }

    @DELETE
    @Path("/messages")
    @Operation(summary = "Delete every message of every maildrop",
            description = "200 {\"messages\": removed}; 409 when one maildrop is in use (then none is touched)")
    public Response purgeAll() throws IOException {
        try {
            return Response.ok(new AdminJson.Removed(mailboxes.purgeAll(() -> { }))).build();
        } catch (Mailboxes.Busy busy) {
            return inUse(busy);
        } catch (MailstoreException e) {
            return storeFailed("(all)", e);
        }
    }

    @POST
    @Path("/reset")
    @Operation(summary = "Back to the start state: no test user, no message in any maildrop",
            description = "configured users stay; UIDs are never reused; 409 when a maildrop is in use (nothing changed)")
    public Response reset() throws IOException {
        try {
            return Response.ok(new AdminJson.Removed(mailboxes.purgeAll(this::clearTestUsers))).build();
        } catch (Mailboxes.Busy busy) {
            return inUse(busy);
        } catch (MailstoreException e) {
            return storeFailed("(all)", e);
        }
    }

    private void removeTestUser(String name) throws IOException {
        try {
            accounts.removeTestUser(name);
        } catch (InvalidUsersException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void clearTestUsers() throws IOException {
        try {
            accounts.clearTestUsers();
        } catch (InvalidUsersException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private Optional<Response> knownUser(String name) throws IOException, InvalidUsersException {
        Optional<Response> bad = badName(name);
        if (bad.isPresent()) {
            return bad;
        }
        return accounts.exists(name) ? Optional.empty() : Optional.of(unknown(name));
    }

    private static Optional<Response> badName(String name) {
        return TestUsers.nameProblem(name).map(problem -> error(400, "user name " + problem));
    }

    private static Response unknown(String name) {
        return error(404, "no user " + name);
    }

    private static Response inUse(Mailboxes.Busy busy) {
        return error(409, "the maildrop of " + busy.user() + " is in use (an open POP3 session): nothing was "
                + "changed; try again after its QUIT");
    }

    private static Response storeFailed(String user, MailstoreException e) {
        LOG.errorf("admin: maildrop of %s: %s", user, MailstoreException.reason(e));
        return error(500, "the maildrop of " + user + " could not be changed completely (see the server log)");
    }

    private static Response error(int status, String message) {
        return AdminFilters.json(status, message).build();
    }
}

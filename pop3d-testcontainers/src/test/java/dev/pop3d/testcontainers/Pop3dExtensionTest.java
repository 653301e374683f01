package dev.pop3d.testcontainers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One server for the class (a static field), reset between tests; SMTP, LMTP, POP3 and the admin API. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Pop3dExtensionTest {
    @RegisterExtension
    static Pop3dExtension pop3d = Pop3dExtension.builder().jar(Path.of(System.getProperty("pop3d.jar")))
            .user("carol", "carol-pw").build();

    static final byte[] MAIL = ("From: a@example.org\r\nTo: zed@example.org\r\nSubject: t\r\n\r\n"
            + ".starts with a dot\r\nend\r\n").getBytes(StandardCharsets.US_ASCII);

    static long firstPid;

    @Test
    @Order(1)
    void listensOnDistinctLoopbackPortsAndIsReady() throws Exception {
        firstPid = pop3d.pid();
        System.out.printf("Pop3dExtension: server ready in %d ms (pid %d)%n", pop3d.startTime().toMillis(), pop3d.pid());
        assertEquals(5, Set.of(pop3d.pop3Port(), pop3d.smtpPort(), pop3d.lmtpPort(), pop3d.adminUrl().getPort(),
                Pop3dExtension.HOST.hashCode()).size());
        HttpResponse<String> ready = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build().send(
                HttpRequest.newBuilder(pop3d.adminUrl().resolve("/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        try (Pop3Wire pop3 = new Pop3Wire(Pop3dExtension.HOST, pop3d.pop3Port()).login("carol", "carol-pw")) {
            assertEquals(0, pop3.count());
        }
    }

    @Test
    @Order(2)
    void smtpAndLmtpDeliveriesCreateTheirUsersAndArriveByteForByte() throws Exception {
        MailWire.send(false, pop3d.smtpPort(), "a@example.org", List.of("zed@example.org"), MAIL);
        List<String> lmtp = MailWire.send(true, pop3d.lmtpPort(), "b@example.org",
                List.of("zed@example.org", "carol@example.net"), MAIL);
        assertEquals(2, lmtp.size());
        lmtp.forEach(reply -> assertTrue(reply.startsWith("250"), reply));
        try (Pop3Wire pop3 = new Pop3Wire(Pop3dExtension.HOST, pop3d.pop3Port()).login("zed", "zed")) {
            assertEquals(2, pop3.count());
            assertArrayEquals(MAIL, Trace.data(pop3.retr(1), "a@example.org", "zed@example.org"));
            assertArrayEquals(MAIL, Trace.data(pop3.retr(2), "b@example.org", "zed@example.org"));
        }
        List<Pop3dMessage> carol = pop3d.messages("carol");
        assertEquals(1, carol.size());
        try (Pop3Wire pop3 = new Pop3Wire(Pop3dExtension.HOST, pop3d.pop3Port()).login("carol", "carol-pw")) {
            byte[] stored = pop3.retr(1);
            assertEquals(stored.length, carol.get(0).size(), "the listed size is the RETR octet count");
            assertArrayEquals(MAIL, Trace.data(stored, "b@example.org", "carol@example.net"));
        }
    }

    @Test
    @Order(3)
    void theAdminApiCreatesUsersAndDeliversAsIs() throws Exception {
        assertEquals(List.of(), pop3d.messages("carol"), "reset between tests: carol's mail is gone");
        pop3d.createUser("dave", "dave-pw");
        pop3d.deliver("dave", MAIL);
        List<Pop3dMessage> listed = pop3d.messages("dave");
        assertEquals(1, listed.size());
        assertEquals(1, listed.get(0).number());
        assertEquals(MAIL.length, listed.get(0).size());
        try (Pop3Wire pop3 = new Pop3Wire(Pop3dExtension.HOST, pop3d.pop3Port()).login("dave", "dave-pw")) {
            assertArrayEquals(MAIL, pop3.retr(1));
            assertEquals(listed.get(0).uid(), pop3.command("UIDL 1").split(" ")[2]);
        }
        pop3d.purge();
        assertEquals(List.of(), pop3d.messages("dave"));
    }

    @Test
    @Order(4)
    void aResetRemovedTheCreatedUserAndKeptTheConfiguredOne() throws Exception {
        try (Pop3Wire pop3 = new Pop3Wire(Pop3dExtension.HOST, pop3d.pop3Port())) {
            pop3.command("USER dave");
            assertTrue(pop3.command("PASS dave-pw").startsWith("-ERR"), "dave was created after the start");
        }
        try (Pop3Wire pop3 = new Pop3Wire(Pop3dExtension.HOST, pop3d.pop3Port()).login("carol", "carol-pw")) {
            assertEquals(0, pop3.count());
        }
        assertEquals(firstPid, pop3d.pid(), "one server for the class");
    }

    @Test
    @Order(5)
    void theAdminApiRefusesAWrongToken() {
        Pop3dAdmin wrong = new Pop3dAdmin(pop3d.adminUrl(), "not" + pop3d.adminToken());
        Pop3dAdminException e = assertThrows(Pop3dAdminException.class, () -> wrong.messages("carol"));
        assertEquals(401, e.status(), e.getMessage());
        assertTrue(!e.getMessage().contains(pop3d.adminToken()), "the token is never in a message");
    }
}

package dev.pop3d.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the container is configured, without an engine. The mapped-port mode (the default) is checked
 * only here: these machines have no bridge network to run it on.
 */
class Pop3dContainerConfigTest {
    @Test
    @SuppressWarnings("resource")
    void byDefaultTheFourPortsAreMappedAndIntakeListensBeyondLoopback() {
        Pop3dContainer c = new Pop3dContainer("localhost/pop3d:ci").withUser("ann", "a-pw").withUser("bob", "b-pw");
        c.configure();
        assertEquals(List.of(1110, 2424, 2525, 8080), c.getExposedPorts());
        Map<String, String> env = c.getEnvMap();
        assertEquals("test-server", env.get("QUARKUS_PROFILE"));
        assertTrue(env.get("POP3_ADMIN_TOKEN").matches("[A-Za-z]{32}"));
        assertEquals(c.getAdminToken(), env.get("POP3_ADMIN_TOKEN"));
        assertEquals("true", env.get("POP3_LMTP_ENABLED"));
        assertEquals("true", env.get("POP3_SMTP_ENABLED"));
        assertEquals("0.0.0.0", env.get("POP3_LMTP_HOST"));
        assertEquals("0.0.0.0", env.get("POP3_SMTP_HOST"));
        assertEquals("ann:a-pw,bob:b-pw", env.get("POP3_USERS"));
        assertEquals(null, c.getNetworkMode());
    }

    @Test
    @SuppressWarnings("resource")
    void onTheHostNetworkEveryListenerGetsAFreeLoopbackPort() {
        Pop3dContainer c = new Pop3dContainer("localhost/pop3d:ci").withHostNetwork();
        c.configure();
        Map<String, String> env = c.getEnvMap();
        assertEquals("host", c.getNetworkMode());
        assertEquals(List.of(), c.getExposedPorts());
        for (String host : List.of("POP3_HOST", "POP3_LMTP_HOST", "POP3_SMTP_HOST", "QUARKUS_HTTP_HOST", "CONF1_HOST", "HDRP_HOST")) {
            assertEquals("127.0.0.1", env.get(host), host);
        }
        assertEquals(String.valueOf(c.getPop3Port()), env.get("POP3_PORT"));
        assertEquals(String.valueOf(c.getLmtpPort()), env.get("POP3_LMTP_PORT"));
        assertEquals(String.valueOf(c.getSmtpPort()), env.get("POP3_SMTP_PORT"));
        assertEquals("http://127.0.0.1:" + env.get("QUARKUS_HTTP_PORT"), c.getAdminUrl().toString());
        assertTrue(env.containsKey("CONF1_PORT") && env.containsKey("HDRP_PORT") && env.containsKey("HDRP_UDP_PORT"));
        assertEquals("127.0.0.1", c.getHost());
    }

    @Test
    void usersThatTheInlineFormCannotCarryAreRefused() {
        Pop3dContainer c = new Pop3dContainer("localhost/pop3d:ci");
        for (String[] bad : new String[][] {{"a:b", "pw"}, {"a,b", "pw"}, {"a@b", "pw"}, {"", "pw"}, {"a", "p,w"}, {"a", ""}}) {
            assertThrows(IllegalArgumentException.class, () -> c.withUser(bad[0], bad[1]), String.join("/", bad));
        }
        c.close();
    }

    @Test
    void keysBecomeQuarkusEnvironmentNames() {
        assertEquals("POP3_LMTP_MAX_MESSAGE_SIZE", ChildDefaults.envName("pop3.lmtp.max-message-size"));
        assertEquals("HDRP_UDP_PORT", ChildDefaults.envName("hdrp.udp-port"));
    }
}

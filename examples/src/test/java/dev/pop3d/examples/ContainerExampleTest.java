package dev.pop3d.examples;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pop3d.testcontainers.Pop3dContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * pop3d's image (-Dpop3d.image, built locally) on the host network: the only mode an engine without
 * bridge networking allows. With a usual engine, leave out withHostNetwork() and the ports are mapped.
 */
@ExtendWith(DockerAvailable.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerExampleTest {
    static Pop3dContainer pop3d;

    static final byte[] WELCOME = "Subject: Welcome\r\n\r\nHello, ann.\r\n".getBytes(US_ASCII);
    static final byte[] MAIL = "From: app@example.org\r\nTo: zed@example.org\r\nSubject: Hi\r\n\r\nHi!\r\n"
            .getBytes(US_ASCII);

    @BeforeAll
    static void start() {
        pop3d = new Pop3dContainer(System.getProperty("pop3d.image", "localhost/pop3d:ci"))
                .withHostNetwork()
                .withUser("ann", "secret")
                .withMessage("ann", WELCOME);
        pop3d.start();
    }

    @AfterAll
    static void stop() {
        if (pop3d != null) {
            pop3d.stop();
        }
    }

    @Test
    @Order(1)
    void theMessageGivenAtStartIsThere() throws Exception {
        assertArrayEquals(WELCOME, Mail.fetch(pop3d.getHost(), pop3d.getPop3Port(), "ann", "secret", 1));
    }

    @Test
    @Order(2)
    void aMailSentOverSmtpIsFetchedOverPop3ByteForByte() throws Exception {
        Mail.send(pop3d.getHost(), pop3d.getSmtpPort(), "app@example.org", "zed@example.org", MAIL);
        byte[] fetched = Mail.fetch(pop3d.getHost(), pop3d.getPop3Port(), "zed", "zed", 1);
        assertArrayEquals(MAIL, Trace.sent(fetched));
    }

    @Test
    @Order(3)
    void aPurgeEmptiesEveryMaildrop() throws Exception {
        pop3d.admin().deliver("ann", WELCOME);
        assertEquals(2, Mail.count(pop3d.getHost(), pop3d.getPop3Port(), "ann", "secret"));
        pop3d.admin().purge();
        assertEquals(0, Mail.count(pop3d.getHost(), pop3d.getPop3Port(), "ann", "secret"));
        assertEquals(0, pop3d.admin().messages("zed").size());
    }
}

package dev.pop3d.testcontainers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.ContainerLaunchException;

/**
 * The image (-Dpop3d.image, built by ci.sh) on the host network, the only mode these machines allow;
 * the mapped-port default is checked without an engine in {@link Pop3dContainerConfigTest}.
 */
@ExtendWith(DockerAvailable.class)
class Pop3dContainerTest {
    static final String IMAGE = System.getProperty("pop3d.image", "localhost/pop3d:ci");
    static final byte[] MAIL = "Subject: in the image\r\n\r\n.dot\r\nbye\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void withUserWithMessageAndEveryPortOnTheHostNetwork() throws Exception {
        try (Pop3dContainer pop3d = new Pop3dContainer(IMAGE).withHostNetwork().withUser("ann", "ann-pw")
                .withMessage("ann", MAIL)) {
            long begin = System.nanoTime();
            pop3d.start();
            System.out.printf("Pop3dContainer (host network): ready in %d ms%n", (System.nanoTime() - begin) / 1_000_000);
            try (Pop3Wire pop3 = new Pop3Wire(pop3d.getHost(), pop3d.getPop3Port()).login("ann", "ann-pw")) {
                assertEquals(1, pop3.count());
                assertArrayEquals(MAIL, pop3.retr(1));
            }
            List<String> lmtp = MailWire.send(true, pop3d.getLmtpPort(), "a@example.org", List.of("zed@example.org"), MAIL);
            assertTrue(lmtp.get(0).startsWith("250"), lmtp.toString());
            MailWire.send(false, pop3d.getSmtpPort(), "a@example.org", List.of("zed@example.org"), MAIL);
            assertEquals(2, pop3d.admin().messages("zed").size());
            pop3d.admin().reset();
            assertEquals(List.of(), pop3d.admin().messages("ann"), "reset: mail as at start (none)");
            assertEquals(32, pop3d.getAdminToken().length());
        }
    }

    @Test
    void aMissingLocalImageFailsAtOnceAndIsNotPulled() {
        try (Pop3dContainer pop3d = new Pop3dContainer("localhost/pop3d-missing:none").withHostNetwork()) {
            long begin = System.nanoTime();
            assertThrows(ContainerLaunchException.class, pop3d::start);
            assertTrue(System.nanoTime() - begin < 30_000_000_000L, "failed fast");
        }
    }
}

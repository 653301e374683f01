package dev.pop3d.examples;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pop3d.testcontainers.Pop3dExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** pop3d as a child process for this class (the jar of -Dpop3d.jar), reset between the tests. */
class ExtensionExampleTest {
    @RegisterExtension
    static Pop3dExtension pop3d = Pop3dExtension.create();

    static final byte[] MAIL = ("From: app@example.org\r\nTo: zed@example.org\r\nSubject: Your order\r\n"
            + "Message-ID: <1@example.org>\r\n\r\n.a line starting with a dot\r\nThanks!\r\n").getBytes(US_ASCII);

    @Test
    void aMailSentOverSmtpIsFetchedOverPop3ByteForByte() throws Exception {
        Mail.send(Pop3dExtension.HOST, pop3d.smtpPort(), "app@example.org", "zed@example.org", MAIL);
        // zed@example.org was created by the delivery: user zed, password zed
        byte[] fetched = Mail.fetch(Pop3dExtension.HOST, pop3d.pop3Port(), "zed", "zed", 1);
        assertArrayEquals(MAIL, Trace.sent(fetched));
    }

    @Test
    void mailPutThroughTheAdminApiIsListedAndPurged() throws Exception {
        pop3d.createUser("ann", "secret");
        pop3d.deliver("ann", MAIL);
        assertEquals(MAIL.length, pop3d.messages("ann").get(0).size());
        assertArrayEquals(MAIL, Mail.fetch(Pop3dExtension.HOST, pop3d.pop3Port(), "ann", "secret", 1));
        pop3d.purge();
        assertEquals(0, Mail.count(Pop3dExtension.HOST, pop3d.pop3Port(), "ann", "secret"));
    }
}

package dev.pop3d.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.admin.AdminAccess.Decision;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The trust rule of the admin API, with addresses a loopback-only machine cannot connect from. */
class AdminAccessTest {
    private static final AdminToken TOKEN = AdminToken.of("s3cret-Token_0123456789abcdefXYZ");

    @Test
    void beyondLoopbackATokenIsRequired() throws Exception {
        for (String address : new String[] {"192.0.2.10", "10.0.0.1", "2001:db8::1", "::ffff:192.0.2.1", "0.0.0.0", "::"}) {
            InetAddress client = InetAddress.getByName(address);
            assertEquals(Decision.TOKEN_REQUIRED, AdminAccess.decide(client, Optional.empty(), TOKEN), address);
            assertEquals(Decision.ALLOWED, AdminAccess.decide(client,
                    Optional.of("Bearer s3cret-Token_0123456789abcdefXYZ"), TOKEN), address);
            assertEquals(Decision.WRONG_TOKEN, AdminAccess.decide(client, Optional.of("Bearer wrong"), TOKEN), address);
        }
    }

    @Test
    void onLoopbackTheTokenMayBeOmittedButAWrongOneIsRefused() throws Exception {
        for (String address : new String[] {"127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "::ffff:127.0.0.1"}) {
            InetAddress client = InetAddress.getByName(address);
            assertTrue(AdminAccess.loopback(client), address);
            assertEquals(Decision.ALLOWED, AdminAccess.decide(client, Optional.empty(), TOKEN), address);
            assertEquals(Decision.WRONG_TOKEN, AdminAccess.decide(client, Optional.of("Bearer wrong"), TOKEN), address);
        }
    }

    @Test
    void theSchemeIsCaseInsensitiveAndOnlyBearerCounts() throws Exception {
        InetAddress far = InetAddress.getByName("198.51.100.7");
        String token = "s3cret-Token_0123456789abcdefXYZ";
        assertEquals(Decision.ALLOWED, AdminAccess.decide(far, Optional.of("bearer " + token), TOKEN));
        assertEquals(Decision.ALLOWED, AdminAccess.decide(far, Optional.of("BEARER  " + token + " "), TOKEN));
        for (String header : new String[] {"Basic " + token, token, "Bearer", "Bearer ", "Bearer " + token + "x",
                "Bearer " + token.substring(1), "Bearer " + token + " extra", "Bearer \u00e9" + token}) {
            assertEquals(Decision.WRONG_TOKEN, AdminAccess.decide(far, Optional.of(header), TOKEN), header);
        }
    }

    @Test
    void privateAndLinkLocalAddressesAreNotLoopback() throws Exception {
        for (String address : new String[] {"169.254.1.1", "fe80::1", "fc00::1", "128.0.0.1", "::2"}) {
            assertFalse(AdminAccess.loopback(InetAddress.getByName(address)), address);
        }
    }
}

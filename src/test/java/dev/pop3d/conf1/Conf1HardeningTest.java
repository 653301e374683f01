package dev.pop3d.conf1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pop3d.conf1.objects.FolderObjects;
import dev.pop3d.conf1.objects.TransformObjects;
import dev.pop3d.live.LiveSettings;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CONF1 attacks of the safety issue, each as the rule that now holds. */
class Conf1HardeningTest {
    private static final String TOKEN = "RightToken";

    @TempDir
    Path data;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private final InstantSource clock = now::get;
    private final List<String> audit = new ArrayList<>();

    private Conf1Service service(Conf1Registry registry) {
        return new Conf1Service(registry, new TokenGuard(5, Duration.ofSeconds(10), clock), () -> TOKEN,
                new Conf1Audit(kv -> audit.add(String.join(" ", java.util.Arrays.stream(kv).map(String::valueOf).toList())),
                        Duration.ofSeconds(10), clock));
    }

    private static Conf1Service.Answer ask(Conf1Service s, String source, String line) throws Exception {
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        return s.handle(InetAddress.getByName(source), bytes, bytes.length);
    }

    @Test
    void rotatingLoopbackAddressesCountAsOneSourceAndTheRightTokenIsStillAnswered() throws Exception {
        Conf1Service s = service(new Conf1Registry(List.of()));
        for (int i = 2; i < 12; i++) {
            ask(s, "127.0.0." + i, "WrongToken GET INF");
        }
        assertEquals(Conf1Service.Outcome.THROTTLED, ask(s, "127.9.9.9", "WrongToken GET INF").outcome(),
                "127.0.0.0/8 is one source");
        assertEquals(Conf1Service.Outcome.THROTTLED, ask(s, "::1", "WrongToken GET INF").outcome());
        Conf1Service.Answer admin = ask(s, "127.0.0.1", TOKEN + " GET INF");
        assertEquals(Conf1Service.Outcome.SUCCESS, admin.outcome(), "forged failures never lock the admin out");
    }

    @Test
    void wrongTokensBeyondTheGlobalRateGetNoReply() throws Exception {
        Conf1Service s = service(new Conf1Registry(List.of()));
        int sent = 0;
        for (int i = 0; i < 500; i++) {
            if (ask(s, "192.0.2." + (i % 250 + 1), "x").sent()) {
                sent++;
            }
        }
        assertEquals(TokenGuard.MAX_ERROR_REPLIES_PER_SECOND, sent, "no amplification beyond the global rate");
        assertTrue(ask(s, "192.0.2.1", TOKEN + " GET INF").sent(), "the right token is always answered");
        now.set(now.get().plusSeconds(1));
        assertTrue(ask(s, "192.0.2.1", "x").sent(), "a new second, a new budget");
    }

    @Test
    void everySetAndRefusedTokenIsAuditedOncePerNetworkAndWindowWithoutTheToken() throws Exception {
        LiveSettings live = live();
        Conf1Service s = service(new Conf1Registry(List.of(new AttObject(live))));
        for (int i = 0; i < 1000; i++) {
            ask(s, "127.0.0." + (i % 200 + 1), "Wrongtoken GET INF");
        }
        ask(s, "127.0.0.1", TOKEN + " SET ATT Newtokenxy");
        assertEquals(2, audit.size(), audit.toString());
        assertTrue(audit.get(0).contains("kind refused-token source loopback"), audit.get(0));
        assertTrue(audit.get(1).contains("object ATT value **********"), audit.get(1));
        assertFalse(String.join("\n", audit).contains("Newtokenxy") || String.join("\n", audit).contains("Wrongtoken"));
        now.set(now.get().plusSeconds(11));
        ((Conf1Audit) auditOf(s)).flush();
        assertTrue(audit.get(2).contains("more 999"), audit.toString());
    }

    @Test
    void tfnTakesOnlyTheAllowListEvenOnLoopback() throws Exception {
        LiveSettings live = live();
        var tfn = TransformObjects.tfn(live, false, Optional.of(List.of("sed s/a/4/g")));
        assertFalse(tfn.set("id > /tmp/owned; cat").success());
        assertTrue(tfn.set("sed s/a/4/g").success());
        assertTrue(TransformObjects.tfn(live, true, Optional.empty()).set("tr a-z A-Z").success(),
                "pop3.transform.unrestricted=true lifts it");
    }

    @Test
    void lgfAndMdfStayInTheDataDirectoryOutsideEveryMaildirAndFollowNoSymlink() throws Exception {
        LiveSettings live = live();
        Path maildir = Files.createDirectories(data.resolve("mail/erin/Maildir"));
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(maildir.resolve(sub));
        }
        var lgf = FolderObjects.lgf(live, folder -> { });
        assertEquals("Folder must not be inside a Maildir: mail/erin/Maildir/new", lgf.set("mail/erin/Maildir/new").text());
        assertFalse(lgf.set("../outside").success());
        assertFalse(lgf.set("/etc").success());
        Files.createSymbolicLink(data.resolve("link"), Files.createDirectories(data.resolve("elsewhere")));
        assertEquals("Folder must not be or pass through a symlink: link", lgf.set("link").text());
        assertTrue(lgf.set("logs2").success());
        var mdf = FolderObjects.mdf(live);
        assertFalse(mdf.set("mail/erin/Maildir").success());
        assertFalse(mdf.set("link").success());
        Files.createDirectories(data.resolve("mail2"));
        assertTrue(mdf.set("mail2").success());
        assertTrue(mdf.set("mail").success(), "the configured root is always fine");
    }

    private LiveSettings live() throws Exception {
        Files.createDirectories(data.resolve("mail"));
        return new LiveSettings(data, new LiveSettings.Snapshot("mail", data.resolve("mail"), "logs", data.resolve("logs"),
                TOKEN, true, false, Optional.empty(), 100, Duration.ofMinutes(10)));
    }

    private static Object auditOf(Conf1Service s) throws Exception {
        var field = Conf1Service.class.getDeclaredField("audit");
        field.setAccessible(true);
        return field.get(s);
    }
}

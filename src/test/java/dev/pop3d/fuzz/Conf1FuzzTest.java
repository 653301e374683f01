package dev.pop3d.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pop3d.conf1.AttObject;
import dev.pop3d.conf1.Conf1Audit;
import dev.pop3d.conf1.Conf1Registry;
import dev.pop3d.conf1.Conf1Request;
import dev.pop3d.conf1.Conf1Service;
import dev.pop3d.conf1.TokenGuard;
import dev.pop3d.conf1.objects.Counters;
import dev.pop3d.conf1.objects.FolderObjects;
import dev.pop3d.conf1.objects.LimitObjects;
import dev.pop3d.conf1.objects.TransformObjects;
import dev.pop3d.endpoint.Conf1Reply;
import dev.pop3d.live.LiveSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * Target 2: datagrams through {@link Conf1Service} as the endpoint runs it (parse, throttle, token,
 * registry with every object), against a data directory of its own. The input is a sequence of
 * records {@code [control][length][payload]}: control bits 0-1 say whether the payload goes as is
 * (0, 3), after the token in force (1) or after a wrong token (2); bits 2-7 advance the clock by
 * that many tenths of a second. Invariants: no exception; every reply is {@code +SUC }/{@code -ERR }
 * text, printable ASCII, CRLF, at most 255 octets; the outcome matches the reply; a wrong token
 * changes nothing and never succeeds; the token is never echoed; afterwards every object still
 * answers GET, the listing is unchanged, and the live settings are valid.
 */
class Conf1FuzzTest {
    private static final String FIRST_TOKEN = "RightToken";
    private static final String WRONG_TOKEN = "WrongTokenX";
    private static final Path DATA = dataDirectory();
    private static final FuzzRuns RUNS = new FuzzRuns("Conf1FuzzTest");

    @FuzzTest(maxDuration = "30s")
    void datagrams(byte[] input) throws Exception {
        RUNS.ran();
        resetData();
        LiveSettings live = new LiveSettings(DATA, new LiveSettings.Snapshot("mail", DATA.resolve("mail"), "logs",
                DATA.resolve("logs"), FIRST_TOKEN, true, false, Optional.empty(), 100, Duration.ofMinutes(10)));
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
        List<String> audit = new ArrayList<>();
        Conf1Registry registry = new Conf1Registry(List.of(Counters.htu(() -> 7), Counters.ccu(() -> 2),
                Counters.btf(() -> 123456), Counters.buf(8192), FolderObjects.lgf(live, folder -> { }),
                FolderObjects.mdf(live), new AttObject(live), TransformObjects.trf(live),
                TransformObjects.tfn(live, false, Optional.of(List.of("sed s/a/4/g"))), LimitObjects.mxc(live),
                LimitObjects.idl(live)));
        Conf1Service service = new Conf1Service(registry, new TokenGuard(5, Duration.ofSeconds(10), now::get),
                () -> live.current().token(),
                new Conf1Audit(kv -> audit.add(Arrays.toString(kv)), Duration.ofSeconds(10), now::get));
        String listing = text(registry.handle(get("INF")));
        InetAddress source = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});

        StringBuilder sentSoFar = new StringBuilder();
        int at = 0;
        for (int count = 0; at + 1 < input.length && count < 64; count++) {
            int control = input[at] & 0xff;
            int length = Math.min(input[at + 1] & 0xff, input.length - at - 2);
            byte[] payload = Arrays.copyOfRange(input, at + 2, at + 2 + length);
            at += 2 + length;
            now.set(now.get().plusMillis(100L * (control >> 2)));
            int mode = control & 3;
            String token = live.current().token();
            byte[] datagram = switch (mode) {
                case 1 -> concat(token + " ", payload);
                case 2 -> concat(WRONG_TOKEN + " ", payload);
                default -> payload;
            };
            LiveSettings.Snapshot before = live.current();
            int audited = audit.size();
            service.mayBlock(datagram, datagram.length);
            Conf1Service.Answer answer = service.handle(source, datagram, datagram.length);
            String reply = checkedReply(answer.reply());
            if (answer.outcome() != Conf1Service.Outcome.DROPPED) {
                assertEquals(answer.outcome() == Conf1Service.Outcome.SUCCESS, answer.reply().success(),
                        "outcome " + answer.outcome() + " for " + reply);
            }
            if (mode == 2) {
                assertFalse(answer.reply().success(), "a wrong token succeeded: " + reply);
                assertEquals(before, live.current(), "a wrong token changed the settings");
            }
            String sent = new String(payload, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
            sentSoFar.append(sent).append('\n');
            // an admin who types the token into an object name sees it echoed, and audited (also in a later summary)
            if (!sentSoFar.toString().contains(token.toUpperCase(Locale.ROOT))) {
                assertFalse(reply.toUpperCase(Locale.ROOT).contains(token.toUpperCase(Locale.ROOT)),
                        "the token is echoed: " + reply);
                assertFalse(String.join("\n", audit.subList(audited, audit.size())).toUpperCase(Locale.ROOT)
                        .contains(token.toUpperCase(Locale.ROOT)), "the token is in the audit");
            }
        }

        assertEquals(listing, text(registry.handle(get("INF"))), "GET INF changed");
        String codes = listing.substring(listing.indexOf(':') + 1).replace("|", ",");
        for (String code : codes.split(",")) {
            Conf1Reply reply = registry.handle(get(code.strip()));
            assertTrue(reply.success(), "GET " + code + " fails after the input: " + text(reply));
            checkedReply(reply);
        }
        LiveSettings.Snapshot s = live.current();
        assertTrue(AttObject.valid(s.token()), "the token in force is not 10 letters");
        assertTrue(s.maxConnections() >= 1 && s.maxConnections() <= 1_000_000, "MXC " + s.maxConnections());
        assertTrue(!s.idleTimeout().isNegative() && !s.idleTimeout().isZero(), "IDL " + s.idleTimeout());
        assertTrue(Files.isDirectory(s.maildirRoot()) && s.maildirRoot().normalize().startsWith(DATA), "MDF " + s.maildirRoot());
        assertTrue(Files.isDirectory(s.logFolder()) && s.logFolder().normalize().startsWith(DATA), "LGF " + s.logFolder());
    }

    private static Conf1Request get(String code) {
        return new Conf1Request(FIRST_TOKEN, Conf1Request.Verb.GET, code, Optional.empty());
    }

    /** CONF1.md "Response": the encoded datagram, checked octet by octet. */
    private static String checkedReply(Conf1Reply reply) {
        byte[] octets = reply.encode();
        String text = new String(octets, StandardCharsets.ISO_8859_1);
        assertTrue(octets.length <= Conf1Reply.CONF1_MAX_REPLY_OCTETS, "a reply of " + octets.length + " octets");
        assertTrue(text.startsWith(reply.success() ? "+SUC " : "-ERR "), "bad status: " + text);
        assertTrue(text.endsWith("\r\n"), "no CRLF: " + text);
        for (int i = 0; i < octets.length - 2; i++) {
            assertTrue(octets[i] >= 0x20 && octets[i] <= 0x7e, "octet " + i + " not printable: " + text);
        }
        return text.substring(0, text.length() - 2);
    }

    private static String text(Conf1Reply reply) {
        return new String(reply.encode(), StandardCharsets.US_ASCII).strip();
    }

    private static byte[] concat(String head, byte[] tail) {
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(h, h.length + tail.length);
        System.arraycopy(tail, 0, out, h.length, tail.length);
        return out;
    }

    private static Path dataDirectory() {
        try {
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "pop3d-fuzz-conf1-")
                    : Files.createTempDirectory("pop3d-fuzz-conf1-");
            return dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SET LGF creates folders: the data directory goes back to {@code mail/} and {@code logs/} only. */
    private static void resetData() throws IOException {
        try (Stream<Path> all = Files.walk(DATA)) {
            if (all.count() == 3 && Files.isDirectory(DATA.resolve("mail")) && Files.isDirectory(DATA.resolve("logs"))) {
                return;
            }
        }
        delete(DATA, false);
        Files.createDirectories(DATA.resolve("mail"));
        Files.createDirectories(DATA.resolve("logs"));
    }

    private static void delete(Path dir, boolean itself) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (itself || !p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }

    @AfterAll
    static void ranInputs() throws IOException {
        delete(DATA, true);
        RUNS.requireInputs();
    }
}

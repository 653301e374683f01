package dev.pop3d.conf1;

import dev.pop3d.endpoint.Conf1Reply;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pop3d.conf1.AttObject;
import dev.pop3d.conf1.objects.Counters;
import dev.pop3d.conf1.objects.FolderObjects;
import dev.pop3d.conf1.objects.LimitObjects;
import dev.pop3d.conf1.objects.TransformObjects;
import dev.pop3d.live.LiveSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every object's answers and validation, through the registry, with the spec's texts. */
class Conf1ObjectsTest {
    @TempDir
    Path data;

    private LiveSettings live;
    private final List<Path> movedLogs = new ArrayList<>();
    private Conf1Registry registry;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(data.resolve("mail"));
        live = new LiveSettings(data, new LiveSettings.Snapshot("mail", data.resolve("mail"), "logs",
                data.resolve("logs"), "adminadmin", false, false, Optional.empty(), 1000, Duration.ofMinutes(10)));
        registry = registry(true, Optional.empty());
    }

    private Conf1Registry registry(boolean loopbackOnly, Optional<List<String>> allowed) {
        return new Conf1Registry(List.of(Counters.htu(() -> 7), Counters.ccu(() -> 2), Counters.btf(() -> 123456),
                Counters.buf(8192), FolderObjects.lgf(live, movedLogs::add), FolderObjects.mdf(live),
                new AttObject(live), TransformObjects.trf(live), TransformObjects.tfn(live, loopbackOnly, allowed),
                LimitObjects.mxc(live), LimitObjects.idl(live)));
    }

    private String run(Conf1Registry r, String request) {
        byte[] bytes = ("adminadmin " + request + "\r\n").getBytes(StandardCharsets.US_ASCII);
        Conf1Reply reply = r.handle(Conf1Parser.parse(bytes, bytes.length).request().orElseThrow());
        return new String(reply.encode(), StandardCharsets.US_ASCII).stripTrailing();
    }

    private String run(String request) {
        return run(registry, request);
    }

    @Test
    void specAnswerTexts() {
        assertEquals("+SUC Valid object codes: INF, HTU, CCU, BTF, BUF | LGF, MDF, ATT, TRF, TFN, MXC, IDL", run("GET INF"));
        assertEquals("+SUC Historic total users: 7", run("GET HTU"));
        assertEquals("+SUC Concurrent users: 2", run("GET CCU"));
        assertEquals("+SUC Bytes transferred: 123456", run("GET BTF"));
        assertEquals("+SUC Buffer size: 8192", run("GET BUF"));
        assertEquals("+SUC Log folder: logs", run("GET LGF"));
        assertEquals("+SUC Maildir folder: mail", run("GET MDF"));
        assertEquals("+SUC Authorization token: **********", run("GET ATT"));
        assertEquals("+SUC Transformation active: false", run("GET TRF"));
        assertEquals("+SUC Transformation command: (none)", run("GET TFN"));
        assertEquals("+SUC Max connections: 1000", run("GET MXC"));
        assertEquals("+SUC Idle timeout seconds: 600", run("GET IDL"));
        assertEquals("-ERR Unknown object code: XYZ", run("GET XYZ"));
    }

    @Test
    void readOnlyObjectsRefuseSet() {
        for (String code : List.of("INF", "HTU", "CCU", "BTF", "BUF")) {
            assertEquals("-ERR " + code + " is read-only", run("SET " + code + " 1"));
        }
    }

    @Test
    void mdfNeedsAnExistingWritableDirectory() throws Exception {
        assertEquals("-ERR Not an existing directory: nowhere", run("SET MDF nowhere"));
        Files.writeString(data.resolve("a-file"), "x");
        assertEquals("-ERR Not a directory: a-file", run("SET MDF a-file"));
        Files.createDirectories(data.resolve("Maildir2"));
        assertEquals("+SUC New maildir folder: Maildir2", run("SET MDF Maildir2"));
        assertEquals(data.resolve("Maildir2"), live.current().maildirRoot());
        assertEquals("+SUC Maildir folder: Maildir2", run("GET MDF"));
    }

    @Test
    void lgfCreatesTheFolderAndMovesTheLog() {
        assertEquals("+SUC New log folder: logs2/today", run("SET LGF logs2/today"));
        assertEquals(List.of(data.resolve("logs2/today")), movedLogs);
        assertEquals(true, Files.isDirectory(data.resolve("logs2/today")));
        assertEquals("+SUC Log folder: logs2/today", run("GET LGF"));
    }

    @Test
    void attIsTenLettersAndNeverShown() {
        assertEquals("-ERR ATT must be exactly 10 ASCII letters", run("SET ATT short"));
        assertEquals("-ERR ATT must be exactly 10 ASCII letters", run("SET ATT abcdefghi1"));
        assertEquals("-ERR ATT must be exactly 10 ASCII letters", run("SET ATT abcdefghijk"));
        assertEquals("+SUC New authorization token set", run("SET ATT NewTokenAb"));
        assertEquals("NewTokenAb", live.current().token());
        assertEquals("+SUC Authorization token: **********", run("GET ATT"));
    }

    @Test
    void trfNeedsACommandAndABoolean() {
        assertEquals("-ERR No transformation command set", run("SET TRF true"));
        assertEquals("-ERR TRF must be true or false", run("SET TRF yes"));
        assertEquals("+SUC New transformation command: sed s/a/4/g", run("SET TFN sed s/a/4/g"));
        assertEquals("+SUC Transformation set: true", run("SET TRF TRUE"));
        assertEquals("+SUC Transformation active: true", run("GET TRF"));
        assertEquals("+SUC Transformation command: sed s/a/4/g", run("GET TFN"));
        assertEquals("+SUC Transformation set: false", run("SET TRF false"));
    }

    @Test
    void tfnBeyondLoopbackOnlyFromTheAllowList() {
        Conf1Registry exposed = registry(false, Optional.of(List.of("sed s/a/4/g")));
        assertEquals("-ERR Command not in pop3.transform.allowed-commands", run(exposed, "SET TFN rm -rf /"));
        assertEquals("+SUC New transformation command: sed s/a/4/g", run(exposed, "SET TFN sed s/a/4/g"));
        Conf1Registry noList = registry(false, Optional.empty());
        assertEquals("-ERR Command not in pop3.transform.allowed-commands", run(noList, "SET TFN sed s/a/4/g"));
    }

    @Test
    void limitsAreValidated() {
        assertEquals("-ERR MXC must be a whole number from 1 to 1000000", run("SET MXC 0"));
        assertEquals("-ERR MXC must be a whole number from 1 to 1000000", run("SET MXC many"));
        assertEquals("+SUC New max connections: 50", run("SET MXC 50"));
        assertEquals(50, live.current().maxConnections());
        assertEquals("+SUC New idle timeout seconds: 900", run("SET IDL 900"));
        assertEquals(Duration.ofSeconds(900), live.current().idleTimeout());
        assertEquals(true, run("SET IDL -5").startsWith("-ERR IDL must be"));
    }
}

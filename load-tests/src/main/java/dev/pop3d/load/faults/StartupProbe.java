package dev.pop3d.load.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the packaged server's time from spawn to first {@code +OK} greeting under several JVM
 * flag sets, to choose the harness's restart flags:
 * {@code java -cp pop3d-load-tests.jar dev.pop3d.load.faults.StartupProbe <jar> <work dir> <starts>}.
 */
public final class StartupProbe {
    private StartupProbe() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path work = Files.createDirectories(Path.of(args[1]));
        int starts = Integer.parseInt(args[2]);
        Path archive = work.resolve("probe.jsa");
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("default", List.of());
        variants.put("C1 only", List.of("-XX:TieredStopAtLevel=1"));
        variants.put("C1 + SerialGC", List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        variants.put("AppCDS + C1 + SerialGC", List.of("-XX:SharedArchiveFile=" + archive, "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC"));
        variants.put("-Xshare:off + C1 + SerialGC", List.of("-Xshare:off", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        Path users = work.resolve("users");
        Files.writeString(users, "probe:{PLAIN}pw-probe\n");
        ServerNode maker = new ServerNode("archive", jar, work.resolve("maker"), work.resolve("mail"), users,
                List.of("-XX:ArchiveClassesAtExit=" + archive, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), List.of());
        maker.start();
        maker.stop();
        for (var variant : variants.entrySet()) {
            List<Double> millis = new ArrayList<>();
            ServerNode node = new ServerNode("probe", jar, work.resolve("probe"), work.resolve("mail"), users,
                    variant.getValue(), List.of());
            for (int i = 0; i < starts; i++) {
                long start = System.nanoTime();
                node.start();
                millis.add((System.nanoTime() - start) / 1e6);
                node.kill();
            }
            Collections.sort(millis);
            System.out.printf("%-28s starts %d, to greeting: min %.0f ms, median %.0f ms, max %.0f ms%n",
                    variant.getKey(), starts, millis.get(0), millis.get(millis.size() / 2), millis.get(millis.size() - 1));
        }
    }
}

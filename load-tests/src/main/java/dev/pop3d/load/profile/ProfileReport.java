package dev.pop3d.load.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the server (made with {@code settings=profile}) as Markdown for
 * {@code load-tests/RESULTS.md}: CPU by thread group (from {@code jdk.ThreadCPULoad}, user and
 * system), then the hottest frames of the Java samples ({@code jdk.ExecutionSample}): the top
 * frame (self), and the first frame of our own code ({@code dev.pop3d}) with the frame it called
 * — a flame graph read from the top. Thread names are grouped by dropping their numbers.
 *
 * <pre>java -cp load-tests/target/pop3d-load-tests.jar dev.pop3d.load.profile.ProfileReport REC.jfr "title" [top] &gt; out.md</pre>
 */
public final class ProfileReport {
    private static final Pattern DIGITS = Pattern.compile("(?<=[-#])\\d+|\\d+$");

    private ProfileReport() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ProfileReport RECORDING.jfr TITLE [TOP]");
            System.exit(2);
        }
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        System.out.print(report(Path.of(args[0]), args[1], top));
    }

    public static String report(Path recording, String title, int top) throws IOException {
        Map<String, double[]> cpu = new HashMap<>(); // group -> {user, system}, summed over its reports
        Map<Long, Integer> reportsPerThread = new HashMap<>();
        Map<String, Integer> samplesByGroup = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        Map<String, Integer> kernelish = new HashMap<>();
        int samples = 0;
        Duration span = Duration.ZERO;
        java.time.Instant first = null;
        java.time.Instant last = null;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            String type = event.getEventType().getName();
            if (first == null || event.getStartTime().isBefore(first)) {
                first = event.getStartTime();
            }
            if (last == null || event.getEndTime().isAfter(last)) {
                last = event.getEndTime();
            }
            if (type.equals("jdk.ThreadCPULoad")) {
                RecordedThread thread = event.getThread("eventThread");
                String group = group(thread);
                double[] load = cpu.computeIfAbsent(group, g -> new double[2]);
                load[0] += event.getFloat("user");
                load[1] += event.getFloat("system");
                reportsPerThread.merge(thread == null ? -1 : thread.getJavaThreadId(), 1, Integer::sum);
            } else if (type.equals("jdk.ExecutionSample") || type.equals("jdk.NativeMethodSample")) {
                RecordedThread thread = event.getThread("sampledThread");
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                String group = group(thread);
                List<RecordedFrame> frames = stack.getFrames();
                if (type.equals("jdk.NativeMethodSample")) {
                    if (!group.startsWith("vert.x-eventloop") && !group.startsWith("pop3d-")) {
                        continue;
                    }
                    kernelish.merge(group + ": " + name(frames.get(0)), 1, Integer::sum);
                    continue;
                }
                samples++;
                samplesByGroup.merge(group, 1, Integer::sum);
                self.merge(name(frames.get(0)), 1, Integer::sum);
                int at = firstMatching(frames, f -> name(f).startsWith("dev.pop3d."));
                String key = at < 0 ? "(no pop3d frame) " + name(frames.get(0))
                        : name(frames.get(at)) + (at > 0 ? " → " + name(frames.get(at - 1)) : "");
                ours.merge(group + ": " + key, 1, Integer::sum);
            }
        }
        if (first != null) {
            span = Duration.between(first, last);
        }
        StringBuilder md = new StringBuilder();
        md.append("#### ").append(title).append("\n\n");
        md.append(String.format(Locale.ROOT, "Recording of %.1f s; %d Java samples.%n%n", span.toMillis() / 1000.0, samples));
        md.append("| thread group | CPU user | CPU system | Java samples |\n|---|---|---|---|\n");
        List<Map.Entry<String, double[]>> groups = new ArrayList<>(cpu.entrySet());
        groups.sort((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]));
        // every thread reports its share of the machine once per period: a group's share is its sum
        // over all reports divided by the number of periods
        double periods = Math.max(1, reportsPerThread.values().stream().mapToInt(Integer::intValue).max().orElse(1));
        for (Map.Entry<String, double[]> g : groups) {
            double user = g.getValue()[0] / periods;
            double system = g.getValue()[1] / periods;
            if (user + system < 0.002 && !samplesByGroup.containsKey(g.getKey())) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %d |%n", g.getKey(), 100 * user, 100 * system,
                    samplesByGroup.getOrDefault(g.getKey(), 0)));
        }
        md.append("\nCPU is the share of all cores (JFR `jdk.ThreadCPULoad`, summed over the threads of a group).\n\n");
        md.append("Top frames (self time, share of Java samples):\n\n");
        appendTop(md, self, samples, top);
        md.append("\nFirst frame of pop3d's own code in each sample, with the frame it called (by thread group):\n\n");
        appendTop(md, ours, samples, top);
        if (!kernelish.isEmpty()) {
            int natives = kernelish.values().stream().mapToInt(Integer::intValue).sum();
            md.append("\nNative (blocked or in the kernel) samples of event loops and pop3d threads, top frame:\n\n");
            appendTop(md, kernelish, natives, Math.min(top, 8));
        }
        return md.append('\n').toString();
    }

    private static void appendTop(StringBuilder md, Map<String, Integer> counts, int total, int top) {
        List<Map.Entry<String, Integer>> rows = new ArrayList<>(counts.entrySet());
        rows.sort((a, b) -> b.getValue() - a.getValue());
        Map<String, Integer> shown = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> row : rows) {
            if (shown.size() == top) {
                break;
            }
            shown.put(row.getKey(), row.getValue());
        }
        md.append("| share | frame |\n|---|---|\n");
        shown.forEach((frame, n) -> md.append(String.format(Locale.ROOT, "| %.1f %% | `%s` |%n",
                100.0 * n / Math.max(1, total), frame)));
    }

    private static int firstMatching(List<RecordedFrame> frames, Predicate<RecordedFrame> test) {
        for (int i = 0; i < frames.size(); i++) {
            if (test.test(frames.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String group(RecordedThread thread) {
        if (thread == null) {
            return "?";
        }
        String name = thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
        return name == null ? "?" : DIGITS.matcher(name).replaceAll("N");
    }
}

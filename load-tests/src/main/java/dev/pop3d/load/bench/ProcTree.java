package dev.pop3d.load.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A server's process tree read from /proc: its root PID plus every live descendant. CPU is
 * utime+stime+cutime+cstime of each (children that exited and were reaped by a live parent, such
 * as Dovecot's stock pop3 processes, are in the parent's cutime/cstime); memory is the sum of
 * VmRSS (status) and of Pss (smaps_rollup) over the tree.
 */
final class ProcTree {
    /** USER_HZ: Linux reports /proc/PID/stat times in 1/100 s on every architecture we run. */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcTree() {
    }

    /** The root and its live descendants. */
    static List<Long> tree(long root) {
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                long[] stat = stat(proc);
                if (stat != null) {
                    children.computeIfAbsent(stat[0], k -> new ArrayList<>()).add(Long.parseLong(proc.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<Long> tree = new ArrayList<>();
        tree.add(root);
        for (int i = 0; i < tree.size(); i++) {
            tree.addAll(children.getOrDefault(tree.get(i), List.of()));
        }
        return tree;
    }

    /** CPU seconds of the tree (user+system, reaped children included). */
    static double cpuSeconds(long root) {
        long ticks = 0;
        for (long pid : tree(root)) {
            long[] stat = stat(Path.of("/proc", Long.toString(pid)));
            if (stat != null) {
                ticks += stat[1] + stat[2] + stat[3] + stat[4];
            }
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** Sum of VmRSS over the tree, KiB. */
    static long rssKib(long root) {
        long total = 0;
        for (long pid : tree(root)) {
            total += field(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
        }
        return total;
    }

    /** Sum of Pss over the tree, KiB. */
    static long pssKib(long root) {
        long total = 0;
        for (long pid : tree(root)) {
            total += field(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
        }
        return total;
    }

    static int size(long root) {
        return tree(root).size();
    }

    /** {ppid, utime, stime, cutime, cstime} or null if the process is gone. */
    private static long[] stat(Path proc) {
        String text;
        try {
            text = Files.readString(proc.resolve("stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException gone) {
            return null;
        }
        // fields after the command name, which is in parentheses and may hold spaces
        String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
        // f[0]=state (3), f[1]=ppid (4), f[11]=utime (14), f[12]=stime, f[13]=cutime, f[14]=cstime
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
            Long.parseLong(f[13]), Long.parseLong(f[14])};
    }

    private static long field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        return 0;
    }
}

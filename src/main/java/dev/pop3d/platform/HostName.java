package dev.pop3d.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine's host name as the kernel knows it (uname), read from
 * {@code /proc/sys/kernel/hostname}. Never {@code InetAddress.getLocalHost()}: a name missing
 * from {@code /etc/hosts} goes to the DNS resolver, a multi-second stall where none answers.
 * In Kubernetes this is the pod name; in Docker the container id (or {@code --hostname}).
 */
public final class HostName {
    static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    private static final String FALLBACK = "pop3d";

    private HostName() {}

    /** The kernel's host name, else {@code $HOSTNAME}, else {@code pop3d}; never resolved. */
    public static String current() {
        return read(KERNEL_HOSTNAME, System.getenv("HOSTNAME"));
    }

    static String read(Path kernelFile, String environment) {
        try {
            String name = Files.readString(kernelFile, StandardCharsets.US_ASCII).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or /proc not mounted: fall back below
        }
        return environment == null || environment.isBlank() ? FALLBACK : environment.strip();
    }

    /** The name made safe for a file name ({@code stats/<name>.counters}). */
    public static String asFileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}

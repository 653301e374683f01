package dev.pop3d.testcontainers;

import java.nio.file.Path;

/** A test JVM that starts the extension and ends without stopping it: the shutdown hook must. */
public final class StartAndExit {
    private StartAndExit() {}

    public static void main(String[] args) {
        Pop3dExtension pop3d = Pop3dExtension.fromJar(Path.of(args[0])).start();
        System.out.println("pid " + pop3d.pid());
        System.out.flush();
        System.exit(0);
    }
}

package dev.pop3d.pop3.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/**
 * The one gateway from an event loop to blocking work (disk, fsync, bcrypt). Unordered: sessions
 * do not wait for each other. The result comes back on the caller's context.
 */
final class Workers {
    private final Vertx vertx;

    Workers(Vertx vertx) {
        this.vertx = vertx;
    }

    <T> Future<T> run(Callable<T> blocking) {
        return vertx.executeBlocking(blocking, false);
    }
}

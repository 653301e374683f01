package dev.pop3d.endpoint;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/**
 * A named, bounded pool for one kind of blocking work (disk, fsync, bcrypt, folder checks), so one
 * kind cannot starve another. Unordered: sessions do not wait for each other. Called from an event
 * loop, the result comes back on the caller's context.
 */
public final class WorkerPool {
    private final String name;
    private final int size;
    private final WorkerExecutor executor;

    WorkerPool(String name, int size, WorkerExecutor executor) {
        this.name = name;
        this.size = size;
        this.executor = executor;
    }

    public <T> Future<T> run(Callable<T> blocking) {
        return executor.executeBlocking(blocking, false);
    }

    public String name() {
        return name;
    }

    public int size() {
        return size;
    }

    void close() {
        executor.close();
    }
}

package dev.pop3d.endpoint;

import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The named worker pools of every endpoint. A pool is created on first use with its size and
 * shared by name afterwards; threads are named {@code <name>-N} in thread dumps and profiles.
 */
@ApplicationScoped
public class WorkerPools {
    private final Vertx vertx;
    private final Map<String, WorkerPool> pools = new ConcurrentHashMap<>();

    public WorkerPools(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The pool {@code name}; {@code size} counts only when it is created. */
    public WorkerPool pool(String name, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("pool " + name + " needs at least one thread");
        }
        return pools.computeIfAbsent(name, n -> new WorkerPool(n, size, vertx.createSharedWorkerExecutor(n, size)));
    }

    @PreDestroy
    void close() {
        pools.values().forEach(WorkerPool::close);
    }
}

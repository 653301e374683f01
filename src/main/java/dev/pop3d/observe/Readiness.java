package dev.pop3d.observe;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** What the listeners report about themselves, for the readiness check. */
@ApplicationScoped
public class Readiness {
    private final AtomicInteger pop3Port = new AtomicInteger(-1);
    private final AtomicBoolean conf1Bound = new AtomicBoolean();
    private final AtomicBoolean conf1Enabled = new AtomicBoolean(true);

    public void pop3Bound(int port) {
        pop3Port.set(port);
    }

    public void pop3Stopped() {
        pop3Port.set(-1);
    }

    public int pop3Port() {
        return pop3Port.get();
    }

    public void conf1(boolean enabled, boolean bound) {
        conf1Enabled.set(enabled);
        conf1Bound.set(bound);
    }

    public boolean conf1Ready() {
        return !conf1Enabled.get() || conf1Bound.get();
    }
}

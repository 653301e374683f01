package dev.pop3d.pop3.server;

import dev.pop3d.auth.LoginPenalties;
import dev.pop3d.auth.UserDirectory;
import dev.pop3d.endpoint.AddressSlots;
import dev.pop3d.endpoint.WorkerPool;
import dev.pop3d.live.LiveSettings;
import dev.pop3d.mailstore.MailStore;
import dev.pop3d.observe.AccessLog;
import dev.pop3d.observe.Pop3Metrics;
import dev.pop3d.transform.ProcessFilter;
import dev.pop3d.pop3.session.SessionMachine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** What every connection shares: the pure machine, the stores and the limits. Immutable wiring. */
record Pop3Services(
        SessionMachine machine,
        UserDirectory users,
        MailStore mailStore,
        LoginGate loginGate,
        AccessLog accessLog,
        Pop3Metrics metrics,
        LiveSettings live,
        ProcessFilter filter,
        WorkerPool workers,
        WorkerPool authWorkers,
        AddressSlots slots,
        LoginPenalties penalties,
        Limits limits,
        AtomicInteger connections,
        AtomicInteger pendingReleases) {

    /** Fixed limits; the idle timeout and connection limit are live (CONF1) and read from {@link LiveSettings}. */
    record Limits(Duration failureDelay, int maxBadCommands, int bufferSize, Duration loginTimeout) {}
}

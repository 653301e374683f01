package dev.pop3d.intake.server;

import dev.pop3d.accounts.Accounts;
import dev.pop3d.config.Pop3Config;
import dev.pop3d.endpoint.WorkerPool;
import dev.pop3d.intake.protocol.Dialect;
import dev.pop3d.intake.protocol.IntakeMachine;
import dev.pop3d.observe.AccessLog;
import dev.pop3d.observe.Pop3Metrics;
import io.vertx.core.Vertx;

/** What every connection of one intake endpoint shares; {@code clock} dates the trace lines and ages tmp/ files. */
record IntakeServices(Dialect dialect, String host, Pop3Config.Lmtp limits, Accounts accounts, Pop3Metrics metrics,
                      AccessLog accessLog, WorkerPool pool, Vertx vertx, java.time.Clock clock) {
    /** RFC 5321 §4.5.3.1: bad commands in a row before the session is closed with 421. */
    static final int MAX_BAD_COMMANDS = 20;

    IntakeMachine machine() {
        return new IntakeMachine(dialect, host,
                new IntakeMachine.Limits(limits.maxMessageSize(), limits.maxRecipients(), MAX_BAD_COMMANDS));
    }
}

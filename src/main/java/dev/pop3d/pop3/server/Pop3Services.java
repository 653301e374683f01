package dev.pop3d.pop3.server;

import dev.pop3d.auth.UserStore;
import dev.pop3d.mailstore.MailStore;
import dev.pop3d.observe.AccessLog;
import dev.pop3d.pop3.protocol.CommandParser;
import dev.pop3d.pop3.protocol.Compliance;
import dev.pop3d.pop3.session.SessionMachine;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** What every connection shares: the pure machine, the stores and the limits. Immutable wiring. */
record Pop3Services(
        SessionMachine machine,
        CommandParser parser,
        Set<Compliance> compliance,
        UserStore users,
        MailStore mailStore,
        LoginGate loginGate,
        AccessLog accessLog,
        Workers workers,
        Limits limits,
        AtomicInteger connections,
        AtomicInteger pendingReleases) {

    record Limits(Duration failureDelay, Duration idleTimeout, int maxBadCommands, int maxConnections,
                  int bufferSize) {}
}

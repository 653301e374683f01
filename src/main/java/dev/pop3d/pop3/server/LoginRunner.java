package dev.pop3d.pop3.server;

import dev.pop3d.pop3.session.Action;
import dev.pop3d.pop3.session.AuthOutcome;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs one login for a connection: the penalty of its source and name is waited out first (a
 * timer, not a thread), then the password is checked and the maildrop opened: a cheap scheme
 * (SHA-256, plain) in one store-worker hop, a costly one (bcrypt, SCRAM's PBKDF2) first on the
 * bounded auth pool (a queued check whose client is gone is not run); a failure is
 * answered only after the fixed failure delay. Penalties learn every outcome. A locked-out login
 * answers exactly like a wrong password, after the same work.
 */
final class LoginRunner {
    private final Vertx vertx;
    private final Pop3Services services;
    private final String id;
    private final Optional<InetAddress> source;
    private final BooleanSupplier closed;

    LoginRunner(Vertx vertx, Pop3Services services, String id, Optional<InetAddress> source, BooleanSupplier closed) {
        this.vertx = vertx;
        this.services = services;
        this.id = id;
        this.source = source;
        this.closed = closed;
    }

    void run(Action.Authenticate auth, Consumer<AuthOutcome> done) {
        // the penalty is waited out before the check: a penalised source costs a timer, not a thread
        Duration penalty = source.map(s -> services.penalties().penaltyFor(s, auth.user())).orElse(Duration.ZERO);
        boolean lockedOut = source.map(s -> services.penalties().lockedOut(s, auth.user())).orElse(false);
        if (penalty.isZero()) {
            check(auth, lockedOut, done);
        } else {
            vertx.setTimer(penalty.toMillis(), t -> check(auth, lockedOut, done));
        }
    }

    private void check(Action.Authenticate auth, boolean lockedOut, Consumer<AuthOutcome> done) {
        long started = System.nanoTime();
        io.vertx.core.Future<AuthOutcome> checked;
        if (auth.check() instanceof Action.Check.Password password && !services.loginGate().costly(auth.user())) {
            // a cheap scheme (microseconds): checked in the store worker's hop that opens the maildrop,
            // one thread hop per login instead of two; costly checks keep their own bounded pool
            checked = services.workers().run(() -> !closed.getAsBoolean()
                    && services.loginGate().verify(auth.user(), password.password()) && !lockedOut
                    ? services.loginGate().open(auth.user(), id) : new AuthOutcome.BadCredentials());
        } else {
            checked = verify(auth)
                    // a locked-out login answers exactly like a wrong password, after the same work
                    .compose(verified -> verified && !lockedOut
                            ? services.workers().run(() -> services.loginGate().open(auth.user(), id))
                            : io.vertx.core.Future.<AuthOutcome>succeededFuture(new AuthOutcome.BadCredentials()));
        }
        checked.onComplete(result -> {
                    AuthOutcome outcome = result.succeeded() ? result.result() : new AuthOutcome.Unavailable();
                    source.ifPresent(s -> {
                        if (outcome.kind() == AuthOutcome.Kind.BAD_CREDENTIALS) {
                            services.penalties().failed(s, auth.user());
                        } else if (outcome.kind() == AuthOutcome.Kind.SUCCESS) {
                            services.penalties().succeeded(s, auth.user());
                        }
                    });
                    long waitedMs = (System.nanoTime() - started) / 1_000_000;
                    long delayMs = outcome.kind() == AuthOutcome.Kind.BAD_CREDENTIALS
                            ? services.limits().failureDelay().toMillis() - waitedMs : 0;
                    Runnable answer = () -> done.accept(outcome);
                    if (delayMs > 0) {
                        vertx.setTimer(delayMs, t -> answer.run());
                    } else {
                        answer.run();
                    }
                });
    }

    /** Whether the credentials are right; a queued check whose client is gone is not run. */
    private io.vertx.core.Future<Boolean> verify(Action.Authenticate auth) {
        if (auth.check() instanceof Action.Check.Password password) {
            // costly schemes only (cheap ones are checked with the open, above): a flood of bcrypt
            // checks waits in this bounded pool, never in front of cheap logins
            return services.authWorkers().run(() -> !closed.getAsBoolean() && services.loginGate().verify(auth.user(), password.password()));
        }
        return io.vertx.core.Future.succeededFuture(auth.check() instanceof Action.Check.Proven);
    }

}

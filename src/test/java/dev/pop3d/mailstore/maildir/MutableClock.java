package dev.pop3d.mailstore.maildir;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** An injected clock for tests: time moves only when told. */
final class MutableClock implements InstantSource {
    private Instant now = Instant.parse("2026-11-24T12:00:00Z");

    @Override
    public Instant instant() {
        return now;
    }

    void advance(Duration by) {
        now = now.plus(by);
    }

    void set(Instant instant) {
        now = instant;
    }
}

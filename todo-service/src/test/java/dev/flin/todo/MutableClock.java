package dev.flin.todo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the test moves by hand; read by the store's thread, so the instant is held atomically. */
final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;

    MutableClock(final Instant start) {
        now = new AtomicReference<>(start);
    }

    void advance(final Duration by) {
        now.updateAndGet(i -> i.plus(by));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone) {
        throw new UnsupportedOperationException("the test clock is UTC only");
    }
}

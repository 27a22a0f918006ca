package dev.flin.micrometer;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: the deadline is a hang guard, never asserted on. */
final class Poll {

    static final Duration DEADLINE = Duration.ofSeconds(10);

    private Poll() {
    }

    static void until(final Supplier<String> what, final BooleanSupplier condition) {
        final long end = System.nanoTime() + DEADLINE.toNanos();
        long park = 10_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                if (condition.getAsBoolean()) {
                    return;
                }
                fail("still false after " + DEADLINE + ": " + what.get());
            }
            LockSupport.parkNanos(park);
            park = Math.min(park * 2, 2_000_000L);
        }
    }
}

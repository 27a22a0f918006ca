package dev.flin.runtime.core;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes. Waiting only: the deadline is a hang
 * guard, never something a test asserts on.
 */
final class Poll {

    private Poll() {
    }

    static void until(final BooleanSupplier condition, final Duration deadline) {
        until(condition, deadline, () -> "condition");
    }

    static void until(final BooleanSupplier condition, final Duration deadline, final Supplier<String> what) {
        final long end = System.nanoTime() + deadline.toNanos();
        long park = 10_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                if (condition.getAsBoolean()) {
                    return;
                }
                fail("still false after " + deadline + ": " + what.get());
            }
            LockSupport.parkNanos(park);
            park = Math.min(park * 2, 2_000_000L);
        }
    }
}

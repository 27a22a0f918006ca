package dev.flin.testkit;

import dev.flin.runtime.core.DeterministicDispatcher;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * How a kit waits for something to happen: on the real clock by polling (the runtime's threads make
 * progress on their own), or on a deterministic dispatcher by running its tasks and moving its manual
 * clock (nothing happens otherwise).
 *
 * <p>Threading: the real-clock variant may be used from any thread; the deterministic one only from
 * the dispatcher's owner thread (the dispatcher checks it).
 */
final class Waiting {

    private static final long FIRST_PARK_NANOS = 10_000;
    private static final long LONGEST_PARK_NANOS = 5_000_000;

    private final @Nullable DeterministicDispatcher deterministic;

    private Waiting(final @Nullable DeterministicDispatcher deterministic) {
        this.deterministic = deterministic;
    }

    static Waiting realClock() {
        return new Waiting(null);
    }

    static Waiting manualClock(final DeterministicDispatcher dispatcher) {
        return new Waiting(Objects.requireNonNull(dispatcher, "dispatcher"));
    }

    /**
     * Waits until the condition holds or {@code within} passes on this kit's clock. On the manual
     * clock the dispatcher runs its tasks and fires its timers meanwhile; the clock moves only as far
     * as the timer after which the condition held, or, if it never does, to the end of the period.
     *
     * @return whether the condition held
     */
    boolean until(final BooleanSupplier condition, final Duration within) {
        final long nanos = nanos(within, "within");
        if (deterministic == null) {
            final long start = System.nanoTime();
            long park = FIRST_PARK_NANOS;
            while (true) {
                if (condition.getAsBoolean()) {
                    return true;
                }
                if (System.nanoTime() - start >= nanos) {
                    return condition.getAsBoolean();
                }
                LockSupport.parkNanos(park);
                park = Math.min(park * 2, LONGEST_PARK_NANOS);
            }
        }
        final long start = deterministic.nanoTime();
        if (deterministic.awaitCondition(condition, nanos)) {
            return true;
        }
        // awaitCondition fired every timer due in the period but moved the clock only as far as the
        // last of them: the period has passed, so move the clock to its end.
        final long rest = nanos - (deterministic.nanoTime() - start);
        if (rest > 0) {
            deterministic.advanceTime(Duration.ofNanos(rest));
        }
        return condition.getAsBoolean();
    }

    /** Runs every ready task of a deterministic dispatcher; nothing on the real clock. */
    void settle() {
        if (deterministic != null) {
            deterministic.runUntilIdle();
        }
    }

    boolean isManual() {
        return deterministic != null;
    }

    /** @return the duration in nanoseconds, saturated at {@code Long.MAX_VALUE} (about 292 years) */
    static long nanos(final Duration duration, final String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + duration);
        }
        return duration.toSeconds() >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : duration.toNanos();
    }
}

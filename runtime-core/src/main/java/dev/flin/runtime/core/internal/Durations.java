package dev.flin.runtime.core.internal;

import java.time.Duration;

/**
 * Durations as the runtime's clock sees them (spec rule 0.4): nanoseconds of {@code nanoTime},
 * which cannot express more than about 292 years. A longer duration is not an error: it means
 * "never" and saturates to {@link #NEVER}, before anything is enqueued or scheduled.
 *
 * <p>Threading: stateless.
 */
final class Durations {

    /** The saturated value: a delay or timeout this long never elapses. */
    static final long NEVER = Long.MAX_VALUE;

    private Durations() {
    }

    /**
     * @param duration not null, not negative
     * @return its nanoseconds, or {@link #NEVER} when it does not fit in a long
     */
    static long saturatedNanos(final Duration duration) {
        // Duration.toNanos throws ArithmeticException beyond Long.MAX_VALUE nanoseconds
        if (duration.toSeconds() >= Long.MAX_VALUE / 1_000_000_000L) {
            return NEVER;
        }
        return duration.toNanos();
    }

    /** @return {@code a + b} for non-negative {@code b}, or {@link #NEVER} when it overflows */
    static long saturatedAdd(final long a, final long b) {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? NEVER : sum;
    }
}

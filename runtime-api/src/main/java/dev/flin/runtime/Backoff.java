package dev.flin.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff between restarts (rule 4.4): the n-th consecutive restart (n from 0) waits
 * {@code min(max, initial * factor^n)}.
 *
 * <p>Threading: an immutable value.
 *
 * @param initial the delay before the first restart; zero restarts at once
 * @param max     the largest delay
 * @param factor  the growth factor, at least 1
 */
public record Backoff(Duration initial, Duration max, double factor) {

    /** No delay at all. */
    public static final Backoff NONE = new Backoff(Duration.ZERO, Duration.ZERO, 1.0);

    /**
     * Checks arguments.
     *
     * @param initial the delay before the first restart; zero restarts at once
     * @param max     the largest delay
     * @param factor  the growth factor, at least 1
     */
    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || max.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max, was " + initial + ", " + max);
        }
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("backoff factor must be finite and >= 1, was " + factor);
        }
    }

    /**
     * @param initial first delay
     * @param max     largest delay
     * @return a backoff doubling from {@code initial} up to {@code max}
     */
    public static Backoff exponential(final Duration initial, final Duration max) {
        return new Backoff(initial, max, 2.0);
    }

    /**
     * @param consecutiveRestarts how many restarts came just before this one (0 for the first)
     * @return the delay before this restart, in nanoseconds
     */
    public long delayNanos(final int consecutiveRestarts) {
        final long initialNanos = initial.toNanos();
        final long maxNanos = max.toNanos();
        double delay = initialNanos;
        for (int i = 0; i < consecutiveRestarts && delay < maxNanos; i++) {
            delay *= factor;
        }
        return (long) Math.min(delay, (double) maxNanos);
    }
}

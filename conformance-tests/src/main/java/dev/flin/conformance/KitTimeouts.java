package dev.flin.conformance;

import java.time.Duration;
import java.util.Objects;

/**
 * The kit's two kinds of waiting, kept apart so slow machines do not make it flaky (peer lesson 8):
 * <ul>
 *   <li>{@code awaitSignal}: how long to wait for something that must happen. Generous: a correct
 *       runtime is never near it, it only bounds how long a broken one takes to fail.</li>
 *   <li>{@code expectNothing}: how long to watch for something that must not happen. A correct
 *       runtime passes whatever the value; a broken one is caught more often with a longer one.</li>
 * </ul>
 * Defaults: 10 s and 300 ms; override with {@code -Dflin.kit.awaitMillis=...} and
 * {@code -Dflin.kit.quietMillis=...}.
 *
 * <p>Threading: an immutable value.
 *
 * @param awaitSignal   upper bound for waiting on something that must happen
 * @param expectNothing how long to watch for something that must not happen
 */
public record KitTimeouts(Duration awaitSignal, Duration expectNothing) {

    /** Checks arguments. */
    public KitTimeouts {
        Objects.requireNonNull(awaitSignal, "awaitSignal");
        Objects.requireNonNull(expectNothing, "expectNothing");
        if (awaitSignal.isNegative() || awaitSignal.isZero() || expectNothing.isNegative()) {
            throw new IllegalArgumentException("awaitSignal must be positive and expectNothing >= 0");
        }
    }

    /**
     * @return the defaults, overridden by the system properties {@code flin.kit.awaitMillis} and
     *         {@code flin.kit.quietMillis}
     */
    public static KitTimeouts fromSystemProperties() {
        return new KitTimeouts(Duration.ofMillis(Long.getLong("flin.kit.awaitMillis", 10_000L)),
                Duration.ofMillis(Long.getLong("flin.kit.quietMillis", 300L)));
    }
}

package dev.flin.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * What happens when an agent fails (rule 4.2). A self-requested or external stop is never
 * restarted; only failures are.
 *
 * <p>Threading: immutable values.
 */
public sealed interface RestartPolicy permits RestartPolicy.Never, RestartPolicy.Always, RestartPolicy.OnFailure {

    /**
     * @return the default policy: {@link Never}
     */
    static RestartPolicy never() {
        return Never.INSTANCE;
    }

    /**
     * Restart after every failure, without limit. With {@link Backoff#NONE}, an agent whose start
     * keeps failing restarts in a tight loop: give it a real backoff, or use {@link #onFailure}.
     *
     * @param backoff delay between restarts
     * @return restart after every failure, without limit
     */
    static RestartPolicy always(final Backoff backoff) {
        return new Always(backoff);
    }

    /**
     * @param maxRestarts how many restarts are allowed within {@code window}
     * @param window      the sliding window
     * @param backoff     delay between restarts
     * @return restart on failure at most {@code maxRestarts} times in any {@code window}; the next
     *         failure stops the agent
     */
    static RestartPolicy onFailure(final int maxRestarts, final Duration window, final Backoff backoff) {
        return new OnFailure(maxRestarts, window, backoff);
    }

    /** Never restart: a failure stops the agent. */
    enum Never implements RestartPolicy {
        /** The only instance. */
        INSTANCE
    }

    /**
     * Restart after every failure.
     *
     * @param backoff delay between consecutive restarts
     */
    record Always(Backoff backoff) implements RestartPolicy {
        /** Checks arguments. */
        public Always {
            Objects.requireNonNull(backoff, "backoff");
        }
    }

    /**
     * Restart on failure, at most {@code maxRestarts} times within any {@code window}.
     *
     * @param maxRestarts at least 0
     * @param window      positive
     * @param backoff     delay between consecutive restarts
     */
    record OnFailure(int maxRestarts, Duration window, Backoff backoff) implements RestartPolicy {
        /** Checks arguments. */
        public OnFailure {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(backoff, "backoff");
            if (maxRestarts < 0) {
                throw new IllegalArgumentException("maxRestarts must be >= 0, was " + maxRestarts);
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive, was " + window);
            }
        }
    }
}

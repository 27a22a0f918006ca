package dev.flin.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What happens when an agent fails (rule 4.2). A self-requested or external stop is never
 * restarted; only failures are.
 *
 * <p>Threading: immutable values.
 */
public sealed interface RestartPolicy permits RestartPolicy.Never, RestartPolicy.Always, RestartPolicy.OnFailure,
        RestartPolicy.Only {

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

    /**
     * This policy, for failures whose cause is an instance of {@code cause} only: any other failure
     * stops the agent, without counting against the restart budget (rule 4.2). For example a store
     * that reopens its connection after a transient database error but stops on a defect:
     * {@code RestartPolicy.onFailure(3, Duration.ofMinutes(1), backoff).restartingOnly(SQLTransientException.class)}.
     *
     * @param cause the failure type that may restart the agent (subtypes included)
     * @return the restricted policy
     */
    default RestartPolicy restartingOnly(final Class<? extends Throwable> cause) {
        return new Only(this, List.of(cause));
    }

    /**
     * This policy, for failures whose cause is an instance of one of {@code causes} only: see
     * {@link #restartingOnly(Class)}.
     *
     * @param causes the failure types that may restart the agent, at least one
     * @return the restricted policy
     */
    default RestartPolicy restartingOnly(final List<Class<? extends Throwable>> causes) {
        return new Only(this, causes);
    }

    /**
     * @param cause what an agent threw
     * @return whether this policy may restart the agent for it (then its budget decides)
     */
    default boolean restartsOn(final Throwable cause) {
        return true;
    }

    /** @return the delay between consecutive restarts; {@link Backoff#NONE} for {@link Never} */
    default Backoff backoff() {
        return Backoff.NONE;
    }

    /**
     * {@code policy}, for failures caused by one of {@code causes} only: see {@link #restartingOnly}.
     *
     * @param policy what decides a failure of one of those types
     * @param causes the failure types that may restart the agent, at least one
     */
    record Only(RestartPolicy policy, List<Class<? extends Throwable>> causes) implements RestartPolicy {
        /**
         * Checks arguments.
         *
         * @param policy what decides a failure of one of those types
         * @param causes the failure types that may restart the agent, at least one
         */
        public Only {
            Objects.requireNonNull(policy, "policy");
            causes = List.copyOf(causes);
            if (causes.isEmpty()) {
                throw new IllegalArgumentException("restartingOnly needs at least one failure type");
            }
        }

        @Override
        public boolean restartsOn(final Throwable cause) {
            for (final Class<? extends Throwable> type : causes) {
                if (type.isInstance(cause)) {
                    return policy.restartsOn(cause);
                }
            }
            return false;
        }

        @Override
        public Backoff backoff() {
            return policy.backoff();
        }

        /** @return the policy this one restricts, unwrapped through any further restriction */
        public RestartPolicy budget() {
            return policy instanceof Only only ? only.budget() : policy;
        }
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
        /**
         * Checks arguments.
         *
         * @param backoff delay between consecutive restarts
         */
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
        /**
         * Checks arguments.
         *
         * @param maxRestarts at least 0
         * @param window      positive
         * @param backoff     delay between consecutive restarts
         */
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

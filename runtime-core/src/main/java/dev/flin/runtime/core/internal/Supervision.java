package dev.flin.runtime.core.internal;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RestartWindow;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Objects;

/**
 * The supervision bookkeeping of one agent (rules 4.1-4.4): what its {@link RestartPolicy} decides
 * after a failure, how long to back off before the next start, whether that backoff is over, and
 * that every start gets a fresh instance (rule 1.3, {@link #freshInstance}).
 * It decides only; {@link AgentCell} acts (calls onStop, cancels timers, arms the wake-up timer,
 * changes the lifecycle state), so all clock readings come from the cell's dispatcher as arguments.
 *
 * <p>Created by the cell at its first failure, so that an agent that never fails carries none of
 * this. Threads: agent thread only, like the fields it holds; a new run of the agent sees the
 * previous run's writes through the cell's SCHEDULED hand-over (see {@link CellControl}).
 */
final class Supervision {

    private final RestartPolicy policy;
    /** Restarts so far (rule 4.3: visible to the instance as {@code restartCount()}). */
    private int restartCount;
    /** Restarts since a message was last handled without failure: the backoff's step. */
    private int consecutiveRestarts;
    /** Whether a restart waits for its backoff to end at {@link #restartAt}. */
    private boolean backingOff;
    private long restartAt;
    /** The policy's restart budget (OnFailure's sliding window), the API's, shared by every runtime. */
    private final RestartWindow restartWindow;

    Supervision(final RestartPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.restartWindow = new RestartWindow(policy);
    }

    /**
     * After a failure: restart, or stop (rule 4.2). A requested stop always wins; OnFailure counts
     * the restarts inside its sliding window and records this one if it allows it.
     *
     * @param stopRequested whether the cell's STOP_REQUESTED bit is set
     * @param now           the dispatcher's clock, in nanoseconds
     */
    AgentFailure.Decision decide(final Throwable cause, final boolean stopRequested, final long now) {
        if (stopRequested) {
            return AgentFailure.Decision.STOP;
        }
        return restartWindow.tryRestartAt(cause, now) ? AgentFailure.Decision.RESTART : AgentFailure.Decision.STOP;
    }

    /**
     * Counts a restart decided by {@link #decide}.
     *
     * @return the backoff before the new instance starts, in nanoseconds; 0 to start it at once
     */
    long restarting() {
        final long delay = backoff().delayNanos(consecutiveRestarts);
        consecutiveRestarts++;
        restartCount++;
        return delay;
    }

    /** The new instance starts at {@code at} (the dispatcher's clock) or later (rule 4.4). */
    void backOffUntil(final long at) {
        backingOff = true;
        restartAt = at;
    }

    /** Whether a restart waits for its backoff (which may be over: see {@link #backoffOverAt}). */
    boolean isBackingOff() {
        return backingOff;
    }

    /** Whether the backoff is over at {@code now}; true if there is none. */
    boolean backoffOverAt(final long now) {
        return !backingOff || now - restartAt >= 0;
    }

    /** The instance is about to be started: the backoff, if any, is over or cut short. */
    void endBackoff() {
        backingOff = false;
    }

    /** A message was handled without failure: the next restart backs off from the first step. */
    void messageHandled() {
        consecutiveRestarts = 0;
    }

    int restartCount() {
        return restartCount;
    }

    /**
     * Agent thread: a new instance from {@code factory}, refused if it is null or, when it carries
     * state, the {@code previous} instance, whose state would survive the restart (rule 1.3).
     *
     * @throws IllegalStateException if the factory broke rule 1.3; the start fails with it
     */
    static <M> Agent<M> freshInstance(final AgentFactory<M> factory, final Agent<M> previous, final AgentId id) {
        final Agent<M> fresh = factory.create();
        if (fresh == null) {
            throw new IllegalStateException("factory of " + id + " returned null (rule 1.3)");
        }
        if (fresh == previous && hasInstanceFields(fresh.getClass())) {
            throw new IllegalStateException("factory of " + id + " returned the previous instance, whose"
                    + " state would survive the restart (rule 1.3)");
        }
        return fresh;
    }

    /**
     * Whether instances of the class carry state. A stateless instance (for example a
     * non-capturing lambda) may be reused by a factory: there is nothing to reset (rule 1.3).
     */
    private static boolean hasInstanceFields(final Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (final Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    return true;
                }
            }
        }
        return false;
    }

    private Backoff backoff() {
        return policy.backoff();
    }
}

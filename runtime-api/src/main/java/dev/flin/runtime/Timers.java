package dev.flin.runtime;

import java.time.Duration;

/**
 * Keyed timers owned by one agent (rule 7.1). The timer's message goes through the agent's
 * bounded mailbox like any send (rule 2.9, 7.5).
 *
 * <p>Threading: agent-thread only (rule 7.6). Because cancellation and delivery both happen on
 * the agent thread, "cancelled" is exact: once {@link #cancel} returns, that timer's message is
 * never delivered, even if it is already in the mailbox (rule 7.3).
 *
 * @param <M> the agent's message type
 */
public interface Timers<M> {

    /**
     * Starts (or replaces) a one-shot timer. The message never arrives before {@code delay} has
     * passed (rule 7.2).
     *
     * @param key     identifies the timer within this agent; starting an existing key cancels it first
     * @param message the message to deliver, not null
     * @param delay   at least zero; one beyond the clock's range never elapses (rule 8.10)
     */
    void startSingle(Object key, M message, Duration delay);

    /**
     * Starts (or replaces) a fixed-rate timer: first after {@code initialDelay}, then every
     * {@code period}. A tick that finds the mailbox full is skipped and counted (rule 7.5).
     *
     * @param key          identifies the timer within this agent
     * @param message      the message to deliver at every tick, not null
     * @param initialDelay at least zero; beyond the clock's range: never (rule 8.10)
     * @param period       positive; beyond the clock's range: the first tick is the only one
     */
    void startFixedRate(Object key, M message, Duration initialDelay, Duration period);

    /**
     * Cancels a timer. After this returns its message is never delivered (rule 7.3).
     *
     * @param key the timer's key
     * @return true if a timer with that key was active
     */
    boolean cancel(Object key);

    /**
     * Cancels every timer of this agent.
     */
    void cancelAll();

    /**
     * @param key a timer key
     * @return whether a timer with that key is active (a one-shot timer stops being active when its
     *         message is delivered)
     */
    boolean isActive(Object key);
}

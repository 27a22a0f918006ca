package dev.flin.runtime;

import org.jspecify.annotations.Nullable;

/**
 * The one-shot reply handle of an ask (rule 5.4). The asked agent finds it inside the request
 * message and completes it once. Any later completion is refused, counted as a late reply
 * ({@link RuntimeCounters#lateReplies()}) and never delivered.
 *
 * <p>Threading: any thread. Completing happens-before the dependent actions of the asker's
 * {@link java.util.concurrent.CompletionStage}.
 *
 * @param <R> the reply type
 */
public interface Reply<R> {

    /**
     * Completes the ask with a value.
     *
     * @param value the reply; null is allowed and delivered as null
     * @return true if this completed the ask; false if it was already completed (replied, failed
     *         or timed out), in which case the value is dropped and counted
     */
    boolean reply(@Nullable R value);

    /**
     * Completes the ask with a failure.
     *
     * @param cause the failure, not null
     * @return true if this completed the ask, false if it was already completed
     */
    boolean fail(Throwable cause);

    /**
     * @return whether the ask is already completed, by anyone
     */
    boolean isCompleted();
}

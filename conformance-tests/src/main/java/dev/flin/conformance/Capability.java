package dev.flin.conformance;

/**
 * Optional features a runtime under test may lack. Checks of rules that need a capability the
 * provider does not declare are skipped with a visible reason, never silently missing.
 *
 * <p>Threading: an immutable enum.
 */
public enum Capability {
    /** pause and resume (rules 3.4, 3.5). */
    PAUSE,
    /** agent timers (section 7). */
    TIMERS,
    /** publish-subscribe and the system topics (section 6, rules 2.8, 3.9, 4.5). */
    PUBSUB,
    /** unique names and lookup (rule 8.2). */
    NAMED_AGENTS,
    /** death watch (rule 4.7). */
    DEATH_WATCH,
    /**
     * other agents keep running while one agent's callback blocks its thread (rule 1.6). A runtime
     * that runs agents on event loops, where no agent may block, lacks it: the checks that model a
     * slow agent by holding its thread (rules 1.6, 6.6, the agent-side read of 8.4, a callback that
     * never returns of 8.7) are then skipped.
     */
    INDEPENDENT_PROGRESS,
    /**
     * the provider can create a runtime whose fatal errors go to a handler the kit gives
     * ({@link RuntimeProvider#create(dev.flin.runtime.FatalErrorHandler)}, rule 4.9). Not in the
     * default set of {@link RuntimeProvider#capabilities()}: declare it when you implement that method.
     */
    FATAL_ERROR_HANDLER,
    /**
     * spawns placed on {@code DispatcherSelector.PINNED} run on a thread of the agent's own (rule 1.7).
     * New in 0.3, so not in the default set of {@link RuntimeProvider#capabilities()}: a runtime
     * written before it skips its checks until it declares it.
     */
    PINNED_DISPATCHER,
    /**
     * agents spawned on {@code DispatcherSelector.BLOCKING} may block in their callbacks without
     * stopping the others (rule 1.7). New in 0.3, not in the default set, like {@link #PINNED_DISPATCHER}.
     */
    BLOCKING_DISPATCHER,
    /**
     * the provider can create a runtime that tells every dead letter, with its reason, to a
     * {@link dev.flin.runtime.DeadLetterObserver} the kit gives
     * ({@link RuntimeProvider#create(dev.flin.runtime.DeadLetterObserver)}, rule 2.8): the one way to
     * see the dead letters of a runtime shutdown, which reach no {@code DEAD_LETTERS} subscriber. New in
     * 0.6 and not in the default set of {@link RuntimeProvider#capabilities()}, like
     * {@link #FATAL_ERROR_HANDLER}: declare it when you implement that method.
     */
    DEAD_LETTER_OBSERVER
}

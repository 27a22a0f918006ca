package dev.flin.runtime;

/**
 * Where an agent's callbacks run, chosen at spawn ({@link SpawnOptions#withDispatcher}); rule 1.7.
 *
 * <ul>
 *   <li>{@link #DEFAULT}: the runtime's dispatcher, shared by all agents placed there. A callback
 *       must not block: it holds one of a few shared threads (rule 1.6).</li>
 *   <li>{@link #PINNED}: a thread of the agent's own, kept across restarts and ended when the agent
 *       terminates. For a hot agent that should not wait for a shared thread; it costs one platform
 *       thread per agent, which waits for messages spinning briefly before it parks.</li>
 *   <li>{@link #BLOCKING}: threads meant to block (JDBC, file I/O, mail): an agent placed there may
 *       block in its callbacks without stopping other agents' progress (rule 1.7). On the reference
 *       runtime these are virtual threads on JDK 24 and later, and a bounded pool of platform threads
 *       before (earlier virtual threads stay pinned to their carrier while they block inside
 *       {@code synchronized}, which JDBC drivers use, so a few blocked agents could stall them all).</li>
 * </ul>
 *
 * <p>The placement never changes the agent model: wherever an agent runs, it runs one callback at
 * a time (rule 1.1), each callback happens-before the next (rule 1.2) and an accepted send
 * happens-before the callback that processes it. A runtime whose dispatcher confines every agent
 * to itself (the reference runtime's deterministic dispatcher, rule 8.8) runs every agent there
 * whatever its selector, and then does not offer rule 1.7.
 *
 * <p>Sealed so that more kinds (named dispatchers, say) can be added later; compare with
 * {@code ==} or {@code equals}.
 *
 * <p>Threading: immutable values; any thread.
 */
public sealed interface DispatcherSelector permits DispatcherSelector.Builtin {

    /** The runtime's shared dispatcher: the default of every spawn. */
    DispatcherSelector DEFAULT = Builtin.DEFAULT;
    /** A platform thread of the agent's own (rule 1.7). */
    DispatcherSelector PINNED = Builtin.PINNED;
    /** Threads on which a callback may block without stopping other agents (rule 1.7). */
    DispatcherSelector BLOCKING = Builtin.BLOCKING;

    /**
     * The selectors every runtime knows. Use the constants of {@link DispatcherSelector}.
     *
     * <p>Threading: an immutable enum.
     */
    enum Builtin implements DispatcherSelector {
        /** See {@link DispatcherSelector#DEFAULT}. */
        DEFAULT,
        /** See {@link DispatcherSelector#PINNED}. */
        PINNED,
        /** See {@link DispatcherSelector#BLOCKING}. */
        BLOCKING
    }
}

package dev.flin.runtime;

/**
 * The five lifecycle states of an agent and the only legal transitions between them (rule 3.1).
 *
 * <pre>
 *   STARTING ──onStart ok──▶ RUNNING ◀──resume── PAUSED
 *   STARTING ──onStart ok, pause requested──▶ PAUSED         RUNNING ──pause──▶ PAUSED
 *   STARTING ──start failed, restart──▶ STARTING             RUNNING, PAUSED ──failure, restart──▶ STARTING
 *   STARTING, RUNNING, PAUSED ──stop request or policy gives up──▶ SHUTTING_DOWN ──▶ TERMINATED
 * </pre>
 *
 * <ul>
 *   <li>{@code STARTING}: the instance is being created and {@code onStart} runs, or a restart is
 *       waiting out its backoff. Messages are accepted and wait.</li>
 *   <li>{@code RUNNING}: messages are processed one at a time.</li>
 *   <li>{@code PAUSED}: nothing is processed; messages are still accepted up to capacity (rule 3.4).</li>
 *   <li>{@code SHUTTING_DOWN}: a stop was requested or the policy gave up; messages accepted before
 *       the stop are finished, {@code onStop} runs, the rest is dead-lettered.</li>
 *   <li>{@code TERMINATED}: final. The id is removed from the registry and never reused.</li>
 * </ul>
 *
 * <p>Threading: an immutable enum; safe from any thread.
 */
public enum AgentState {
    /** Being created and started, or waiting out a restart's backoff; messages wait. */
    STARTING,
    /** Processing messages one at a time. */
    RUNNING,
    /** Processing nothing; messages are still accepted up to capacity (rule 3.4). */
    PAUSED,
    /** Finishing the messages accepted before the stop, then running {@code onStop}. */
    SHUTTING_DOWN,
    /** Final: gone from the registry, its id never reused. */
    TERMINATED;

    /**
     * Whether {@code this -> next} is one of the legal edges of rule 3.1.
     *
     * @param next the proposed next state
     * @return true exactly for the legal edges
     */
    public boolean canTransitionTo(final AgentState next) {
        return switch (this) {
            case STARTING -> next == STARTING || next == RUNNING || next == PAUSED || next == SHUTTING_DOWN;
            case RUNNING -> next == PAUSED || next == STARTING || next == SHUTTING_DOWN;
            case PAUSED -> next == RUNNING || next == STARTING || next == SHUTTING_DOWN;
            case SHUTTING_DOWN -> next == TERMINATED;
            case TERMINATED -> false;
        };
    }

    /**
     * @return true for {@link #TERMINATED}, the only state with no way out
     */
    public boolean isTerminal() {
        return this == TERMINATED;
    }
}

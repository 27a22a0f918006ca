package dev.flin.runtime;

/**
 * Why an agent reached {@link AgentState#TERMINATED}.
 *
 * <p>Threading: an immutable enum.
 */
public enum TerminationCause {
    /** A stop was requested: {@link AgentRegistry#stop}, {@link AgentContext#stop()}. */
    STOPPED,
    /** A failure that the restart policy did not restart (rule 4.2). */
    FAILED,
    /** The runtime shut down (rule 8.7). */
    RUNTIME_SHUTDOWN,
    /**
     * The agent was not alive when asked (never existed, or terminated earlier): the runtime keeps
     * no record of terminated agents, so the cause is no longer known. Used by
     * {@link AgentRegistry#whenTerminated} and by a watch of an agent that is not alive (rule 4.7).
     */
    UNKNOWN
}

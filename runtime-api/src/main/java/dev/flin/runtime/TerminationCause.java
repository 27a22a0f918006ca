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
    RUNTIME_SHUTDOWN
}

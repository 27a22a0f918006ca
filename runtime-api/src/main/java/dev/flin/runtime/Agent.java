package dev.flin.runtime;

/**
 * What one agent does. An agent owns its fields exclusively; the runtime calls these methods one at
 * a time, never concurrently (rule 1.1), and every call happens-before the next one on the same
 * agent (rule 1.2), so the fields need no locks, volatiles or atomics.
 *
 * <p>Order of calls for one instance: {@link #onStart} once, then any number of
 * {@link #onMessage} and {@link #onSignal}, then {@link #onStop} at most once (rule 3.3). An
 * exception thrown from any callback is a failure of this agent only (rule 4.1); what follows is
 * decided by the agent's {@link RestartPolicy} (rule 4.2).
 *
 * <p>Threading: called on the agent thread only. Implementations must not block it waiting for
 * other agents: ask returns a {@link java.util.concurrent.CompletionStage}; use
 * {@link AgentContext#pipeToSelf} to get the answer back as a message (rule 5.5).
 *
 * @param <M> the type of user message this agent accepts
 */
public interface Agent<M> {

    /**
     * Called once per instance, before its first message (rule 3.2). A failure here follows the
     * restart policy like a message failure (rule 4.6).
     *
     * @param context this agent's context, valid for the whole life of the instance
     * @throws Exception to report a start failure
     */
    default void onStart(final AgentContext<M> context) throws Exception {
    }

    /**
     * Handles one user message.
     *
     * @param message the message, never null (rule 2.7)
     * @param context this agent's context
     * @throws Exception to report a failure; the message is then reported, not retried (rule 4.3)
     */
    void onMessage(M message, AgentContext<M> context) throws Exception;

    /**
     * Handles one lifecycle signal (for example the termination of a watched agent, rule 4.7).
     * Signals are kept apart from user messages. The default ignores them.
     *
     * @param signal the signal, never null
     * @param context this agent's context
     * @throws Exception to report a failure
     */
    default void onSignal(final Signal signal, final AgentContext<M> context) throws Exception {
    }

    /**
     * Called at most once per instance whose {@link #onStart} completed, after its last message:
     * when the agent stops, and on the failed instance before a restart (rule 3.3). Release
     * resources here. A failure here is reported and otherwise ignored.
     *
     * @param context this agent's context
     * @throws Exception to report a failure
     */
    default void onStop(final AgentContext<M> context) throws Exception {
    }
}

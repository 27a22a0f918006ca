package dev.flin.runtime;

/**
 * A lifecycle signal, delivered through {@link Agent#onSignal}, apart from user messages.
 *
 * <p>Signals do not take mailbox capacity: each watch produces at most one
 * {@link Terminated} signal, so the signal queue is bounded by the number of watches the agent
 * holds (rule 2.9).
 *
 * <p>Threading: immutable values.
 */
public sealed interface Signal permits Signal.Terminated {

    /**
     * A watched agent has terminated (rule 4.7). Delivered exactly once per watch.
     *
     * @param agent the agent that terminated
     * @param cause why it terminated
     */
    record Terminated(AgentId agent, TerminationCause cause) implements Signal {
        /**
         * Checks arguments.
         *
         * @param agent the agent that terminated
         * @param cause why it terminated
         */
        public Terminated {
            java.util.Objects.requireNonNull(agent, "agent");
            java.util.Objects.requireNonNull(cause, "cause");
        }
    }
}

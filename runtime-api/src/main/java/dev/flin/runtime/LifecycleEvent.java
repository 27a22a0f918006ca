package dev.flin.runtime;

import java.util.Objects;

/**
 * One lifecycle transition of one agent, published on {@link SystemTopics#LIFECYCLE} in the order
 * the agent made them (rule 3.9).
 *
 * <p>Threading: an immutable value.
 *
 * @param agent the agent that changed state
 * @param from  the state it left
 * @param to    the state it entered; {@code from.canTransitionTo(to)} always holds
 */
public record LifecycleEvent(AgentId agent, AgentState from, AgentState to) {

    /**
     * Checks arguments and that the edge is legal (rule 3.1).
     *
     * @param agent the agent that changed state
     * @param from  the state it left
     * @param to    the state it entered; {@code from.canTransitionTo(to)} always holds
     */
    public LifecycleEvent {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.canTransitionTo(to)) {
            throw new IllegalLifecycleTransitionException(agent, from, to);
        }
    }
}

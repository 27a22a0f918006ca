package dev.flin.runtime;

/**
 * A lifecycle transition that is not one of the legal edges (rule 3.1). Seeing this from a
 * runtime is a bug in that runtime.
 */
public final class IllegalLifecycleTransitionException extends FlinException {
    private static final long serialVersionUID = 1L;

    /**
     * @param agent the agent
     * @param from  the current state
     * @param to    the refused next state
     */
    public IllegalLifecycleTransitionException(final AgentId agent, final AgentState from, final AgentState to) {
        super(agent + " cannot go from " + from + " to " + to, "3.1", true);
    }
}

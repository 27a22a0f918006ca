package dev.flin.runtime;

/**
 * A call that waits for agents to stop ({@link AgentRuntime#shutdown}, {@link AgentRuntime#close})
 * was made from inside an agent's callback, where it could only wait for that very agent: refused
 * at once, before anything is stopped (rule 8.9). From an agent, stop other agents with
 * {@link AgentRegistry#stop} and let a thread outside the runtime shut it down.
 *
 * <p>Threading: immutable once thrown.
 */
public final class AgentThreadCallException extends FlinException {
    private static final long serialVersionUID = 1L;

    /** What was attempted, e.g. "shutdown". */
    private final String operation;
    /** The agent whose thread made the call. */
    private final AgentId agent;

    /**
     * @param operation what was attempted, e.g. "shutdown"
     * @param agent     the agent on whose thread it was attempted
     */
    public AgentThreadCallException(final String operation, final AgentId agent) {
        super(operation + "() called from a callback of " + agent + "; it would wait for that agent to stop",
                "8.9", true);
        this.operation = operation;
        this.agent = agent;
    }

    /** @return the refused operation, e.g. "shutdown" */
    public String operation() {
        return operation;
    }

    /** @return the agent on whose thread the call was made */
    public AgentId agent() {
        return agent;
    }
}

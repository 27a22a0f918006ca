package dev.flin.runtime;

/**
 * The asked agent terminated before it replied (rule 5.7).
 */
public final class AgentTerminatedException extends FlinException {
    private static final long serialVersionUID = 1L;
    private final transient AgentId agent;

    /**
     * @param agent the agent that terminated
     */
    public AgentTerminatedException(final AgentId agent) {
        super(agent + " terminated before replying", "5.7", false);
        this.agent = agent;
    }

    /** @return the agent that terminated */
    public AgentId agent() {
        return agent;
    }
}

package dev.flin.runtime;

/**
 * No live agent has this id or name: it never existed, is stopping, or has terminated (rule 2.5).
 * Nothing was enqueued.
 */
public final class AgentNotFoundException extends FlinException {
    private static final long serialVersionUID = 1L;
    private final transient AgentId agent;

    /**
     * @param agent the id that was not found
     */
    public AgentNotFoundException(final AgentId agent) {
        super(agent + " is not alive (unknown, stopping or terminated)", "2.5", false);
        this.agent = agent;
    }

    /**
     * @return the id that was not found
     */
    public AgentId agent() {
        return agent;
    }
}

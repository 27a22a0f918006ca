package dev.flin.runtime;

/**
 * A spawn asked for a name that a live agent already has (rule 8.2). Nothing was spawned.
 */
public final class DuplicateAgentNameException extends FlinException {
    private static final long serialVersionUID = 1L;

    /**
     * @param name  the name
     * @param owner the live agent that has it
     */
    public DuplicateAgentNameException(final String name, final AgentId owner) {
        super("agent name '" + name + "' is taken by " + owner, "8.2", true);
    }
}

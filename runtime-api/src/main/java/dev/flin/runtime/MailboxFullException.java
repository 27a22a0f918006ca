package dev.flin.runtime;

/**
 * The agent's mailbox is at capacity; the send failed at once and nothing was enqueued
 * (rule 2.2). Thrown on a hot path under overload, so it carries no stack trace.
 */
public final class MailboxFullException extends FlinException {
    private static final long serialVersionUID = 1L;
    private final transient AgentId agent;
    /** The mailbox's capacity. */
    private final int capacity;

    /**
     * @param agent    the agent whose mailbox is full
     * @param capacity its capacity
     */
    public MailboxFullException(final AgentId agent, final int capacity) {
        super(agent + " mailbox is full (capacity " + capacity + ")", "2.2", false);
        this.agent = agent;
        this.capacity = capacity;
    }

    /**
     * @return the agent whose mailbox is full
     */
    public AgentId agent() {
        return agent;
    }

    /**
     * @return the mailbox capacity
     */
    public int capacity() {
        return capacity;
    }
}

package dev.flin.runtime;

/**
 * The root of the runtime's typed errors. Every one names what was wrong and the spec rule that
 * applies ({@link #rule()}), e.g. "agent-7 mailbox is full (capacity 256) [rule 2.2]".
 *
 * <p>Threading: immutable once thrown.
 */
public abstract sealed class FlinException extends RuntimeException
        permits AgentNotFoundException, MailboxFullException, AskTimeoutException, RuntimeStoppedException,
                IllegalLifecycleTransitionException, MessageTypeException, DuplicateAgentNameException,
                AgentTerminatedException, AgentThreadCallException {

    private static final long serialVersionUID = 1L;

    /** The spec rule that applies, e.g. "2.2". */
    private final String rule;

    /**
     * @param message            what was wrong
     * @param rule               the spec rule, e.g. "2.2"
     * @param writableStackTrace false on hot paths where the failure is an expected outcome
     */
    FlinException(final String message, final String rule, final boolean writableStackTrace) {
        super(message + " [rule " + rule + "]", null, false, writableStackTrace);
        this.rule = rule;
    }

    /**
     * @return the spec rule this error enforces, e.g. {@code "2.2"}
     */
    public String rule() {
        return rule;
    }
}

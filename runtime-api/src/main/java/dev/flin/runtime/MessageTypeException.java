package dev.flin.runtime;

/**
 * A send by id carried a message the agent does not accept (rule 2.6). Nothing was enqueued.
 */
public final class MessageTypeException extends FlinException {
    private static final long serialVersionUID = 1L;

    /**
     * @param agent    the target
     * @param expected the message type it declared at spawn
     * @param actual   the class of the refused message
     */
    public MessageTypeException(final AgentId agent, final Class<?> expected, final Class<?> actual) {
        super(agent + " accepts " + expected.getName() + ", not " + actual.getName(), "2.6", true);
    }
}

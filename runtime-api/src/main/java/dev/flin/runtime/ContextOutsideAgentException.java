package dev.flin.runtime;

/**
 * An {@link AgentContext} method other than {@link AgentContext#self()} was called on a thread
 * that is not running one of that agent's callbacks right now: from another thread, from another
 * agent, or after the callback that received the context returned. The context is the agent's
 * inside; from outside, only its ref, which reaches the mailbox, may be used (rule 1.4). Refused
 * before anything is done: the agent is not stopped, subscribed, watching or changed.
 *
 * <p>An {@link IllegalStateException}, as rule 7.6 requires of the timers, which the context hands
 * out and which refuse foreign threads the same way. Not a {@link FlinException} (that root is a
 * {@link RuntimeException}), but it cites its rule the same way: the message ends with
 * "[rule 1.4]" and {@link #rule()} returns it.
 *
 * <p>Threading: immutable once thrown.
 */
public final class ContextOutsideAgentException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The context method that was called. */
    private final String operation;
    /** The agent the context belongs to. */
    private final AgentId agent;
    /** The name of the thread that called it. */
    private final String callingThread;

    /**
     * @param operation     the context method called, e.g. "stop" or "timers().cancel"
     * @param agent         the agent whose context it is
     * @param callingThread the name of the thread that called it
     */
    public ContextOutsideAgentException(final String operation, final AgentId agent, final String callingThread) {
        super("context." + operation + "() of " + agent + " called on thread '" + callingThread + "', which is not"
                + " running a callback of " + agent + ": a context is usable only inside its agent's own onStart,"
                + " onMessage, onSignal or onStop; from elsewhere use the agent's ref (context.self()) [rule 1.4]");
        this.operation = operation;
        this.agent = agent;
        this.callingThread = callingThread;
    }

    /** @return the refused context method, e.g. "stop" */
    public String operation() {
        return operation;
    }

    /** @return the agent whose context was used */
    public AgentId agent() {
        return agent;
    }

    /** @return the name of the thread that made the call */
    public String callingThread() {
        return callingThread;
    }

    /** @return the spec rule this error enforces: {@code "1.4"} */
    public String rule() {
        return "1.4";
    }
}

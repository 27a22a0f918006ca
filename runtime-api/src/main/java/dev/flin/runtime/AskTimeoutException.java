package dev.flin.runtime;

import java.time.Duration;

/**
 * No reply arrived within the ask's timeout (rule 5.2). Names the target and the request type so
 * "no reply" can be told apart from other failures. A reply that comes later is counted as a late
 * reply, not as a dead letter (rule 5.4).
 */
public final class AskTimeoutException extends FlinException {
    private static final long serialVersionUID = 1L;
    private final transient AgentId target;
    private final transient Class<?> requestType;
    private final transient Duration timeout;

    /**
     * @param target      the asked agent
     * @param requestType the class of the request message
     * @param timeout     the timeout that passed
     */
    public AskTimeoutException(final AgentId target, final Class<?> requestType, final Duration timeout) {
        super("ask of " + target + " with " + requestType.getName() + " got no reply within " + timeout, "5.2", false);
        this.target = target;
        this.requestType = requestType;
        this.timeout = timeout;
    }

    /** @return the asked agent */
    public AgentId target() {
        return target;
    }

    /** @return the class of the request message */
    public Class<?> requestType() {
        return requestType;
    }

    /** @return the timeout that passed */
    public Duration timeout() {
        return timeout;
    }
}

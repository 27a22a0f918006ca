package dev.flin.runtime;

import java.util.Objects;

/**
 * An accepted message that was not processed because its agent terminated first (rule 2.4). Counted always,
 * published on {@link SystemTopics#DEAD_LETTERS}.
 *
 * <p>Threading: an immutable value.
 *
 * @param recipient the agent that did not process it
 * @param message   the message itself
 * @param reason    why
 */
public record DeadLetter(AgentId recipient, Object message, Reason reason) {

    /**
     * Checks arguments.
     *
     * @param recipient the agent that did not process it
     * @param message   the message itself
     * @param reason    why
     */
    public DeadLetter {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(reason, "reason");
    }

    /** Why a message became a dead letter. */
    public enum Reason {
        /** Accepted, then its agent terminated before processing it. */
        RECIPIENT_TERMINATED,
        /** The runtime shut down before the agent could process it. */
        RUNTIME_SHUTDOWN
    }
}

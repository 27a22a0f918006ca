package dev.flin.runtime;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A failure of one agent, as published on {@link SystemTopics#FAILURES} (rule 4.5).
 *
 * <p>Threading: an immutable value (the cause is shared as thrown; do not mutate it).
 *
 * @param agent       the failing agent
 * @param phase       where it failed
 * @param messageType the class of the message being handled, or null for a start or stop failure
 * @param cause       what was thrown
 * @param decision    what the restart policy decided
 */
public record AgentFailure(AgentId agent, Phase phase, @Nullable Class<?> messageType, Throwable cause, Decision decision) {

    /**
     * Checks arguments.
     *
     * @param agent       the failing agent
     * @param phase       where it failed
     * @param messageType the class of the message being handled, or null for a start or stop failure
     * @param cause       what was thrown
     * @param decision    what the restart policy decided
     */
    public AgentFailure {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(decision, "decision");
    }

    /** The callback that threw. */
    public enum Phase {
        /** {@code onStart}. */
        START,
        /** {@code onMessage}. */
        MESSAGE,
        /** {@code onSignal}. */
        SIGNAL,
        /** {@code onStop}. */
        STOP
    }

    /** What the restart policy decided (rule 4.2). */
    public enum Decision {
        /** A fresh instance will be made after the backoff. */
        RESTART,
        /** The agent stops; its mailbox goes to dead letters. */
        STOP,
        /** Failure in {@code onStop}: reported, the agent terminates as it was going to. */
        IGNORE
    }
}

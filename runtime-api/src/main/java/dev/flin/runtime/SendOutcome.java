package dev.flin.runtime;

/**
 * What {@link AgentRef#trySend} did with a message: accepted, or refused and why, as a value
 * instead of an exception (rules 2.2, 2.5, 8.6). A refusal enqueued nothing and is counted as for
 * {@link AgentRef#tell} ({@code rejectedFull}, {@code rejectedNotFound}).
 *
 * <p>Threading: an immutable enum.
 */
public enum SendOutcome {
    /** Accepted into the mailbox: it will be processed or dead-lettered exactly once (rule 2.4). */
    ACCEPTED,
    /** Refused: the mailbox was at capacity (rule 2.2). {@link MailboxFullException} for {@code tell}. */
    MAILBOX_FULL,
    /** Refused: the agent is stopping or terminated (rule 2.5). {@link AgentNotFoundException} for {@code tell}. */
    NOT_FOUND,
    /** Refused: the runtime is shutting down or shut down (rule 8.6). {@link RuntimeStoppedException} for {@code tell}. */
    RUNTIME_STOPPED;

    /** @return whether the message was accepted */
    public boolean isAccepted() {
        return this == ACCEPTED;
    }
}

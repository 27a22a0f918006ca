package dev.flin.runtime.core.internal;

/**
 * What {@link AgentCell#offer} did with one message: accepted into the mailbox, or refused before
 * anything was enqueued, and why. A value rather than an exception, so that the internal send paths
 * (publish, timers, {@code pipeToSelf}) count, retry or drop without building one (rule 2.2); the
 * public send paths turn a refusal into its exception with {@link AgentCell#throwIfRefused}.
 *
 * <p>Threading: immutable.
 */
enum Offer {

    /**
     * The message claimed a mailbox slot: accepted, counted by the claim itself
     * ({@link Mailbox#acceptedCount}), and will be processed or dead-lettered exactly once
     * (rule 2.4).
     */
    ACCEPTED,

    /**
     * Refused because the mailbox was at capacity (rules 2.1, 2.2): nothing was enqueued.
     * {@code MailboxFullException} for a public send.
     */
    REFUSED_FULL,

    /**
     * Refused because the agent is stopping or terminated, or the runtime is shutting down
     * (rules 2.5, 8.6): nothing was enqueued. {@code AgentNotFoundException} (or
     * {@code RuntimeStoppedException}) for a public send.
     */
    REFUSED_NOT_FOUND
}

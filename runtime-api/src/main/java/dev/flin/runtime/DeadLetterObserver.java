package dev.flin.runtime;

/**
 * Told every dead letter of a runtime, with its reason (rule 2.8), by the runtime itself rather than
 * through {@link SystemTopics#DEAD_LETTERS}: the topic's subscribers are agents of the same runtime,
 * and from the start of a shutdown every agent refuses every send (rules 2.5, 8.6), so the dead
 * letters of a runtime shutdown ({@link DeadLetter.Reason#RUNTIME_SHUTDOWN}, those of a forced
 * shutdown included) reach no subscriber. An observer, given when the runtime is created, sees them
 * all: operators use it to log or export what a shutdown lost.
 *
 * <p>Each dead letter reaches the observer exactly once: {@link DeadLetter.Reason#RECIPIENT_TERMINATED}
 * for the leftovers of an agent that terminated (stopped or failed) while the runtime runs,
 * {@link DeadLetter.Reason#RUNTIME_SHUTDOWN} for those of an agent terminated by the runtime's
 * shutdown.
 *
 * <p>Threading: called on the thread that dead-letters the message, an agent's thread or the
 * thread that shuts the runtime down, possibly several at once; implementations must be
 * thread-safe, return quickly and not block (a slow observer slows the termination of agents and
 * the shutdown). Happens-before: the hand-over of the message to the runtime (the send that
 * accepted it) happens-before the call that reports it as a dead letter.
 *
 * <p>If it throws, the runtime catches the exception, counts and logs it (at most once a second)
 * and carries on: the dead letter is still counted and published, the agent still terminates. A
 * fatal error ({@link FatalErrorHandler#isFatal}) goes to the runtime's {@link FatalErrorHandler}.
 */
@FunctionalInterface
public interface DeadLetterObserver {

    /**
     * @param deadLetter the dead letter: its recipient, the very message, and why
     */
    void onDeadLetter(DeadLetter deadLetter);
}

package dev.flin.runtime;

/**
 * A snapshot of a runtime's counters (rule 8.3).
 *
 * <p>Counters and gauges: every field is a <b>counter</b>, which only grows, except {@code queued},
 * a <b>gauge</b> (messages sitting in mailboxes now, up and down), and {@link #alive()}, derived
 * from two counters. A counter read while work is under way may lag the work in flight but never
 * reports more than happened; {@code accepted} is counted where sends are accepted, never derived
 * from the other fields, and includes every send that has returned normally (rule 2.4).
 *
 * <p>When the runtime is quiescent (no send, spawn or processing under way) they add up:
 * <pre>
 *   spawned  == alive() + terminated
 *   accepted == processed + deadLetters + staleTimerMessages + queued
 * </pre>
 * A snapshot taken while work is under way reads each counter at a slightly different moment, so
 * the identities may be off by the work in flight. At quiescence a runtime that lost an accepted
 * message shows it: {@code accepted} is then larger than the right-hand side.
 *
 * <p>Threading: an immutable value.
 *
 * @param spawned            agents spawned
 * @param terminated         agents that reached TERMINATED
 * @param restarts           restarts performed (rule 4.2)
 * @param failures           failures reported (rule 4.5)
 * @param accepted           messages accepted into mailboxes (sends, asks, events, timer messages)
 * @param processed          messages handed to {@link Agent#onMessage}
 * @param deadLetters        accepted messages not processed because the agent terminated (rule 2.4)
 * @param staleTimerMessages timer messages discarded because their timer was cancelled after they
 *                           were enqueued (rule 7.3)
 * @param queued             gauge: messages accepted and not yet taken out of a mailbox
 * @param rejectedFull       sends refused with {@link MailboxFullException} (rule 2.2)
 * @param rejectedNotFound   sends refused with {@link AgentNotFoundException} (rule 2.5)
 * @param lateReplies        replies refused because the ask was already completed (rule 5.4)
 * @param droppedEvents      published events a full subscriber could not take (rule 6.6)
 */
public record RuntimeCounters(
        long spawned,
        long terminated,
        long restarts,
        long failures,
        long accepted,
        long processed,
        long deadLetters,
        long staleTimerMessages,
        long queued,
        long rejectedFull,
        long rejectedNotFound,
        long lateReplies,
        long droppedEvents) {

    /**
     * @return agents spawned and not yet terminated
     */
    public long alive() {
        return spawned - terminated;
    }
}

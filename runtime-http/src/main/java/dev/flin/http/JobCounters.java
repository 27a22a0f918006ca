package dev.flin.http;

/**
 * A background worker's counters.
 *
 * @param submitted jobs accepted into its mailbox
 * @param rejected jobs refused because its mailbox was full
 * @param succeeded jobs that ran to completion
 * @param failed jobs whose run threw
 * @param queued jobs accepted and not yet run
 */
public record JobCounters(long submitted, long rejected, long succeeded, long failed, long queued) {
}

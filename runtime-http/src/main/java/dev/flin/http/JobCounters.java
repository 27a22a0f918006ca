package dev.flin.http;

/**
 * A background worker's counters. At any time {@code submitted == succeeded + failed + queued};
 * the snapshot is exact at quiescence.
 *
 * <p>Threading: an immutable value.
 *
 * @param submitted jobs accepted into its mailbox
 * @param rejected jobs refused because its mailbox was full
 * @param succeeded jobs that ran to completion
 * @param failed jobs whose run threw
 * @param queued jobs accepted and not yet run
 */
public record JobCounters(long submitted, long rejected, long succeeded, long failed, long queued) {
}

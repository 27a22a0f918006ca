package dev.flin.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * <p>A snapshot is built with {@link #builder()}; a field a runtime does not set reads 0. New
 * counters are added as new accessors and builder methods, so adding one breaks no caller (this type
 * was a positional record before 0.1.0).
 *
 * <p>Threading: an immutable value, safe to share between threads. Its {@link Builder} is not
 * thread-safe: build it on one thread.
 */
public final class RuntimeCounters {
    private final long spawned;
    private final long terminated;
    private final long restarts;
    private final long failures;
    private final long accepted;
    private final long processed;
    private final long deadLetters;
    private final long staleTimerMessages;
    private final long queued;
    private final long rejectedFull;
    private final long rejectedNotFound;
    private final long lateReplies;
    private final long droppedEvents;

    private RuntimeCounters(final Builder b) {
        this.spawned = b.spawned;
        this.terminated = b.terminated;
        this.restarts = b.restarts;
        this.failures = b.failures;
        this.accepted = b.accepted;
        this.processed = b.processed;
        this.deadLetters = b.deadLetters;
        this.staleTimerMessages = b.staleTimerMessages;
        this.queued = b.queued;
        this.rejectedFull = b.rejectedFull;
        this.rejectedNotFound = b.rejectedNotFound;
        this.lateReplies = b.lateReplies;
        this.droppedEvents = b.droppedEvents;
    }

    /**
     * @return a builder whose every counter is 0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return a builder holding this snapshot's values, to derive a snapshot that differs in a few
     *     counters
     */
    public Builder toBuilder() {
        final Builder b = new Builder();
        b.spawned = spawned;
        b.terminated = terminated;
        b.restarts = restarts;
        b.failures = failures;
        b.accepted = accepted;
        b.processed = processed;
        b.deadLetters = deadLetters;
        b.staleTimerMessages = staleTimerMessages;
        b.queued = queued;
        b.rejectedFull = rejectedFull;
        b.rejectedNotFound = rejectedNotFound;
        b.lateReplies = lateReplies;
        b.droppedEvents = droppedEvents;
        return b;
    }

    /**
     * @return agents spawned
     */
    public long spawned() {
        return spawned;
    }

    /**
     * @return agents that reached TERMINATED
     */
    public long terminated() {
        return terminated;
    }

    /**
     * @return restarts performed (rule 4.2)
     */
    public long restarts() {
        return restarts;
    }

    /**
     * @return failures reported (rule 4.5)
     */
    public long failures() {
        return failures;
    }

    /**
     * @return messages accepted into mailboxes (sends, asks, events, timer messages)
     */
    public long accepted() {
        return accepted;
    }

    /**
     * @return messages handed to {@link Agent#onMessage}
     */
    public long processed() {
        return processed;
    }

    /**
     * @return accepted messages not processed because the agent terminated (rule 2.4)
     */
    public long deadLetters() {
        return deadLetters;
    }

    /**
     * @return timer messages discarded because their timer was cancelled after they were
     *     enqueued (rule 7.3)
     */
    public long staleTimerMessages() {
        return staleTimerMessages;
    }

    /**
     * @return gauge: messages accepted and not yet taken out of a mailbox
     */
    public long queued() {
        return queued;
    }

    /**
     * @return sends refused with {@link MailboxFullException} (rule 2.2)
     */
    public long rejectedFull() {
        return rejectedFull;
    }

    /**
     * @return sends refused with {@link AgentNotFoundException} (rule 2.5)
     */
    public long rejectedNotFound() {
        return rejectedNotFound;
    }

    /**
     * @return replies refused because the ask was already completed (rule 5.4)
     */
    public long lateReplies() {
        return lateReplies;
    }

    /**
     * @return published events a full subscriber could not take (rule 6.6)
     */
    public long droppedEvents() {
        return droppedEvents;
    }

    /**
     * @return agents spawned and not yet terminated
     */
    public long alive() {
        return spawned - terminated;
    }

    /**
     * Every counter by its accessor's name, in declaration order: for exporters (JSON, metrics) that
     * should pick up a counter added later without a change of their own.
     *
     * @return an unmodifiable, ordered map from counter name to value
     */
    public Map<String, Long> asMap() {
        final Map<String, Long> m = new LinkedHashMap<>();
        m.put("spawned", spawned);
        m.put("terminated", terminated);
        m.put("restarts", restarts);
        m.put("failures", failures);
        m.put("accepted", accepted);
        m.put("processed", processed);
        m.put("deadLetters", deadLetters);
        m.put("staleTimerMessages", staleTimerMessages);
        m.put("queued", queued);
        m.put("rejectedFull", rejectedFull);
        m.put("rejectedNotFound", rejectedNotFound);
        m.put("lateReplies", lateReplies);
        m.put("droppedEvents", droppedEvents);
        return Collections.unmodifiableMap(m);
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RuntimeCounters c)) {
            return false;
        }
        return spawned == c.spawned
                && terminated == c.terminated
                && restarts == c.restarts
                && failures == c.failures
                && accepted == c.accepted
                && processed == c.processed
                && deadLetters == c.deadLetters
                && staleTimerMessages == c.staleTimerMessages
                && queued == c.queued
                && rejectedFull == c.rejectedFull
                && rejectedNotFound == c.rejectedNotFound
                && lateReplies == c.lateReplies
                && droppedEvents == c.droppedEvents;
    }

    @Override
    public int hashCode() {
        long h = 17;
        h = 31 * h + spawned;
        h = 31 * h + terminated;
        h = 31 * h + restarts;
        h = 31 * h + failures;
        h = 31 * h + accepted;
        h = 31 * h + processed;
        h = 31 * h + deadLetters;
        h = 31 * h + staleTimerMessages;
        h = 31 * h + queued;
        h = 31 * h + rejectedFull;
        h = 31 * h + rejectedNotFound;
        h = 31 * h + lateReplies;
        h = 31 * h + droppedEvents;
        return Long.hashCode(h);
    }

    @Override
    public String toString() {
        return "RuntimeCounters[spawned=" + spawned
                + ", terminated=" + terminated
                + ", restarts=" + restarts
                + ", failures=" + failures
                + ", accepted=" + accepted
                + ", processed=" + processed
                + ", deadLetters=" + deadLetters
                + ", staleTimerMessages=" + staleTimerMessages
                + ", queued=" + queued
                + ", rejectedFull=" + rejectedFull
                + ", rejectedNotFound=" + rejectedNotFound
                + ", lateReplies=" + lateReplies
                + ", droppedEvents=" + droppedEvents
                + ']';
    }

    /**
     * Builds a {@link RuntimeCounters}. Every counter starts at 0.
     *
     * <p>Threading: not thread-safe; use it on one thread.
     */
    public static final class Builder {
        private long spawned;
        private long terminated;
        private long restarts;
        private long failures;
        private long accepted;
        private long processed;
        private long deadLetters;
        private long staleTimerMessages;
        private long queued;
        private long rejectedFull;
        private long rejectedNotFound;
        private long lateReplies;
        private long droppedEvents;

        private Builder() {
        }

        /**
         * @param value agents spawned
         * @return this builder
         */
        public Builder spawned(final long value) {
            this.spawned = value;
            return this;
        }

        /**
         * @param value agents that reached TERMINATED
         * @return this builder
         */
        public Builder terminated(final long value) {
            this.terminated = value;
            return this;
        }

        /**
         * @param value restarts performed (rule 4.2)
         * @return this builder
         */
        public Builder restarts(final long value) {
            this.restarts = value;
            return this;
        }

        /**
         * @param value failures reported (rule 4.5)
         * @return this builder
         */
        public Builder failures(final long value) {
            this.failures = value;
            return this;
        }

        /**
         * @param value messages accepted into mailboxes (sends, asks, events, timer messages)
         * @return this builder
         */
        public Builder accepted(final long value) {
            this.accepted = value;
            return this;
        }

        /**
         * @param value messages handed to {@link Agent#onMessage}
         * @return this builder
         */
        public Builder processed(final long value) {
            this.processed = value;
            return this;
        }

        /**
         * @param value accepted messages not processed because the agent terminated (rule 2.4)
         * @return this builder
         */
        public Builder deadLetters(final long value) {
            this.deadLetters = value;
            return this;
        }

        /**
         * @param value timer messages discarded because their timer was cancelled after they were
         *              enqueued (rule 7.3)
         * @return this builder
         */
        public Builder staleTimerMessages(final long value) {
            this.staleTimerMessages = value;
            return this;
        }

        /**
         * @param value gauge: messages accepted and not yet taken out of a mailbox
         * @return this builder
         */
        public Builder queued(final long value) {
            this.queued = value;
            return this;
        }

        /**
         * @param value sends refused with {@link MailboxFullException} (rule 2.2)
         * @return this builder
         */
        public Builder rejectedFull(final long value) {
            this.rejectedFull = value;
            return this;
        }

        /**
         * @param value sends refused with {@link AgentNotFoundException} (rule 2.5)
         * @return this builder
         */
        public Builder rejectedNotFound(final long value) {
            this.rejectedNotFound = value;
            return this;
        }

        /**
         * @param value replies refused because the ask was already completed (rule 5.4)
         * @return this builder
         */
        public Builder lateReplies(final long value) {
            this.lateReplies = value;
            return this;
        }

        /**
         * @param value published events a full subscriber could not take (rule 6.6)
         * @return this builder
         */
        public Builder droppedEvents(final long value) {
            this.droppedEvents = value;
            return this;
        }

        /**
         * @return the snapshot
         */
        public RuntimeCounters build() {
            return new RuntimeCounters(this);
        }
    }
}

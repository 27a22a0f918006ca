package dev.flin.conformance.simple;

import dev.flin.runtime.Timers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keyed timers of one agent (section 7), scheduled on the runtime's single scheduler thread.
 *
 * <p>A firing does not carry the user message into the mailbox: it enqueues its {@link Entry}.
 * The agent thread unwraps it only if the entry is still the live timer for its key, so a cancel
 * (also on the agent thread) is exact even for a message already queued (rule 7.3). The scheduler
 * thread only reads the volatile {@code live} flag, to avoid useless sends.
 */
final class SimpleTimers<M> implements Timers<M> {

    /** How long a one-shot timer waits before retrying a full mailbox (rule 7.5). */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final SimpleAgent<M> owner;
    private final Map<Object, Entry> active = new HashMap<>(); // agent thread only

    SimpleTimers(final SimpleAgent<M> owner) {
        this.owner = owner;
    }

    /** One started timer. Its identity is what the mailbox carries. */
    final class Entry {
        final Object key;
        final M message;
        final boolean fixedRate;
        volatile boolean live = true;
        volatile ScheduledFuture<?> future;

        Entry(final Object key, final M message, final boolean fixedRate) {
            this.key = key;
            this.message = message;
            this.fixedRate = fixedRate;
        }
    }

    @Override
    public void startSingle(final Object key, final M message, final Duration delay) {
        owner.checkAgentThread("timers");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "timer message must not be null (rule 2.7)");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0, was " + delay);
        }
        cancelQuietly(key); // rule 7.1: same key replaces
        final Entry entry = new Entry(key, message, false);
        active.put(key, entry);
        scheduleSingle(entry, ThreadPerAgentRuntime.saturatedNanos(delay)); // rule 8.10: never overflows
    }

    @Override
    public void startFixedRate(final Object key, final M message, final Duration initialDelay, final Duration period) {
        owner.checkAgentThread("timers");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "timer message must not be null (rule 2.7)");
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(period, "period");
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay must be >= 0, was " + initialDelay);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
        cancelQuietly(key);
        final Entry entry = new Entry(key, message, true);
        active.put(key, entry);
        try {
            entry.future = owner.rt.scheduler.scheduleAtFixedRate(() -> tick(entry),
                    ThreadPerAgentRuntime.saturatedNanos(initialDelay), ThreadPerAgentRuntime.saturatedNanos(period),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            entry.live = false; // the runtime is gone; the timer can never fire
        }
    }

    @Override
    public boolean cancel(final Object key) {
        owner.checkAgentThread("timers");
        Objects.requireNonNull(key, "key");
        return cancelQuietly(key);
    }

    @Override
    public void cancelAll() {
        owner.checkAgentThread("timers");
        cancelAllInternal();
    }

    @Override
    public boolean isActive(final Object key) {
        owner.checkAgentThread("timers");
        Objects.requireNonNull(key, "key");
        return active.containsKey(key);
    }

    // ---- agent thread

    private boolean cancelQuietly(final Object key) {
        final Entry entry = active.remove(key);
        if (entry == null) {
            return false;
        }
        kill(entry);
        return true;
    }

    /** Restart and termination (rule 7.4). */
    void cancelAllInternal() {
        for (final Entry entry : new ArrayList<>(active.values())) {
            kill(entry);
        }
        active.clear();
    }

    private static void kill(final SimpleTimers<?>.Entry entry) {
        entry.live = false;
        final ScheduledFuture<?> future = entry.future;
        if (future != null) {
            future.cancel(false);
        }
    }

    /**
     * A timer entry taken from the mailbox.
     *
     * @return its message if the timer is still live (a one-shot stops being active here), else null
     */
    Object takeIfLive(final SimpleTimers<?>.Entry entry) {
        final Object message = messageIfLive(entry);
        if (message != null && !entry.fixedRate) {
            entry.live = false;
            active.remove(entry.key);
        }
        return message;
    }

    private Object messageIfLive(final SimpleTimers<?>.Entry entry) {
        return entry.live && active.get(entry.key) == entry ? entry.message : null;
    }

    // ---- scheduler thread

    private void scheduleSingle(final Entry entry, final long nanos) {
        try {
            entry.future = owner.rt.scheduler.schedule(() -> fireSingle(entry), nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            entry.live = false;
        }
    }

    private void fireSingle(final Entry entry) {
        if (!entry.live) {
            return;
        }
        final int outcome = owner.offer(entry, null);
        if (outcome == SimpleAgent.FULL) {
            owner.refusal(outcome);             // counted (rule 7.5)
            scheduleSingle(entry, RETRY_NANOS); // and tried again later
        } else if (outcome == SimpleAgent.NOT_FOUND) {
            owner.refusal(outcome);             // the agent is stopping; its timers die with it
        }
    }

    private void tick(final Entry entry) {
        try {
            if (!entry.live) {
                return;
            }
            final int outcome = owner.offer(entry, null);
            if (outcome != SimpleAgent.OK) {
                owner.refusal(outcome); // a full mailbox skips this tick (rule 7.5)
            }
        } catch (Throwable t) {
            // never let an exception end the periodic task silently
            System.getLogger(SimpleTimers.class.getName()).log(System.Logger.Level.ERROR, "timer tick failed", t);
        }
    }
}

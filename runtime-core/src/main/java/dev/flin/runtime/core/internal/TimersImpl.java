package dev.flin.runtime.core.internal;

import dev.flin.runtime.Timers;
import dev.flin.runtime.core.spi.Dispatcher;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An agent's keyed timers (section 7), handed out by its context. The map is touched on the agent
 * thread only (rule 7.6; a foreign thread gets {@link dev.flin.runtime.ContextOutsideAgentException});
 * the dispatcher's timer thread only enqueues {@link Entry} objects into the mailbox. Whether an
 * entry is still live is decided at delivery, on the agent thread, which makes cancellation exact
 * (rule 7.3).
 */
final class TimersImpl<M> implements Timers<M> {

    private static final long MAX_RETRY_NANOS = 100_000_000L;

    private final AgentCell<M> cell;
    private final Dispatcher dispatcher;
    private final Map<Object, Entry> active = new HashMap<>();

    TimersImpl(final AgentCell<M> cell, final Dispatcher dispatcher) {
        this.cell = cell;
        this.dispatcher = dispatcher;
    }

    @Override
    public void startSingle(final Object key, final M message, final Duration delay) {
        start(key, message, delay, null);
    }

    @Override
    public void startFixedRate(final Object key, final M message, final Duration initialDelay, final Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("timer period must be positive, was " + period);
        }
        start(key, message, initialDelay, period);
    }

    private void start(final Object key, final M message, final Duration delay, final Duration period) {
        cell.checkAgentThread("timers().start");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message (rule 2.7)");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("timer delay must be >= 0, was " + delay);
        }
        // Saturated before anything is scheduled (rule 7.1): beyond about 292 years means never.
        final long delayNanos = Durations.saturatedNanos(delay);
        final long periodNanos = period == null ? 0 : Durations.saturatedNanos(period);
        cancel(key);
        final Entry entry = new Entry(key, message, periodNanos,
                Durations.saturatedAdd(dispatcher.nanoTime(), delayNanos));
        active.put(key, entry);
        if (delayNanos != Durations.NEVER) {
            entry.handle = dispatcher.schedule(delayNanos, entry::fire);
        }
    }

    @Override
    public boolean cancel(final Object key) {
        cell.checkAgentThread("timers().cancel");
        final Entry entry = active.remove(key);
        if (entry == null) {
            return false;
        }
        entry.cancel();
        return true;
    }

    @Override
    public void cancelAll() {
        cell.checkAgentThread("timers().cancelAll");
        cancelAllInternal();
    }

    void cancelAllInternal() {
        for (final Entry entry : active.values()) {
            entry.cancel();
        }
        active.clear();
    }

    @Override
    public boolean isActive(final Object key) {
        cell.checkAgentThread("timers().isActive");
        return active.containsKey(key);
    }

    /**
     * Agent thread, at delivery.
     *
     * @return the message to hand to the agent, or null if the entry is stale (rule 7.3)
     */
    Object takeIfLive(final TimersImpl<?>.Entry entry) {
        if (entry.cancelled || active.get(entry.key) != entry) {
            return null;
        }
        if (entry.periodNanos == 0) {
            active.remove(entry.key);
            entry.cancel();
        }
        return entry.message;
    }

    /** A timer; also the object enqueued in the mailbox for each firing. */
    final class Entry {
        final Object key;
        final Object message;
        final long periodNanos;
        private long nextDue;
        private long retryNanos = 1_000_000L;
        /** Written on the agent thread, read on the timer thread: volatile. */
        volatile boolean cancelled;
        volatile Dispatcher.Scheduled handle;

        Entry(final Object key, final Object message, final long periodNanos, final long firstDue) {
            this.key = key;
            this.message = message;
            this.periodNanos = periodNanos;
            this.nextDue = firstDue;
        }

        /** Timer thread (or the deterministic dispatcher's thread). */
        void fire() {
            try {
                fireOnce();
            } catch (Throwable t) { // the dispatcher's timer thread would swallow it (rule 4.9)
                cell.escalateIfFatal(t);
                throw t;
            }
        }

        private void fireOnce() {
            if (cancelled) {
                return;
            }
            final Offer outcome = cell.offerTimer(this);
            if (periodNanos > 0) {
                nextDue = Durations.saturatedAdd(nextDue, periodNanos);
                final long delay = nextDue == Durations.NEVER ? Durations.NEVER
                        : Math.max(0, nextDue - dispatcher.nanoTime());
                reschedule(delay);
            } else if (outcome == Offer.REFUSED_FULL) {
                // rule 7.5: a one-shot timer that finds the mailbox full tries again later
                final long delay = retryNanos;
                retryNanos = Math.min(retryNanos * 2, MAX_RETRY_NANOS);
                reschedule(delay);
            }
        }

        private void reschedule(final long delayNanos) {
            if (!cancelled && delayNanos != Durations.NEVER) {
                handle = dispatcher.schedule(delayNanos, this::fire);
                if (cancelled) {
                    handle.cancel();
                }
            }
        }

        void cancel() {
            cancelled = true;
            final Dispatcher.Scheduled current = handle;
            if (current != null) {
                current.cancel();
            }
        }
    }
}

package dev.flin.conformance.faulty;

import dev.flin.runtime.Timers;
import java.time.Duration;

/**
 * Timers that forward to the real agent's timers; faults subclass it.
 *
 * <p>Threading: agent-thread only, like the timers it wraps (they check it, rule 7.6).
 *
 * @param <M> the message type
 */
public class ForwardingTimers<M> implements Timers<M> {

    /** The real timers. */
    protected final Timers<M> real;

    /**
     * @param real the real timers
     */
    public ForwardingTimers(final Timers<M> real) {
        this.real = real;
    }

    @Override
    public void startSingle(final Object key, final M message, final Duration delay) {
        real.startSingle(key, message, delay);
    }

    @Override
    public void startFixedRate(final Object key, final M message, final Duration initialDelay, final Duration period) {
        real.startFixedRate(key, message, initialDelay, period);
    }

    @Override
    public boolean cancel(final Object key) {
        return real.cancel(key);
    }

    @Override
    public void cancelAll() {
        real.cancelAll();
    }

    @Override
    public boolean isActive(final Object key) {
        return real.isActive(key);
    }
}

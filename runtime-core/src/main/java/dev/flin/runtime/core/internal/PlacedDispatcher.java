package dev.flin.runtime.core.internal;

import dev.flin.runtime.core.spi.Dispatcher;
import java.util.Objects;

/**
 * The base of the dispatchers an agent's spawn can place it on (rule 1.7: pinned, blocking): they run
 * the agent's runs on threads of their own, and take the clock and the timers from the runtime's
 * dispatcher, so that every timer of a runtime is on one wheel and one clock (rules 7.1, 8.8).
 *
 * <p>Threads: {@link #nanoTime} and {@link #schedule} may be called from any thread and have the
 * runtime dispatcher's guarantees.
 */
abstract class PlacedDispatcher implements Dispatcher {

    private final Dispatcher clock;

    /** @param clock the runtime's dispatcher: clock and timers */
    PlacedDispatcher(final Dispatcher clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The runtime dispatcher's clock. */
    @Override
    public final long nanoTime() {
        return clock.nanoTime();
    }

    /** On the runtime dispatcher's timers: the action runs on its timer thread, not on this one's. */
    @Override
    public final Scheduled schedule(final long delayNanos, final Runnable action) {
        return clock.schedule(delayNanos, action);
    }
}

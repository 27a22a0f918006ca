package dev.flin.runtime.core.internal;

import dev.flin.runtime.core.spi.Dispatcher;
import java.util.Objects;

/**
 * The base of the dispatchers an agent's spawn can place it on (rule 1.7: pinned, blocking): they run
 * the agent's runs on threads of their own, and take the clock and the timers from the runtime's
 * dispatcher, so that every timer of a runtime is on one wheel and one clock (rules 7.1, 8.8).
 *
 * <p>Shutdown has two halves, so that the runtime can end these threads while its own dispatcher
 * shuts down: {@link #stop} (return at once), then {@link #awaitExit} (join until a deadline);
 * {@link #shutdown} does both.
 *
 * <p>Threads: {@link #nanoTime} and {@link #schedule} may be called from any thread and have the
 * runtime dispatcher's guarantees; {@link #stop} and {@link #awaitExit} from the thread shutting
 * the runtime down.
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

    /** Stops taking work and wakes idle threads so that they exit; returns at once. */
    abstract void stop();

    /**
     * Joins every thread until the deadline; interrupts and leaves those still in a callback then
     * (daemons, rule 8.7).
     *
     * @param deadline on {@link System#nanoTime()}
     * @return whether every thread exited
     */
    abstract boolean awaitExit(long deadline);

    /** {@link #stop}, then {@link #awaitExit} within the timeout (rule 8.7). */
    @Override
    public final boolean shutdown(final long timeoutNanos) {
        final long deadline = System.nanoTime() + timeoutNanos;
        stop();
        return awaitExit(deadline);
    }
}

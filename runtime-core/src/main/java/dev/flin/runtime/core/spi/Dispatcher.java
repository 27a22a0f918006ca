package dev.flin.runtime.core.spi;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The strategy that runs agents and timers for one runtime: the scheduler behind the runtime.
 * An agent with work is handed to {@link #execute} as a task; the task drains up to a batch of
 * messages and returns, so agents share the dispatcher's threads fairly.
 *
 * <p>Implementations: {@link dev.flin.runtime.core.Dispatchers#workerPool} (a small pool of worker threads, the default)
 * and {@link dev.flin.runtime.core.DeterministicDispatcher} (every task on the calling thread, in an order drawn from a
 * seed, with a manual clock). Agents spawned on {@code DispatcherSelector.PINNED} or
 * {@code BLOCKING} run on threads the runtime adds beside this dispatcher (rule 1.7), unless it
 * {@linkplain #confinesAgents confines agents}; timers and the clock are always this dispatcher's.
 *
 * <p>Threading: {@link #execute}, {@link #nanoTime} and {@link #schedule} may be called from any
 * thread unless the implementation says otherwise. A call to {@code execute} happens-before the
 * task runs.
 */
public interface Dispatcher {

    /**
     * Runs the task soon, on a dispatcher thread. Never blocks.
     *
     * @param task the task; the same task is never submitted twice before it starts running
     */
    void execute(Runnable task);

    /**
     * Submits again a task that is running now, from inside that run, just before it returns: the
     * calling thread goes straight back to this dispatcher, so a dispatcher may skip waking other
     * threads for it. The default is {@link #execute}.
     *
     * <p>Why: an agent with more messages than one batch re-submits itself at the end of every
     * batch; waking a parked worker for that work, which the calling worker takes next anyway, cost
     * an {@code unpark} system call per batch (OneToOneTell profile).
     *
     * @param task the task that is running on the calling thread
     */
    default void resubmit(final Runnable task) {
        execute(task);
    }

    /**
     * @return this dispatcher's clock, in nanoseconds; only differences are meaningful
     */
    long nanoTime();

    /**
     * Runs an action after a delay on this dispatcher's clock. The action must be short and must
     * not block: it usually enqueues a message.
     *
     * @param delayNanos at least 0
     * @param action     what to run
     * @return a handle to cancel it
     */
    Scheduled schedule(long delayNanos, Runnable action);

    /**
     * Waits (or, for a single-threaded dispatcher, runs tasks and advances its clock) until the
     * condition holds or the timeout passes on this dispatcher's clock.
     *
     * <p>The default, for dispatchers whose threads make progress on their own, polls from the
     * calling thread, parking between checks with a backoff from 10 µs to 5 ms. A dispatcher that
     * runs tasks on the caller's thread must override it.
     *
     * @param condition    checked repeatedly; must be thread-safe
     * @param timeoutNanos how long to try
     * @return whether the condition held
     */
    default boolean awaitCondition(final BooleanSupplier condition, final long timeoutNanos) {
        final long deadline = System.nanoTime() + timeoutNanos;
        long park = 10_000L;
        while (!condition.getAsBoolean()) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                return condition.getAsBoolean();
            }
            LockSupport.parkNanos(Math.min(park, left));
            park = Math.min(park * 2, 5_000_000L);
        }
        return true;
    }

    /**
     * Whether every agent of the runtime must run on this dispatcher, whatever the
     * {@link dev.flin.runtime.DispatcherSelector} of its spawn (rule 1.7). The default, false, lets
     * the runtime run {@code PINNED} agents on threads of their own and {@code BLOCKING} agents on
     * threads meant to block, beside this dispatcher. A dispatcher that owes its promise to running
     * every task itself answers true: {@link dev.flin.runtime.core.DeterministicDispatcher}, whose replay (rule 8.8) needs
     * every callback on the thread that drives it. The runtime then accepts every selector and runs
     * the agent here: a test of code that spawns on {@code BLOCKING} stays deterministic, and such a
     * runtime does not offer rule 1.7 (a blocking callback blocks the driving thread).
     *
     * @return true if the runtime must place every agent on this dispatcher
     */
    default boolean confinesAgents() {
        return false;
    }

    /**
     * Stops the dispatcher: no new tasks run; worker and timer threads exit. Idempotent.
     *
     * @param timeoutNanos how long to wait for the threads to exit
     * @return whether every thread exited in time
     */
    boolean shutdown(long timeoutNanos);

    /** A scheduled action. */
    interface Scheduled {
        /**
         * @return true if this call stopped the action from running
         */
        boolean cancel();
    }
}

package dev.flin.runtime.core;

import dev.flin.runtime.core.spi.Dispatcher;
import dev.flin.runtime.core.spi.IdleStrategy;
import dev.flin.runtime.core.internal.WorkerPoolDispatcher;

/**
 * Factories for the dispatchers this module offers.
 *
 * <p>Threading: stateless; any thread.
 */
public final class Dispatchers {

    private Dispatchers() {
    }

    /**
     * A pool of worker threads sharing one lock-free run queue, plus one timer thread.
     *
     * @param threads      worker threads, at least 1
     * @param idleStrategy what an idle worker does (copied per worker)
     * @param namePrefix   prefix of the thread names
     * @return a started dispatcher
     */
    public static Dispatcher workerPool(final int threads, final IdleStrategy idleStrategy, final String namePrefix) {
        return new WorkerPoolDispatcher(threads, idleStrategy, namePrefix);
    }

    /**
     * @return a worker pool with one thread per available processor and a spin-yield-park backoff
     */
    public static Dispatcher workerPool() {
        return workerPool(Runtime.getRuntime().availableProcessors(), defaultIdleStrategy(), "flin");
    }

    /**
     * @return the default idle strategy: 100 spins, 10 yields, then park up to 10 ms
     */
    public static IdleStrategy defaultIdleStrategy() {
        return IdleStrategy.backoff(100, 10, 10_000_000L);
    }

    /**
     * @param seed the seed of the interleaving
     * @return a deterministic dispatcher, see {@link DeterministicDispatcher}
     */
    public static DeterministicDispatcher deterministic(final long seed) {
        return new DeterministicDispatcher(seed);
    }
}

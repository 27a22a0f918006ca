package dev.flin.runtime.core.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads one component started, so that shutdown can join every one of them (rule 8.7: every
 * runtime thread has exited when shutdown returns). A thread stays here until it is seen dead: a
 * thread that removed itself on its way out could still be running its last instructions when
 * shutdown looks. Dead threads are swept out whenever the set has doubled since the last sweep, so
 * a component that starts threads without end (a virtual thread per run) keeps it small at an
 * amortized constant cost per thread.
 *
 * <p>Threading: {@link #add} from any thread; {@link #joinAll} from the thread that shuts down.
 */
final class RuntimeThreads {

    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sweepAt = new AtomicInteger(64);

    /** Any thread: remembers a thread, before it is started. */
    void add(final Thread thread) {
        threads.add(thread);
        final int size = threads.size();
        final int limit = sweepAt.get();
        if (size >= limit && sweepAt.compareAndSet(limit, Integer.MAX_VALUE)) { // one sweeper at a time
            threads.removeIf(t -> !t.isAlive() && t != thread);
            sweepAt.set(Math.max(64, threads.size() * 2));
        }
    }

    /** Any thread: forgets a thread that was never started. */
    void remove(final Thread thread) {
        threads.remove(thread);
    }

    /** @return how many of the remembered threads are alive */
    int aliveCount() {
        int n = 0;
        for (final Thread thread : threads) {
            if (thread.isAlive()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Joins every thread until the deadline, then interrupts those still alive (they are daemons:
     * a callback that never returns, rule 8.7).
     *
     * @param deadline on {@link System#nanoTime()}
     * @return whether all exited
     */
    boolean joinAll(final long deadline) {
        try {
            for (final Thread thread : threads) {
                final long left = deadline - System.nanoTime();
                if (left > 0) {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean exited = true;
        for (final Thread thread : threads) {
            if (thread.isAlive()) {
                thread.interrupt();
                exited = false;
            }
        }
        return exited;
    }
}

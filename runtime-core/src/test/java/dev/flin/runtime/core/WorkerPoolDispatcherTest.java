package dev.flin.runtime.core;

import dev.flin.runtime.core.spi.Dispatcher;
import dev.flin.runtime.core.spi.IdleStrategy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.core.internal.WorkerPoolDispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker pool as a {@link Dispatcher} on its own, without agents: its arguments, where tasks
 * and timer actions run, cancelling, waiting for a condition, and what is left after shutdown.
 */
class WorkerPoolDispatcherTest {

    private final List<Dispatcher> pools = new ArrayList<>();

    @AfterEach
    void shutdownPools() {
        for (final Dispatcher pool : pools) {
            pool.shutdown(TimeUnit.SECONDS.toNanos(5));
        }
    }

    private Dispatcher pool(final int threads, final String prefix) {
        final Dispatcher pool = Dispatchers.workerPool(threads, IdleStrategy.parking(), prefix);
        pools.add(pool);
        return pool;
    }

    @Test
    void rejectsFewerThanOneThreadAndMissingArguments() {
        assertThrows(IllegalArgumentException.class, () -> Dispatchers.workerPool(0, IdleStrategy.parking(), "p"));
        assertThrows(NullPointerException.class, () -> Dispatchers.workerPool(1, null, "p"));
        assertThrows(NullPointerException.class, () -> Dispatchers.workerPool(1, IdleStrategy.parking(), null));
    }

    @Test
    void runsTasksOnItsNamedDaemonWorkers() {
        final String prefix = RuntimeTestSupport.uniquePrefix("wpd");
        final WorkerPoolDispatcher pool = (WorkerPoolDispatcher) pool(3, prefix);
        final Thread[] threads = pool.threads();
        assertEquals(3, threads.length);
        for (int i = 0; i < threads.length; i++) {
            assertEquals(prefix + "-worker-" + i, threads[i].getName());
            assertTrue(threads[i].isDaemon(), "a worker must not keep the JVM alive");
        }
        final Set<String> ranOn = ConcurrentHashMap.newKeySet();
        final CountDownLatch done = new CountDownLatch(50);
        for (int i = 0; i < 50; i++) {
            pool.execute(() -> {
                ranOn.add(Thread.currentThread().getName());
                done.countDown();
            });
        }
        pool.resubmit(done::countDown); // from a foreign thread, a resubmit is an execute
        Await.await(done);
        for (final String name : ranOn) {
            assertTrue(name.startsWith(prefix + "-worker-"), name);
        }
    }

    @Test
    void timerActionsRunOnTheTimerThreadAndACancelledOneNever() throws Exception {
        final String prefix = RuntimeTestSupport.uniquePrefix("wpd-timer");
        final Dispatcher pool = pool(1, prefix);
        final AtomicBoolean cancelledRan = new AtomicBoolean();
        final Dispatcher.Scheduled cancelled = pool.schedule(TimeUnit.HOURS.toNanos(1), () -> cancelledRan.set(true));
        assertTrue(cancelled.cancel(), "a pending action can be cancelled");
        assertFalse(cancelled.cancel(), "but only once");

        final CompletableFuture<String> ranOn = new CompletableFuture<>();
        final Dispatcher.Scheduled negative = pool.schedule(-5, () -> ranOn.complete(Thread.currentThread().getName()));
        assertEquals(prefix + "-timer", ranOn.get(10, TimeUnit.SECONDS), "a negative delay is no delay");
        // The action completing the future is not the task finishing: wait for a later action on the
        // same (single) timer thread, which starts only after the first task has finished.
        final CompletableFuture<Void> after = new CompletableFuture<>();
        pool.schedule(0, () -> after.complete(null));
        after.get(10, TimeUnit.SECONDS);
        assertFalse(negative.cancel(), "an action that ran cannot be cancelled");
        assertFalse(cancelledRan.get());
        assertThrows(NullPointerException.class, () -> pool.schedule(1, null));
    }

    @Test
    void awaitConditionReturnsWhenTheConditionHoldsAndFalseAtTheDeadline() {
        final Dispatcher pool = pool(1, RuntimeTestSupport.uniquePrefix("wpd-await"));
        final AtomicBoolean flag = new AtomicBoolean();
        pool.execute(() -> flag.set(true));
        assertTrue(pool.awaitCondition(flag::get, TimeUnit.SECONDS.toNanos(10)));
        assertFalse(pool.awaitCondition(() -> false, TimeUnit.MILLISECONDS.toNanos(20)));
        assertTrue(pool.awaitCondition(() -> true, 0), "a condition that holds needs no time");
    }

    @Test
    void afterShutdownNoThreadIsAliveAndTimersNoLongerFire() {
        final WorkerPoolDispatcher pool = (WorkerPoolDispatcher) pool(2, RuntimeTestSupport.uniquePrefix("wpd-stop"));
        final CountDownLatch ran = new CountDownLatch(1);
        pool.execute(ran::countDown);
        Await.await(ran);
        assertTrue(pool.shutdown(TimeUnit.SECONDS.toNanos(10)), "idle workers exit within the timeout");
        for (final Thread thread : pool.threads()) {
            assertFalse(thread.isAlive(), thread.getName());
        }
        final Dispatcher.Scheduled late = pool.schedule(0, () -> { });
        assertFalse(late.cancel(), "a timer scheduled after shutdown is never pending");
    }
}

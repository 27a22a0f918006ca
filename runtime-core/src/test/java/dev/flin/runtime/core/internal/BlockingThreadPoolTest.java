package dev.flin.runtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flin.runtime.core.DeterministicDispatcher;
import dev.flin.runtime.core.Dispatchers;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The platform-thread pool behind BLOCKING before JDK 24: grows on demand, bounded, idle threads retire. */
class BlockingThreadPoolTest {

    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static void awaitTrue(final String what, final BooleanSupplier condition) {
        final long end = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static void await(final CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(10, TimeUnit.SECONDS), "latch at " + latch.getCount());
    }

    @Test
    void growsOnDemandUpToItsBoundAndTheRestWaits() throws Exception {
        final DeterministicDispatcher clock = Dispatchers.deterministic(1);
        final BlockingThreadPool pool = new BlockingThreadPool(clock, "bt-grow-", 3, TimeUnit.SECONDS.toNanos(30));
        final CountDownLatch threeInside = new CountDownLatch(3);
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            pool.execute(() -> {
                threeInside.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.incrementAndGet();
            });
        }
        await(threeInside);
        assertEquals(3, pool.threadCount(), "three tasks block at once, on three threads: the bound");
        assertEquals(0, done.get());
        gate.countDown();
        awaitTrue("the two waiting tasks run once a thread is free", () -> done.get() == 5);
        assertEquals(3, pool.threadCount(), "never more than the bound");
        assertTrue(pool.shutdown(TimeUnit.SECONDS.toNanos(5)));
        assertEquals(0, pool.threadCount());
    }

    @Test
    void idleThreadsRetireAndANewTaskStartsAThreadAgain() throws Exception {
        final BlockingThreadPool pool = new BlockingThreadPool(Dispatchers.deterministic(2), "bt-retire-", 4,
                TimeUnit.MILLISECONDS.toNanos(20));
        final CountDownLatch first = new CountDownLatch(1);
        pool.execute(first::countDown);
        await(first);
        awaitTrue("the idle thread retires after its keep-alive", () -> pool.threadCount() == 0);
        final CountDownLatch second = new CountDownLatch(1);
        pool.execute(second::countDown);
        await(second);
        assertTrue(pool.shutdown(TimeUnit.SECONDS.toNanos(5)));
    }

    @Test
    void shutdownWakesIdleThreadsAtOnce() throws Exception {
        final BlockingThreadPool pool = new BlockingThreadPool(Dispatchers.deterministic(3), "bt-stop-", 4,
                TimeUnit.HOURS.toNanos(1));
        final CountDownLatch ran = new CountDownLatch(2);
        pool.execute(ran::countDown);
        pool.execute(ran::countDown);
        await(ran);
        assertTrue(pool.shutdown(TimeUnit.SECONDS.toNanos(5)), "idle threads (keep-alive one hour) exit at shutdown");
        assertEquals(0, pool.threadCount());
    }

    /**
     * Two senders, one waiting thread: the waiter may take either task, and the other task must
     * still get a thread. Repeated, because the race needs the waiter to take the first task between
     * the second sender's offer and its read of the idle count; each round either has every task
     * inside at once or fails after the deadline.
     */
    @Test
    void everyTaskGetsAThreadWhenSendsRaceAWaitingThread() throws Exception {
        for (int round = 0; round < 300; round++) {
            final BlockingThreadPool pool = new BlockingThreadPool(Dispatchers.deterministic(round), "bt-race-", 64,
                    TimeUnit.SECONDS.toNanos(30));
            final CountDownLatch warm = new CountDownLatch(1);
            pool.execute(warm::countDown);
            await(warm); // one thread, about to wait again
            final int tasks = 6;
            final CountDownLatch inside = new CountDownLatch(tasks);
            final CountDownLatch gate = new CountDownLatch(1);
            final Runnable blocker = () -> {
                inside.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            final CountDownLatch go = new CountDownLatch(1);
            final Thread[] senders = new Thread[2];
            for (int s = 0; s < senders.length; s++) {
                senders[s] = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < tasks / 2; i++) {
                        pool.execute(blocker);
                    }
                });
                senders[s].start();
            }
            go.countDown();
            for (final Thread sender : senders) {
                sender.join();
            }
            try {
                assertTrue(inside.await(10, TimeUnit.SECONDS), "round " + round + ": only " + (tasks - inside.getCount())
                        + " of " + tasks + " blocking tasks got a thread");
            } finally {
                gate.countDown();
                pool.shutdown(TimeUnit.SECONDS.toNanos(5));
            }
        }
    }
}

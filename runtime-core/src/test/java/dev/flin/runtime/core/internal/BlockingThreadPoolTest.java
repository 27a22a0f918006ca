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
}

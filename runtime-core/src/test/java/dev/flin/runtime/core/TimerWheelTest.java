package dev.flin.runtime.core;

import dev.flin.runtime.core.spi.Dispatcher;
import dev.flin.runtime.core.spi.TimerWheel;
import static dev.flin.runtime.core.Await.await;
import static dev.flin.runtime.core.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TimerWheel}: never early (rule 7.2), each action once, cancel exact and forgotten, delays
 * beyond one turn and beyond the clock, an action that throws, the idle park, and shutdown.
 */
final class TimerWheelTest {

    private final List<TimerWheel> wheels = new ArrayList<>();

    private TimerWheel wheel(final String name, final int buckets) {
        final TimerWheel wheel = TimerWheel.start(RuntimeTestSupport.uniquePrefix(name), Duration.ofMillis(1), buckets);
        wheels.add(wheel);
        return wheel;
    }

    @AfterEach
    void stopWheels() {
        wheels.forEach(w -> w.shutdown(TimeUnit.SECONDS.toNanos(10)));
    }

    @Test
    void everyActionRunsOnceAndNeverBeforeItsDelay() throws Exception {
        final TimerWheel wheel = wheel("wheel-early", 16); // a 16 ms turn: delays up to 40 ms take turns
        final int perThread = 250;
        final int threads = 4;
        final AtomicIntegerArray runs = new AtomicIntegerArray(perThread * threads);
        final AtomicLongArray earliest = new AtomicLongArray(perThread * threads);
        final AtomicLongArray ranAt = new AtomicLongArray(perThread * threads);
        final CountDownLatch all = new CountDownLatch(perThread * threads);
        final List<CompletableFuture<Void>> schedulers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int base = t * perThread;
            schedulers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perThread; i++) {
                    final int index = base + i;
                    final long delay = TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextInt(40_000));
                    earliest.set(index, System.nanoTime() + delay);
                    wheel.schedule(delay, () -> {
                        ranAt.set(index, System.nanoTime());
                        runs.incrementAndGet(index);
                        all.countDown();
                    });
                }
            }));
        }
        CompletableFuture.allOf(schedulers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        await(all);
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "timeout " + i + " ran once");
            assertTrue(ranAt.get(i) - earliest.get(i) >= 0,
                    "rule 7.2: timeout " + i + " ran " + (earliest.get(i) - ranAt.get(i)) + " ns before its delay");
        }
        awaitTrue("the wheel to hold nothing", () -> wheel.size() == 0);
    }

    @Test
    void aCancelledTimeoutNeverRunsAndTheWheelForgetsIt() {
        final TimerWheel wheel = wheel("wheel-cancel", 512);
        final AtomicInteger ran = new AtomicInteger();
        final List<Dispatcher.Scheduled> handles = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            handles.add(wheel.schedule(TimeUnit.HOURS.toNanos(1) + i, ran::incrementAndGet));
        }
        awaitTrue("the wheel to link all 10,000", () -> wheel.size() == 10_000);
        for (final Dispatcher.Scheduled handle : handles) {
            assertTrue(handle.cancel(), "a pending timeout can be cancelled");
            assertFalse(handle.cancel(), "but only once");
        }
        awaitTrue("the cancelled timeouts to be unlinked", () -> wheel.size() == 0);
        assertEquals(0, ran.get());

        final CompletableFuture<Void> done = new CompletableFuture<>();
        final Dispatcher.Scheduled once = wheel.schedule(0, () -> done.complete(null));
        Await.value(done);
        awaitTrue("the fired timeout to leave the wheel", () -> wheel.size() == 0);
        assertFalse(once.cancel(), "a timeout that ran cannot be cancelled");
    }

    @Test
    void aCancelRacingTheScheduleIsExact() {
        final TimerWheel wheel = wheel("wheel-race", 16);
        final AtomicIntegerArray ran = new AtomicIntegerArray(2_000);
        final boolean[] cancelled = new boolean[2_000];
        for (int i = 0; i < 2_000; i++) {
            final int index = i;
            final Dispatcher.Scheduled handle = wheel.schedule(i % 3, () -> ran.incrementAndGet(index));
            cancelled[i] = handle.cancel(); // races the wheel's thread picking it up and running it
        }
        awaitTrue("every timeout not cancelled to run", () -> {
            for (int i = 0; i < 2_000; i++) {
                if (!cancelled[i] && ran.get(i) == 0) {
                    return false;
                }
            }
            return true;
        });
        awaitTrue("the wheel to hold nothing", () -> wheel.size() == 0); // so no cancelled one is left to run
        for (int i = 0; i < 2_000; i++) {
            assertEquals(cancelled[i] ? 0 : 1, ran.get(i), "timeout " + i + " (cancel returned " + cancelled[i] + ")");
        }
    }

    @Test
    void delaysOfManyTurnsAndBeyondTheClockDoNotOverflow() {
        final TimerWheel wheel = wheel("wheel-far", 16);
        final CompletableFuture<Long> late = new CompletableFuture<>();
        final long scheduledAt = System.nanoTime();
        wheel.schedule(TimeUnit.MILLISECONDS.toNanos(60), () -> late.complete(System.nanoTime()));
        final AtomicInteger never = new AtomicInteger();
        final Dispatcher.Scheduled forever = wheel.schedule(Long.MAX_VALUE, never::incrementAndGet);
        final Dispatcher.Scheduled almost = wheel.schedule(Long.MAX_VALUE - 1, never::incrementAndGet);
        assertTrue(Await.value(late) - scheduledAt >= TimeUnit.MILLISECONDS.toNanos(60),
                "rule 7.2: a delay of almost four turns ran early");
        assertEquals(0, never.get());
        assertTrue(forever.cancel());
        assertTrue(almost.cancel());
        awaitTrue("the far timeouts to be unlinked", () -> wheel.size() == 0);
    }

    @Test
    void anActionThatThrowsDoesNotStopTheWheel() {
        final TimerWheel wheel = wheel("wheel-throw", 16);
        wheel.schedule(0, () -> {
            throw new IllegalStateException("planned failure of a timer action (logged)");
        });
        final CompletableFuture<Void> after = new CompletableFuture<>();
        wheel.schedule(TimeUnit.MILLISECONDS.toNanos(2), () -> after.complete(null));
        Await.value(after);
    }

    @Test
    void anIdleWheelParksWithoutATimeoutAndWakesForTheNextSchedule() {
        final TimerWheel wheel = wheel("wheel-idle", 16);
        final CompletableFuture<Void> first = new CompletableFuture<>();
        wheel.schedule(0, () -> first.complete(null));
        Await.value(first);
        final Thread thread = threadOf(wheel);
        awaitTrue("the idle wheel to park without a timeout", () -> thread.getState() == Thread.State.WAITING);
        final CompletableFuture<Void> second = new CompletableFuture<>();
        wheel.schedule(0, () -> second.complete(null));
        Await.value(second);
    }

    @Test
    void afterShutdownNothingRunsAndTheThreadHasEnded() {
        final TimerWheel wheel = wheel("wheel-stop", 16);
        final AtomicInteger ran = new AtomicInteger();
        final Dispatcher.Scheduled pending = wheel.schedule(TimeUnit.HOURS.toNanos(1), ran::incrementAndGet);
        final Thread thread = threadOf(wheel);
        assertTrue(wheel.shutdown(TimeUnit.SECONDS.toNanos(10)));
        assertFalse(thread.isAlive());
        final Dispatcher.Scheduled late = wheel.schedule(0, ran::incrementAndGet);
        assertFalse(late.cancel(), "a timeout scheduled after shutdown is never pending");
        assertTrue(pending.cancel(), "one pending at shutdown never ran, so cancelling it reports that");
        assertEquals(0, ran.get());
        assertTrue(wheel.shutdown(TimeUnit.SECONDS.toNanos(1)), "idempotent");
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(NullPointerException.class, () -> TimerWheel.start(null));
        assertThrows(IllegalArgumentException.class, () -> TimerWheel.start("x", Duration.ofNanos(1), 512));
        assertThrows(IllegalArgumentException.class, () -> TimerWheel.start("x", Duration.ofMillis(1), 500));
        assertThrows(IllegalArgumentException.class, () -> TimerWheel.start("x", Duration.ofMillis(1), 8));
        final TimerWheel wheel = wheel("wheel-args", 16);
        assertThrows(NullPointerException.class, () -> wheel.schedule(1, null));
    }

    private static Thread threadOf(final TimerWheel wheel) {
        // the wheel's thread is the only live thread whose name is the wheel's unique name
        final CompletableFuture<Thread> found = new CompletableFuture<>();
        final CountDownLatch ran = new CountDownLatch(1);
        wheel.schedule(0, () -> {
            found.complete(Thread.currentThread());
            ran.countDown();
        });
        await(ran);
        return found.join();
    }
}

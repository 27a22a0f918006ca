package dev.flin.runtime.core;

import dev.flin.runtime.core.spi.Dispatcher;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The deterministic dispatcher used directly: what it reports (seed, tasks run, ready tasks,
 * pending timers), its confinement to one thread, its manual clock, and that shutdown discards
 * everything.
 */
class DeterministicDispatcherBookkeepingTest {

    @Test
    void reportsItsSeedAndCountsReadyAndRunTasks() {
        final DeterministicDispatcher d = Dispatchers.deterministic(77);
        assertEquals(77, d.seed());
        assertEquals(0, d.readyCount());
        final List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            final int n = i;
            d.execute(() -> ran.add(n));
        }
        assertEquals(3, d.readyCount());
        assertEquals(0, d.tasksRun());
        assertTrue(d.runNext());
        assertEquals(2, d.readyCount());
        assertEquals(1, d.tasksRun());
        assertEquals(2, d.runUntilIdle(), "runUntilIdle returns how many tasks it ran");
        assertEquals(3, d.tasksRun());
        assertEquals(0, d.readyCount());
        assertFalse(d.runNext(), "nothing ready");
        assertEquals(List.of(0, 1, 2), ran.stream().sorted().toList());
    }

    @Test
    void isConfinedToTheFirstThreadThatUsesIt() throws Exception {
        final DeterministicDispatcher d = Dispatchers.deterministic(1);
        d.readyCount(); // this thread owns it from here
        final CompletableFuture<Throwable> fromOther = new CompletableFuture<>();
        final Thread other = new Thread(() -> {
            try {
                d.runNext();
                fromOther.complete(null);
            } catch (Throwable t) {
                fromOther.complete(t);
            }
        }, "not-the-owner");
        other.start();
        assertInstanceOf(IllegalStateException.class, fromOther.get(10, TimeUnit.SECONDS));
    }

    @Test
    void timersFireInDueOrderAtTheirDueTimeAndACancelledOneNever() {
        final DeterministicDispatcher d = Dispatchers.deterministic(5);
        final List<String> fired = new ArrayList<>();
        d.schedule(TimeUnit.MILLISECONDS.toNanos(30), () -> fired.add("b@" + d.nanoTime()));
        d.schedule(TimeUnit.MILLISECONDS.toNanos(10), () -> fired.add("a@" + d.nanoTime()));
        d.schedule(TimeUnit.MILLISECONDS.toNanos(30), () -> fired.add("c@" + d.nanoTime()));
        d.schedule(-1, () -> fired.add("now@" + d.nanoTime()));
        final Dispatcher.Scheduled cancelled = d.schedule(TimeUnit.MILLISECONDS.toNanos(20), () -> fired.add("x"));
        assertEquals(5, d.pendingTimers());
        assertTrue(cancelled.cancel());
        assertFalse(cancelled.cancel(), "cancel reports only the first cancel");
        d.advanceTime(Duration.ZERO);
        assertEquals(List.of("now@0"), fired, "a negative delay is due at once, nothing else is");
        d.advanceTime(Duration.ofMillis(30));
        assertEquals(List.of("now@0", "a@10000000", "b@30000000", "c@30000000"), fired,
                "due order, ties in scheduling order, each at its own due time");
        assertEquals(TimeUnit.MILLISECONDS.toNanos(30), d.nanoTime());
        assertEquals(0, d.pendingTimers());
    }

    @Test
    void awaitConditionAdvancesTheClockOnlyUpToItsDeadline() {
        final DeterministicDispatcher d = Dispatchers.deterministic(9);
        final boolean[] flag = new boolean[1];
        d.schedule(TimeUnit.SECONDS.toNanos(5), () -> flag[0] = true);
        assertFalse(d.awaitCondition(() -> flag[0], TimeUnit.SECONDS.toNanos(4)), "the timer is beyond the deadline");
        assertFalse(flag[0]);
        assertTrue(d.awaitCondition(() -> flag[0], TimeUnit.SECONDS.toNanos(5)), "the timer is at the deadline");
        assertEquals(TimeUnit.SECONDS.toNanos(5), d.nanoTime());
    }

    @Test
    void shutdownDiscardsReadyTasksAndTimersAndRefusesNewTasks() {
        final DeterministicDispatcher d = Dispatchers.deterministic(3);
        final List<String> ran = new ArrayList<>();
        d.execute(() -> ran.add("ready"));
        d.schedule(1, () -> ran.add("timer"));
        assertTrue(d.shutdown(0));
        assertEquals(0, d.readyCount());
        assertEquals(0, d.pendingTimers());
        d.execute(() -> ran.add("after"));
        assertEquals(0, d.readyCount(), "a task submitted after shutdown is dropped");
        d.advanceTime(Duration.ofSeconds(1));
        assertEquals(List.of(), ran);
    }
}

package dev.flin.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.Transport;
import dev.flin.runtime.core.spi.Dispatcher;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EventLoopDispatcherTest {

    private static final long FIVE_SECONDS = TimeUnit.SECONDS.toNanos(5);

    @Test
    void aTaskSubmittedFromALoopRunsOnThatLoop() throws Exception {
        final EventLoopDispatcher d = EventLoopDispatcher.create(2, Transport.AUTO);
        try {
            final CompletableFuture<List<Thread>> threads = new CompletableFuture<>();
            d.execute(() -> {
                final Thread outer = Thread.currentThread();
                d.execute(() -> threads.complete(List.of(outer, Thread.currentThread())));
            });
            final List<Thread> pair = threads.get(5, TimeUnit.SECONDS);
            assertEquals(pair.get(0), pair.get(1), "a task submitted from a loop stays on that loop");
            assertTrue(pair.get(0).getName().startsWith("flin-loop-"), pair.get(0).getName());
        } finally {
            assertTrue(d.shutdown(FIVE_SECONDS));
        }
    }

    @Test
    void aTimerNeverFiresBeforeItsDelayAndACancelledOneNeverFires() throws Exception {
        final EventLoopDispatcher d = EventLoopDispatcher.create(1, Transport.AUTO);
        try {
            final long delay = TimeUnit.MILLISECONDS.toNanos(20);
            final long start = d.nanoTime();
            final CompletableFuture<Long> firedAt = new CompletableFuture<>();
            d.schedule(delay, () -> firedAt.complete(d.nanoTime()));
            final AtomicBoolean cancelledRan = new AtomicBoolean();
            final Dispatcher.Scheduled cancelled = d.schedule(delay, () -> cancelledRan.set(true));
            assertTrue(cancelled.cancel(), "cancel before the deadline stops the action");
            assertTrue(firedAt.get(5, TimeUnit.SECONDS) - start >= delay, "fired before its delay");
            // the cancelled timer had the same deadline: a later timer firing means its tick has passed
            final CountDownLatch later = new CountDownLatch(1);
            d.schedule(delay, later::countDown);
            assertTrue(later.await(5, TimeUnit.SECONDS));
            assertFalse(cancelledRan.get(), "a cancelled timer ran");
        } finally {
            assertTrue(d.shutdown(FIVE_SECONDS));
        }
    }

    @Test
    void noThreadOfTheDispatcherIsAliveWhenShutdownReturnsTrue() throws Exception {
        // Netty completes a loop's termination future from the loop's thread before that thread
        // ends; shutdown must not report success until the threads have ended (spec rule 8.7).
        // The window is short, so the check is repeated while spinning threads compete for the
        // cores (as on a loaded CI machine, where a loop's thread is preempted inside the window).
        final AtomicBoolean spin = new AtomicBoolean(true);
        final List<Thread> spinners = new ArrayList<>();
        for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
            final Thread s = new Thread(() -> {
                while (spin.get()) {
                    Thread.onSpinWait();
                }
            }, "spinner-" + i);
            s.setDaemon(true);
            s.start();
            spinners.add(s);
        }
        try {
            shutdownRounds(200);
        } finally {
            spin.set(false);
            for (final Thread s : spinners) {
                s.join();
            }
        }
    }

    private static void shutdownRounds(final int rounds) throws Exception {
        for (int round = 0; round < rounds; round++) {
            final EventLoopDispatcher d = EventLoopDispatcher.create(2, Transport.AUTO);
            final List<Thread> threads = new ArrayList<>();
            for (final EventExecutor loop : d.eventLoops()) {
                threads.add(loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS));
            }
            final CountDownLatch fired = new CountDownLatch(1);
            d.schedule(0, fired::countDown);
            assertTrue(fired.await(5, TimeUnit.SECONDS));
            assertEquals(2, threads.size());
            assertNotEquals(threads.get(0), threads.get(1));
            assertTrue(d.shutdown(FIVE_SECONDS), "shutdown in time");
            for (final Thread t : threads) {
                assertFalse(t.isAlive(), "round " + round + ": " + t.getName() + " alive after shutdown returned");
            }
        }
    }

    @Test
    void afterShutdownATimerIsANoOpAndShutdownIsIdempotent() {
        final EventLoopDispatcher d = EventLoopDispatcher.create(1, Transport.AUTO);
        assertTrue(d.shutdown(FIVE_SECONDS));
        final AtomicBoolean ran = new AtomicBoolean();
        final Dispatcher.Scheduled s = d.schedule(0, () -> ran.set(true));
        assertFalse(s.cancel(), "nothing to cancel: the timer was never scheduled");
        assertFalse(ran.get());
        assertTrue(d.shutdown(FIVE_SECONDS), "a second shutdown");
    }

    @Test
    void badArgumentsAreRefusedByName() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventLoopDispatcher.create(-1, Transport.AUTO));
        assertTrue(e.getMessage().contains("threads"), e.getMessage());
        final NullPointerException npe = assertThrows(NullPointerException.class,
                () -> EventLoopDispatcher.create(1, null));
        assertTrue(npe.getMessage().contains("transport"), npe.getMessage());
    }
}

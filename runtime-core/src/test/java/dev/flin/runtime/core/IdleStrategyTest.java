package dev.flin.runtime.core;

import dev.flin.runtime.core.spi.IdleStrategy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The idle strategies' contract with the worker pool: {@link IdleStrategy#parks} tells a worker
 * whether it must announce itself as parked (so that a submission unparks it), which only the
 * backoff strategy does, and only after its spin and yield rounds. What {@code idle} does with the
 * CPU is not observable without timing and is not asserted here.
 */
class IdleStrategyTest extends RuntimeTestSupport {

    @Test
    void backoffParksOnlyAfterItsSpinAndYieldRounds() {
        final IdleStrategy backoff = IdleStrategy.backoff(3, 2, 1_000_000L);
        for (int round = 1; round <= 5; round++) {
            assertFalse(backoff.parks(round), "round " + round + " is a spin or yield round");
        }
        assertTrue(backoff.parks(6), "the first round after 3 spins and 2 yields parks");
        assertTrue(backoff.parks(1_000), "and every later one");
    }

    @Test
    void parkingStrategyParksFromTheFirstIdleRound() {
        final IdleStrategy parking = IdleStrategy.parking();
        assertFalse(parking.parks(0));
        assertTrue(parking.parks(1));
        assertEquals(new IdleStrategy.Backoff(0, 0, 50_000_000L), parking);
    }

    @Test
    void spinningAndYieldingStrategiesNeverPark() {
        assertFalse(IdleStrategy.busySpin().parks(Integer.MAX_VALUE));
        assertFalse(IdleStrategy.yielding().parks(Integer.MAX_VALUE));
    }

    @Test
    void statelessStrategiesAreTheirOwnCopies() {
        final IdleStrategy spin = IdleStrategy.busySpin();
        final IdleStrategy yielding = IdleStrategy.yielding();
        final IdleStrategy backoff = IdleStrategy.backoff(1, 1, 1_000L);
        assertSame(spin, spin.copy());
        assertSame(yielding, yielding.copy());
        assertSame(backoff, backoff.copy());
    }

    @Test
    void backoffRejectsNegativeRoundsAndAParkBelowOneMicrosecond() {
        assertThrows(IllegalArgumentException.class, () -> IdleStrategy.backoff(-1, 0, 1_000L));
        assertThrows(IllegalArgumentException.class, () -> IdleStrategy.backoff(0, -1, 1_000L));
        assertThrows(IllegalArgumentException.class, () -> IdleStrategy.backoff(0, 0, 999L));
        assertEquals(1_000L, ((IdleStrategy.Backoff) IdleStrategy.backoff(0, 0, 1_000L)).maxParkNanos());
    }

    @Test
    void theDefaultStrategySpinsThenYieldsThenParksAtMostTenMilliseconds() {
        assertEquals(new IdleStrategy.Backoff(100, 10, 10_000_000L), Dispatchers.defaultIdleStrategy());
    }

    @Test
    void everyStrategyDrivesAWorkerPoolThroughIdlePeriods() {
        // Each strategy's idle() is called by idle workers; they must still pick up work that
        // arrives after they went idle (for backoff: after they parked).
        for (final IdleStrategy strategy : new IdleStrategy[] {IdleStrategy.busySpin(), IdleStrategy.yielding(),
                IdleStrategy.backoff(2, 2, 1_000L), IdleStrategy.parking()}) {
            final AgentRuntime rt = track(FlinRuntime.create(RuntimeOptions.defaults().withDispatcher(
                    () -> Dispatchers.workerPool(2, strategy, uniquePrefix("idle")))));
            for (int round = 0; round < 3; round++) {
                final CountDownLatch handled = new CountDownLatch(1);
                final AgentRef<String> agent = rt.spawn(String.class, () -> (m, ctx) -> handled.countDown());
                agent.tell("wake " + strategy + " " + round);
                Await.await(handled);
            }
            assertTrue(rt.shutdown(Duration.ofSeconds(10)), strategy + ": workers exited");
        }
    }
}

package dev.flin.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogBudgetTest {

    @Test
    void letsPerSecondLinesThroughAndTheNextLineThroughCountsTheDroppedOnes() {
        final AtomicLong clock = new AtomicLong(5_000_000_000L);
        final LogBudget budget = new LogBudget(3, clock::get);
        assertEquals(0, budget.tryLog());
        assertEquals(0, budget.tryLog());
        assertEquals(0, budget.tryLog());
        for (int i = 0; i < 7; i++) {
            assertEquals(-1, budget.tryLog(), "over the budget of this second");
        }
        clock.addAndGet(999_000_000L); // still the same second
        assertEquals(-1, budget.tryLog());
        clock.addAndGet(1_000_000L); // the next second
        assertEquals(8, budget.tryLog(), "the first line of the next second says how many were dropped");
        assertEquals(0, budget.tryLog());
        assertEquals(" (8 similar log lines suppressed before this one)", LogBudget.note(8));
        assertEquals("", LogBudget.note(0));
    }

    @Test
    void manyThreadsNeverGetMoreThanTheBudgetWithinOneSecond() throws Exception {
        final LogBudget budget = new LogBudget(10, () -> 42L);
        final AtomicLong through = new AtomicLong();
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (budget.tryLog() >= 0) {
                        through.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (final Thread t : threads) {
            t.join();
        }
        assertEquals(10, through.get());
    }

    @Test
    void aBudgetBelowOneIsRefused() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LogBudget(0));
        assertTrue(e.getMessage().contains("perSecond"), e.getMessage());
    }
}

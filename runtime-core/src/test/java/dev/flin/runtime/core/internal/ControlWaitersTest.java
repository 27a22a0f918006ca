package dev.flin.runtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The pause/resume waiters (rule 8.11): the callers between two runs share one generation, so a
 * caller toggling pause and resume without waiting costs a run one completion, not one per call
 * (the pile-up that starved an agent for seconds under LifecycleTest's toggling test).
 */
class ControlWaitersTest {

    @Test
    void callersBetweenTwoTakesShareOneStageThatTheTakeCompletes() {
        final ControlWaiters waiters = new ControlWaiters();
        assertTrue(waiters.isEmpty());
        assertNull(waiters.take());
        final List<CompletionStage<AgentState>> joined = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            joined.add(waiters.join());
        }
        assertFalse(waiters.isEmpty());
        for (final CompletionStage<AgentState> stage : joined) {
            assertSame(joined.get(0), stage, "one generation between two takes");
        }
        final ControlWaiters.Generation taken = waiters.take();
        assertTrue(waiters.isEmpty());
        final CompletionStage<AgentState> next = waiters.join();
        assertNotSame(joined.get(0), next, "a caller after the take waits for the next run");
        taken.complete(AgentState.PAUSED);
        assertEquals(AgentState.PAUSED, joined.get(0).toCompletableFuture().getNow(null));
        assertFalse(next.toCompletableFuture().isDone());
        waiters.completeAll(AgentState.TERMINATED);
        assertEquals(AgentState.TERMINATED, next.toCompletableFuture().getNow(null));
        assertTrue(waiters.isEmpty());
    }

    @Test
    void aCallerCannotCompleteTheSharedStageForTheOthers() {
        final ControlWaiters waiters = new ControlWaiters();
        final CompletionStage<AgentState> mine = waiters.join();
        final CompletableFuture<AgentState> copy = mine.toCompletableFuture();
        copy.complete(AgentState.RUNNING); // completes the caller's copy only
        assertThrows(UnsupportedOperationException.class,
                () -> ((CompletableFuture<AgentState>) mine).complete(AgentState.RUNNING));
        final CompletionStage<AgentState> theirs = waiters.join();
        assertSame(mine, theirs);
        assertFalse(theirs.toCompletableFuture().isDone());
        waiters.take().complete(AgentState.PAUSED);
        assertEquals(AgentState.PAUSED, theirs.toCompletableFuture().getNow(null));
    }
}

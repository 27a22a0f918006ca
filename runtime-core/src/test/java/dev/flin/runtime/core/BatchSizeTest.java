package dev.flin.runtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batch size bounds how many messages one run of an agent handles before it gives its thread
 * back (then it is scheduled again): observable on the deterministic dispatcher, where one
 * {@code runNext} is one run.
 */
class BatchSizeTest extends RuntimeTestSupport {

    @Test
    void oneRunHandlesAtMostBatchSizeMessages() {
        final AgentRuntime rt = deterministic(31, RuntimeOptions.defaults().withBatchSize(3));
        final List<Integer> seen = new ArrayList<>();
        final AgentRef<Integer> agent = rt.spawn(Integer.class, () -> (m, ctx) -> seen.add(m));
        runUntilIdle(); // started
        for (int i = 0; i < 7; i++) {
            agent.tell(i);
        }
        assertTrue(dispatcher.runNext());
        assertEquals(List.of(0, 1, 2), seen, "the first run: one batch of 3");
        assertTrue(dispatcher.runNext());
        assertEquals(List.of(0, 1, 2, 3, 4, 5), seen, "the second run: the next 3");
        assertTrue(dispatcher.runNext());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), seen);
        runUntilIdle();
        assertEquals(7, seen.size());
        assertEquals(7, rt.counters().processed());
    }
}

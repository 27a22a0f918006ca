package dev.flin.runtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatcher's queue from one thread: FIFO, emptiness, and reuse of a node after it was taken. */
class MpscNodeQueueOrderTest {

    private static final class Node extends DispatchNode {
        final int n;

        Node(final int n) {
            this.n = n;
        }

        @Override
        public void run() {
        }
    }

    @Test
    void pollsInOfferOrderAndIsEmptyOnlyWhenEverythingWasTaken() {
        final MpscNodeQueue queue = new MpscNodeQueue();
        assertTrue(queue.isEmpty());
        assertNull(queue.poll());
        final List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            nodes.add(new Node(i));
            queue.offer(nodes.get(i));
            assertFalse(queue.isEmpty());
        }
        for (int i = 0; i < 5; i++) {
            assertFalse(queue.isEmpty(), "node " + i + " is still queued");
            assertSame(nodes.get(i), queue.poll());
        }
        assertTrue(queue.isEmpty());
        assertNull(queue.poll());
    }

    @Test
    void aTakenNodeCanBeOfferedAgain() {
        final MpscNodeQueue queue = new MpscNodeQueue();
        final Node a = new Node(1);
        final Node b = new Node(2);
        for (int round = 0; round < 3; round++) {
            queue.offer(a);
            queue.offer(b);
            assertEquals(1, ((Node) queue.poll()).n);
            queue.offer(a); // re-queued while b is still there
            assertEquals(2, ((Node) queue.poll()).n);
            assertEquals(1, ((Node) queue.poll()).n);
            assertNull(queue.poll());
            assertTrue(queue.isEmpty());
        }
    }
}

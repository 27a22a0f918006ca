package dev.flin.runtime.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Dmitry Vyukov's intrusive multi-producer single-consumer queue, with a stub node. Producers
 * never block and never allocate: {@link #offer} is one atomic exchange plus an ordered store.
 * The consumer side is made multi-consumer by {@link WorkerPoolDispatcher} with a consumer token.
 *
 * <p>Memory ordering: {@code offer} writes the node's link (plain), swaps it in as the producer end
 * (volatile exchange), then links it from its predecessor (ordered store). The consumer reads links
 * with acquire loads, so everything written before {@code offer} is visible after {@code poll}
 * returns the node. Between the exchange and the ordered store the queue is briefly
 * "inconsistent": {@code poll} then returns null although the queue is not empty, and the caller
 * retries.
 */
final class MpscNodeQueue {

    private static final VarHandle PRODUCER_END;

    static {
        try {
            PRODUCER_END = MethodHandles.lookup().findVarHandle(MpscNodeQueue.class, "producerEnd", DispatchNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DispatchNode stub = new DispatchNode() {
        @Override
        public void run() {
            throw new IllegalStateException("stub node must never run");
        }
    };

    @SuppressWarnings("unused")
    private volatile DispatchNode producerEnd = stub;
    /** Consumer-owned; volatile only so that {@link #isEmpty} can be asked from other threads. */
    private volatile DispatchNode consumerEnd = stub;

    /** Any thread. */
    void offer(final DispatchNode node) {
        node.nextPlain(null);
        final DispatchNode previous = (DispatchNode) PRODUCER_END.getAndSet(this, node);
        previous.nextRelease(node);
    }

    /**
     * Consumer only (one at a time).
     *
     * @return a node, or null if empty or momentarily inconsistent
     */
    DispatchNode poll() {
        DispatchNode tail = consumerEnd;
        DispatchNode next = tail.nextAcquire();
        if (tail == stub) {
            if (next == null) {
                return null;
            }
            consumerEnd = next;
            tail = next;
            next = next.nextAcquire();
        }
        if (next != null) {
            consumerEnd = next;
            return tail;
        }
        if (tail != producerEnd) {
            return null; // a producer is between its exchange and its link: retry
        }
        offer(stub);
        next = tail.nextAcquire();
        if (next != null) {
            consumerEnd = next;
            return tail;
        }
        return null;
    }

    /**
     * Any thread. Not exact: it can return true while a completed offer's node is still queued, when
     * the consumer's {@link #poll} has just re-inserted the stub behind another producer that is
     * between its exchange and its link (found by the Lincheck model check). Callers only use it as
     * a hint before parking: the in-flight producer then wakes a parked worker or polls the queue
     * itself, so no task is stranded (WorkerPoolWakeupModelCheckTest).
     */
    boolean isEmpty() {
        return producerEnd == stub;
    }
}

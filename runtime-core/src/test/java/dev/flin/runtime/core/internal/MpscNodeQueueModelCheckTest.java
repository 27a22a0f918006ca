package dev.flin.runtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Check 3 of "Protocols checked by machine" (docs/conformance.md): the real {@link MpscNodeQueue}
 * is linearizable to a FIFO queue, model-checked by Lincheck with two producers and one consumer.
 *
 * <p>The sequential specification is a FIFO queue with one documented relaxation: a {@code poll}
 * that overlaps an {@code offer} may return null (the queue is "inconsistent" between a producer's
 * exchange and its link). A null from a poll that overlaps no offer must find the queue empty. Each
 * operation records a call and a return tick of a shared clock; after the run, a Wing-Gong search
 * looks for a linearization that respects real time and the specification.
 */
class MpscNodeQueueModelCheckTest {

    static final int INVOCATIONS = 500;

    /** The queue under test: the real one, or a broken copy. */
    interface Queue {
        void offer(DispatchNode node);

        DispatchNode poll();
    }

    static final class Node extends DispatchNode {
        final int value;

        Node(final int value) {
            this.value = value;
        }

        @Override
        public void run() {
        }

        @Override
        public String toString() {
            return Integer.toString(value);
        }
    }

    /** A call: offer(value) or poll() -> value (null: 0), with its call and return ticks. */
    record Op(boolean offer, int value, long call, long ret) {
    }

    static final class Recorder {
        final AtomicLong clock = new AtomicLong();
        final List<Op> producer1 = new ArrayList<>();
        final List<Op> producer2 = new ArrayList<>();
        final List<Op> consumer = new ArrayList<>();
    }

    static void offer(final Queue queue, final Recorder recorder, final List<Op> log, final int value) {
        final long call = recorder.clock.getAndIncrement();
        queue.offer(new Node(value));
        log.add(new Op(true, value, call, recorder.clock.getAndIncrement()));
    }

    /** The consumer's polls: few enough to race the producers, no spin loop for the model checker. */
    static final int CONCURRENT_POLLS = 3;

    /**
     * Two producers (1, 2 and 3) and a consumer that polls {@value #CONCURRENT_POLLS} times; after
     * the join the consumer polls until it sees null (the queue is consistent then). Checks inside
     * the model checker that each node was taken exactly once, and returns the history.
     */
    static List<Op> scenario(final Queue queue) {
        final Recorder recorder = new Recorder();
        ModelCheck.share(queue, recorder);
        final Thread producer1 = new Thread(() -> {
            offer(queue, recorder, recorder.producer1, 1);
            offer(queue, recorder, recorder.producer1, 2);
        });
        final Thread producer2 = new Thread(() -> offer(queue, recorder, recorder.producer2, 3));
        final Thread consumer = new Thread(() -> {
            for (int i = 0; i < CONCURRENT_POLLS; i++) {
                poll(queue, recorder);
            }
        });
        ModelCheck.startAll(producer1, producer2, consumer);
        ModelCheck.join(producer1, producer2, consumer);
        while (poll(queue, recorder) != null) {
            // drain what the concurrent polls left
        }
        final List<Op> history = new ArrayList<>();
        history.addAll(recorder.producer1);
        history.addAll(recorder.producer2);
        history.addAll(recorder.consumer);
        final int[] taken = new int[4];
        for (final Op op : recorder.consumer) {
            taken[op.value()]++;
        }
        if (taken[1] != 1 || taken[2] != 1 || taken[3] != 1) {
            throw new AssertionError("a node was lost or taken twice: " + history);
        }
        return history;
    }

    private static DispatchNode poll(final Queue queue, final Recorder recorder) {
        final long call = recorder.clock.getAndIncrement();
        final DispatchNode node = queue.poll();
        recorder.consumer.add(new Op(false, node == null ? 0 : ((Node) node).value, call, recorder.clock.getAndIncrement()));
        return node;
    }

    /**
     * Model-checks the scenario, then searches a linearization of each explored history (outside
     * the model checker: Lincheck bounds loops and would take the search for a livelock).
     */
    static void check(final String name, final Supplier<Queue> factory) {
        final List<List<Op>> histories = new ArrayList<>();
        ModelCheck.run(name, INVOCATIONS, () -> histories.add(scenario(factory.get())));
        for (final List<Op> history : histories) {
            if (!linearizable(history)) {
                throw new AssertionError("not linearizable to a FIFO queue: " + history);
            }
        }
        System.out.printf("[model-check] %s: %d histories linearizable%n", name, histories.size());
    }

    /** Wing-Gong search; a null poll overlapping an offer is allowed (the documented relaxation) and dropped. */
    static boolean linearizable(final List<Op> history) {
        final List<Op> ops = new ArrayList<>();
        for (final Op op : history) {
            final boolean relaxed = !op.offer() && op.value() == 0 && history.stream()
                    .anyMatch(o -> o.offer() && o.call() < op.ret() && op.call() < o.ret());
            if (!relaxed) {
                ops.add(op);
            }
        }
        return search(ops, new boolean[ops.size()], new ArrayDeque<>(), 0);
    }

    private static boolean search(final List<Op> ops, final boolean[] done, final ArrayDeque<Integer> queue, final int count) {
        if (count == ops.size()) {
            return true;
        }
        long firstReturn = Long.MAX_VALUE; // an op may go next only if it was called before every pending op returned
        for (int i = 0; i < ops.size(); i++) {
            if (!done[i]) {
                firstReturn = Math.min(firstReturn, ops.get(i).ret());
            }
        }
        for (int i = 0; i < ops.size(); i++) {
            final Op op = ops.get(i);
            if (done[i] || op.call() > firstReturn) {
                continue;
            }
            final ArrayDeque<Integer> next = new ArrayDeque<>(queue);
            if (op.offer()) {
                next.addLast(op.value());
            } else if (op.value() == 0) {
                if (!next.isEmpty()) {
                    continue;
                }
            } else if (next.isEmpty() || next.pollFirst() != op.value()) {
                continue;
            }
            done[i] = true;
            if (search(ops, done, next, count + 1)) {
                return true;
            }
            done[i] = false;
        }
        return false;
    }

    static final class Real implements Queue {
        final MpscNodeQueue queue = new MpscNodeQueue();

        @Override
        public void offer(final DispatchNode node) {
            queue.offer(node);
        }

        @Override
        public DispatchNode poll() {
            return queue.poll();
        }
    }

    /** MpscNodeQueue with one change: offer reads and writes the producer end instead of exchanging it. */
    static final class BrokenOfferWithoutExchange implements Queue {
        private static final VarHandle PRODUCER_END;

        static {
            try {
                PRODUCER_END = MethodHandles.lookup().findVarHandle(BrokenOfferWithoutExchange.class, "producerEnd",
                        DispatchNode.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final DispatchNode stub = new Node(-1);
        private volatile DispatchNode producerEnd = stub;
        private volatile DispatchNode consumerEnd = stub;

        @Override
        public void offer(final DispatchNode node) {
            node.nextPlain(null);
            final DispatchNode previous = producerEnd; // BROKEN: was PRODUCER_END.getAndSet(this, node)
            PRODUCER_END.setVolatile(this, node);
            previous.nextRelease(node);
        }

        @Override
        public DispatchNode poll() { // unchanged copy of MpscNodeQueue.poll
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
                return null;
            }
            offer(stub);
            next = tail.nextAcquire();
            if (next != null) {
                consumerEnd = next;
                return tail;
            }
            return null;
        }
    }

    @Test
    void offerAndPollAreLinearizable() {
        check("3 MpscNodeQueue linearizable (MpscNodeQueue)", Real::new);
    }

    /** The history checker itself can say no (a check that cannot fail is a defect). */
    @Test
    void theLinearizabilityCheckRejectsWhatAFifoQueueCannotDo() {
        final Op offer1 = new Op(true, 1, 0, 1);
        final Op offer2 = new Op(true, 2, 2, 3);
        assertAll(
                () -> assertTrue(
                        linearizable(List.of(offer1, offer2, new Op(false, 1, 4, 5), new Op(false, 2, 6, 7)))),
                () -> assertFalse( // out of order
                        linearizable(List.of(offer1, offer2, new Op(false, 2, 4, 5), new Op(false, 1, 6, 7)))),
                () -> assertFalse( // null from a non-empty queue, no offer in flight
                        linearizable(List.of(offer1, new Op(false, 0, 2, 3), new Op(false, 1, 4, 5)))),
                () -> assertTrue( // null while an offer is in flight: the relaxation
                        linearizable(List.of(offer1, new Op(true, 2, 2, 5), new Op(false, 0, 3, 4), new Op(false, 1, 6, 7),
                                new Op(false, 2, 8, 9)))),
                () -> assertFalse( // taken before it was offered
                        linearizable(List.of(new Op(false, 1, 0, 1), new Op(true, 1, 2, 3)))));
    }

    @Test
    void anOfferWithoutExchangeIsCaught() {
        ModelCheck.expectViolation("3 BROKEN MpscNodeQueue: offer with read + set instead of getAndSet", INVOCATIONS,
                () -> scenario(new BrokenOfferWithoutExchange()));
    }
}

package dev.flin.runtime.core.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.MultiProducerSequencer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An agent's mailbox: a Disruptor {@link MultiProducerSequencer} (the claim / publish /
 * availability protocol of a multi-producer ring) over two flat arrays of slots, plus the
 * consumer's gating sequence. Created lazily, on the first send, so an agent that never receives
 * a message costs no ring (rule 2.1 sizing is per agent).
 *
 * <p>Why a sequencer and arrays, not a {@code RingBuffer<Envelope>}: a ring buffer preallocates one
 * event object per slot, 256 constructor calls and 6 KB for the default capacity, which made the
 * ring 65% of the cost of a short-lived agent's whole life (SpawnMessageStop profile). Two zeroed
 * arrays hold the same state, need no filling, and take half the memory.
 *
 * <p>Each slot is {@code messages[i]} and {@code tags[i]}; the tag is {@code sequence + 1} while the
 * slot holds a message nobody has taken yet, and {@code 0} (the zeroed state) once it was taken by
 * the consumer or retracted by its sender: a CAS on the tag decides who owns a message when a
 * sender races the agent's close (see {@link AgentCell}'s send protocol).
 *
 * <p>Memory ordering: {@link #publish} writes the slot with plain stores and then publishes the
 * sequence (ordered store in the sequencer); the consumer reads the slot after
 * {@link #isAvailable} (acquire load) saw it published. {@link #claim} is a volatile CAS.
 * Producers use {@link #tryClaim}, which fails at once instead of waiting (rule 2.2); no consumer
 * ever waits on the sequencer, the dispatcher drives the agent.
 */
final class Mailbox {

    /**
     * No consumer ever waits on a mailbox, so publishing must signal nobody. (This was a shared
     * {@code BlockingWaitStrategy}, whose {@code signalAllWhenBlocking} takes a monitor and calls
     * {@code notifyAll} on every publish: one lock for every send in the runtime, found by
     * profiling OneToOneTell, where it took 11% of the samples.)
     */
    static final WaitStrategy NO_WAIT = new NoWaitStrategy();

    private static final VarHandle TAGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final MultiProducerSequencer sequencer;
    private final Object[] messages;
    private final long[] tags;
    private final int mask;
    /** Highest sequence taken by the consumer; written by the consumer only (ordered store). */
    final Sequence consumed = new Sequence(-1);
    final int capacity;

    Mailbox(final int capacity) {
        this.capacity = capacity;
        this.sequencer = new MultiProducerSequencer(capacity, NO_WAIT);
        sequencer.addGatingSequences(consumed);
        this.messages = new Object[capacity];
        this.tags = new long[capacity];
        this.mask = capacity - 1;
    }

    /**
     * Any thread: claims the next slot (CAS on the cursor).
     *
     * @return the claimed sequence, or -1 when the mailbox is full (nothing claimed)
     */
    long tryClaim() {
        try {
            return sequencer.tryNext();
        } catch (InsufficientCapacityException full) { // a preallocated, stackless instance
            return -1;
        }
    }

    /** The claiming thread: fills the claimed slot (plain stores), then publishes it (ordered store). */
    void publish(final long sequence, final Object message) {
        final int index = (int) sequence & mask;
        messages[index] = message;
        tags[index] = sequence + 1;
        sequencer.publish(sequence);
    }

    /**
     * Any thread: takes ownership of the message at {@code sequence} if nobody has yet (volatile CAS
     * of its tag to 0). Used by a sender retracting its own message and by the agent dead-lettering
     * at close; the winner then reads the message with {@link #clear}.
     */
    boolean claim(final long sequence) {
        return TAGS.compareAndSet(tags, (int) sequence & mask, sequence + 1, 0L);
    }

    /** The owner of a claimed slot: returns its message and lets it be collected. */
    Object clear(final long sequence) {
        final int index = (int) sequence & mask;
        final Object message = messages[index];
        messages[index] = null;
        return message;
    }

    /**
     * Agent thread, normal processing of a published slot: returns the message and marks the slot
     * taken (plain stores; ordered before "closed = true" by program order on the same thread). The
     * caller then advances {@link #consumed}.
     */
    Object take(final long sequence) {
        final int index = (int) sequence & mask;
        final Object message = messages[index];
        messages[index] = null;
        tags[index] = 0L;
        return message;
    }

    /** Any thread: whether {@code sequence} was published (acquire load). */
    boolean isAvailable(final long sequence) {
        return sequencer.isAvailable(sequence);
    }

    /** Any thread: the highest claimed sequence (volatile read). */
    long cursor() {
        return sequencer.getCursor();
    }

    int depth() {
        return (int) Math.max(0, sequencer.getCursor() - consumed.get());
    }

    static int roundCapacity(final int requested) {
        if (requested <= 1) {
            return 1;
        }
        if (requested > (1 << 30)) {
            throw new IllegalArgumentException("mailbox capacity too large: " + requested);
        }
        return Integer.highestOneBit(requested - 1) << 1;
    }

    /** Stateless: signalling is a no-op, and waiting is refused because nothing may wait here. */
    private static final class NoWaitStrategy implements WaitStrategy {
        @Override
        public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence,
                            final SequenceBarrier barrier) throws AlertException, InterruptedException, TimeoutException {
            throw new UnsupportedOperationException("nothing waits on a mailbox: the dispatcher drives the agent");
        }

        @Override
        public void signalAllWhenBlocking() {
            // nobody waits
        }
    }
}

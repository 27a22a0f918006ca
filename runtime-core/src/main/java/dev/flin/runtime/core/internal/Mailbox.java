package dev.flin.runtime.core.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.MultiProducerSequencer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import java.util.function.Consumer;

/**
 * An agent's mailbox: a Disruptor {@link MultiProducerSequencer} (the claim / publish /
 * availability protocol of a multi-producer ring) over a flat array of slots, plus the consumer's
 * gating sequence. Created lazily, on the first send, so an agent that never receives a message
 * costs no ring (rule 2.1 sizing is per agent).
 *
 * <p>Why a sequencer and an array, not a {@code RingBuffer<Envelope>}: a ring buffer preallocates
 * one event object per slot, 256 constructor calls and 6 KB for the default capacity, which made the
 * ring 65% of the cost of a short-lived agent's whole life (SpawnMessageStop profile).
 *
 * <h2>A claimed slot is an accepted message</h2>
 * A sender that claims a slot ({@link #tryClaim}) has had its message accepted: it publishes it
 * and never takes it back. So the number of messages ever accepted by this mailbox is the number of
 * slots claimed by senders, {@link #acceptedCount()}: the claim sequence, counted without any
 * atomic of its own (rule 2.4, 8.3). When the agent terminates, its thread {@link #seal seals} the
 * mailbox: it claims every free slot itself (which stops any further sender claim: they find the
 * ring full and, seeing the agent closing, report it not found) and then dead-letters every
 * sender-claimed slot it has not taken. The consumer never advances {@link #consumed} again after
 * sealing, so the seal holds for ever.
 *
 * <p>Memory ordering: {@link #publish} writes the slot with a plain store and then publishes the
 * sequence (ordered store in the sequencer); the consumer reads the slot after
 * {@link #isAvailable} (acquire load) saw it published. {@link #tryClaim} is a volatile CAS.
 * Producers fail at once instead of waiting (rule 2.2); no consumer ever waits on the sequencer,
 * the dispatcher drives the agent.
 */
final class Mailbox {

    /**
     * No consumer ever waits on a mailbox, so publishing must signal nobody. (This was a shared
     * {@code BlockingWaitStrategy}, whose {@code signalAllWhenBlocking} takes a monitor and calls
     * {@code notifyAll} on every publish: one lock for every send in the runtime, found by
     * profiling OneToOneTell, where it took 11% of the samples.)
     */
    static final WaitStrategy NO_WAIT = new NoWaitStrategy();

    private final MultiProducerSequencer sequencer;
    private final Object[] messages;
    private final int mask;
    /** Highest sequence taken by the consumer; written by the consumer only (ordered store). */
    final Sequence consumed = new Sequence(-1);
    final int capacity;
    /**
     * Slots claimed by the sealing consumer, not by senders. Written by the consumer only, before
     * each claim it makes (so a concurrent {@link #acceptedCount} errs low, never high); read by
     * any thread.
     */
    private volatile long sealed;

    Mailbox(final int capacity) {
        this.capacity = capacity;
        this.sequencer = new MultiProducerSequencer(capacity, NO_WAIT);
        sequencer.addGatingSequences(consumed);
        this.messages = new Object[capacity];
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

    /** The claiming thread: fills the claimed slot (plain store), then publishes it (ordered store). */
    void publish(final long sequence, final Object message) {
        messages[(int) sequence & mask] = message;
        sequencer.publish(sequence);
    }

    /**
     * Agent thread: returns the published message at {@code sequence} and lets it be collected. The
     * caller then advances {@link #consumed} (except after {@link #seal}).
     */
    Object take(final long sequence) {
        final int index = (int) sequence & mask;
        final Object message = messages[index];
        messages[index] = null;
        return message;
    }

    /**
     * Agent thread, once, after the agent is marked closed (so that senders that still claim a slot
     * are refused once the ring is full): claims every slot no sender has claimed, so that no
     * sender ever can again, and returns the highest sequence claimed by a sender. The caller takes
     * (and dead-letters) every slot after {@link #consumed} up to that sequence, waiting for each
     * to be published, and never advances {@link #consumed} again.
     *
     * @return the last sender-claimed sequence
     */
    long seal() {
        final long limit = consumed.get() + capacity; // the highest sequence a sender can claim
        while (true) {
            final long cursor = sequencer.getCursor();
            if (cursor >= limit) {
                return cursor; // full: every slot up to the limit is a sender's
            }
            final long free = limit - cursor;
            sealed += free; // before the claim: a concurrent acceptedCount() may err low, never high
            try {
                sequencer.tryNext((int) free); // succeeds only if the cursor is still at "cursor"
                return cursor;
            } catch (InsufficientCapacityException raced) { // a sender claimed meanwhile: retry
                sealed -= free;
            }
        }
    }

    /**
     * Agent thread, once, at the close (after the agent is marked closed): {@link #seal}s the
     * mailbox, then hands {@code sink} every message a sender claimed and the agent did not take,
     * in order, waiting for each to be published (a sender between {@link #tryClaim} and
     * {@link #publish}: a few instructions). From here no sender can claim a slot.
     */
    void sealAndTakeRest(final Consumer<Object> sink) {
        final long last = seal();
        for (long seq = consumed.get() + 1; seq <= last; seq++) {
            while (!isAvailable(seq)) {
                Thread.onSpinWait();
            }
            sink.accept(take(seq));
        }
    }

    /**
     * Any thread: how many messages senders have claimed slots for, that is, how many this mailbox
     * has accepted. Never more than the true number (the cursor is read before the sealed count);
     * includes every send that has returned; exact once sealed.
     */
    long acceptedCount() {
        final long cursor = sequencer.getCursor();
        return cursor + 1 - sealed;
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

    /**
     * A mailbox that is sealed from the start: installed by an agent that terminates before its
     * first message, so that a sender racing the termination finds a full ring instead of creating
     * one. Accepts nothing; one per runtime is enough.
     */
    static Mailbox sealedEmpty() {
        final Mailbox box = new Mailbox(1);
        box.seal();
        return box;
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

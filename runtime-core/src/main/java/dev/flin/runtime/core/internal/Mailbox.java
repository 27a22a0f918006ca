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
import java.util.function.Consumer;

/**
 * An agent's mailbox: a chain of {@link Ring rings}, each a Disruptor {@link MultiProducerSequencer}
 * (the claim / publish / availability protocol of a multi-producer ring) over a flat array of
 * slots. The first ring holds {@code min(capacity, FIRST_RING_SIZE)} slots; each successor doubles,
 * never beyond the agent's capacity (rule 2.1). Created lazily, on the first send, so an agent that
 * never receives a message costs no ring, and one that receives a few costs a small one.
 *
 * <p>Why a sequencer and an array, not a {@code RingBuffer<Envelope>}: a ring buffer preallocates
 * one event object per slot, 256 constructor calls and 6 KB for the default capacity, which made the
 * ring 65% of the cost of a short-lived agent's whole life (SpawnMessageStop profile).
 *
 * <h2>A claimed slot is an accepted message</h2>
 * A sender that claims a slot ({@link Ring#tryClaim}) has had its message accepted: it publishes it
 * and never takes it back. So the number of messages ever accepted is the number of slots claimed by
 * senders, {@link #acceptedCount()}, counted without any atomic of its own (rules 2.4, 8.3). Only
 * the consumer ever {@link Ring#seal seals} a ring: it claims every free slot itself (so no sender
 * can claim there again) and never frees a slot of that ring afterwards, so the seal holds for ever.
 *
 * <h2>Growth: the hand-over</h2>
 * <pre>
 * sender:   r = tail (volatile); r.tryClaim()           CAS on r's cursor
 *           full: s = r.next; none and r below capacity: CAS r.next null -> new ring (size 2r)
 *                 CAS tail r -> s (helping); claim in s  so tail >= the ring of every claim made
 * consumer: take from its ring r; before freeing a slot of r it reads r.next (volatile):
 *           null: free it (r.consumed, ordered store), as a single ring does
 *           set:  stop freeing r's slots; seal r; take (in order) what senders claimed in r;
 *                 then move to s; every message of r is taken before the first of s
 * close:    for each ring from the consumer's: seal, CAS next null -> itself (no growth any more),
 *           dead-letter what senders claimed there; follow next until it points to itself
 * </pre>
 * <b>The bound (rule 2.1) across rings.</b> A successor of a ring of size {@code n} starts with its
 * first {@code n} sequences claimed as <i>reserved</i> slots ({@link Ring#first}), standing for the
 * at most {@code n} messages (and reservations) its predecessor holds; its senders start at
 * sequence {@code n}. The consumer frees reserved slots as it takes its predecessor's messages: at
 * the seal it sets the successor's {@code consumed} to exactly "predecessor's messages left", then
 * adds one per message taken. So each ring's sequencer counts its own messages plus all older ones,
 * and the newest ring bounds the whole mailbox by its size, at most the capacity. Until the consumer
 * sees the successor, the reservation is the predecessor's whole size, an over-estimate only if the
 * consumer freed slots of the predecessor between a sender finding it full and installing the
 * successor: then, for as long as the consumer is inside one handler call, a send may be refused as
 * full with a few (at most the predecessor's size) messages less than the capacity queued. A send
 * is never refused while the newest ring is below the capacity: it grows instead.
 *
 * <p><b>Positions.</b> A message's place across rings is a <i>position</i>, {@code (generation << 58)
 * + sequence}: rings are numbered from 0 in the order they are installed, and every message of a ring
 * is taken before any of the next, so positions order messages as the consumer takes them (a ring's
 * sequence -1, "nothing yet", sorts after every position of the ring before). The stop sequence
 * (rule 3.6) is a position ({@link #claimedPosition}), and so is what the consumer has taken
 * ({@link #consumedPosition}). It cannot overflow: a capacity is at most 2^30 and a first ring at
 * least 1 slot, so there are at most 31 generations (5 bits: the position stays positive), and a
 * ring's sequence reaches 2^58 only after 2^58 messages through one agent: 91 years at 10^8 messages
 * a second, more than any one agent's handler can take.
 *
 * <p><b>Memory ordering.</b> {@link Ring#publish} writes the slot with a plain store and then
 * publishes the sequence (ordered store in the sequencer); the consumer reads the slot after
 * {@link Ring#isAvailable} (acquire load) saw it published. Claims are volatile CASes. A successor is
 * installed by a CAS on {@code next} before anyone claims in it, and {@code tail} moves to it (CAS)
 * before any claim in it, so: (1) a sender's later send reads a tail at or after the ring of its
 * earlier one (per-sender FIFO, rule 2.3); (2) the run end, which reads its ring's cursor and then
 * its {@code next} after clearing SCHEDULED, sees either a sender's claim in its ring or the
 * successor that sender claimed after (the scheduling hand-shake of AgentCell, on every ring). The
 * consumer's fields are the agent thread's; {@code head} and each ring's {@code base} are published
 * by a volatile write of {@code head} for readers on other threads. Producers fail at once instead of
 * waiting (rule 2.2); no consumer ever waits on the sequencer, the dispatcher drives the agent.
 */
final class Mailbox {

    /**
     * Slots of the first ring. 16 references and the sequencer's 16 availability ints are 64 bytes
     * each (a cache line apiece with compressed oops): a request / reply agent, or one that handles a
     * message and stops, never fills them, while a busy agent reaches the default capacity of 256 in
     * four doublings.
     */
    static final int FIRST_RING_SIZE = 16;
    /** Bits of a position left to the sequence within a ring; see the class comment. */
    static final int GENERATION_SHIFT = 58;

    /**
     * No consumer ever waits on a mailbox, so publishing must signal nobody. (This was a shared
     * {@code BlockingWaitStrategy}, whose {@code signalAllWhenBlocking} takes a monitor and calls
     * {@code notifyAll} on every publish: one lock for every send in the runtime, found by
     * profiling OneToOneTell, where it took 11% of the samples.)
     */
    static final WaitStrategy NO_WAIT = new NoWaitStrategy();

    private static final VarHandle TAIL;
    private static final VarHandle HEAD;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(Mailbox.class, "tail", Ring.class);
            HEAD = MethodHandles.lookup().findVarHandle(Mailbox.class, "head", Ring.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int capacity;
    /** The newest ring senders know of; only ever moves to the successor (CAS). Any thread. */
    private volatile Ring tail;
    /** The consumer's ring, for readers on other threads; written by the consumer when it moves. */
    private volatile Ring head;

    // ---- agent thread only
    /** The ring the consumer takes from. */
    private Ring ring;
    /** The sequence of the last message taken from {@link #ring} (its first - 1 before any). */
    private long taken = -1;
    /** Whether {@link #ring} is sealed for the hand-over to its successor. */
    private boolean handingOver;
    /** When {@link #handingOver}: the last sequence a sender claimed in {@link #ring}. */
    private long lastOfRing;

    Mailbox(final int capacity) {
        this(capacity, Math.min(capacity, FIRST_RING_SIZE));
    }

    /** @param firstRing the first ring's size: a power of two, at most {@code capacity} (tests use 1) */
    Mailbox(final int capacity, final int firstRing) {
        if (firstRing > capacity || Integer.bitCount(firstRing) != 1 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring " + firstRing + ", capacity " + capacity);
        }
        this.capacity = capacity;
        final Ring first = new Ring(firstRing, 0, 0, firstRing < capacity);
        // Plain stores, not volatile ones (a fence each): the mailbox is published by the CAS that
        // installs it in its cell (or, for the sealed empty one, by the runtime's final field).
        TAIL.set(this, first);
        HEAD.set(this, first);
        this.ring = first;
    }

    // ---- senders: any thread

    /** Any thread: the ring to claim in first (volatile read). */
    Ring tail() {
        return tail;
    }

    /**
     * Any thread, after {@code full.tryClaim()} failed: the ring to try next, installing it if
     * {@code full} has none and is below the capacity (one CAS), and moving the tail to it (CAS, so
     * that the tail is at or after the ring of every claim made). Allocates only when it grows.
     *
     * @return the successor, or null if there is none to try: {@code full} is at the capacity (so
     *         the mailbox is full), or the close ended the chain there
     */
    Ring successor(final Ring full) {
        Ring next = full.next;
        if (next == null) {
            if (!full.growable) {
                return null;
            }
            final Ring fresh = new Ring(full.size << 1, full.generation + 1, full.size,
                    (full.size << 1) < capacity);
            next = Ring.NEXT.compareAndSet(full, null, fresh) ? fresh : full.next;
        }
        if (next == full) {
            return null; // closed: see sealAndTakeRest
        }
        TAIL.compareAndSet(this, full, next);
        return next;
    }

    // ---- the consumer: agent thread

    /**
     * Agent thread: whether the message {@link #takeNext} would take next is published (acquire load
     * of its slot's publication), handing over to the successor ring as {@code takeNext} does when the
     * current ring is done. The run reads it <em>before</em> its control word (rule 3.4): a message
     * found published here was sent before the read, so a pause requested before that send is seen.
     * ({@link #hasPublished} would not do: it also answers true for a successor whose message may be
     * published later.)
     *
     * @param lastPosition as for {@link #takeNext}
     * @return whether {@code takeNext(lastPosition)} returns a message now
     */
    boolean hasNext(final long lastPosition) {
        while (true) {
            final Ring r = ring;
            final long next = taken + 1;
            if (r.generationBase + next > lastPosition) {
                return false;
            }
            if (r.isAvailable(next)) {
                return true;
            }
            if (handingOver || !r.growable || r.next == null) {
                return false;
            }
            beginHandOver(r);
        }
    }

    /**
     * Agent thread: takes the next message, in order across rings, if one is published at or before
     * {@code lastPosition}; hands over to the successor ring when the current one is done.
     *
     * @return the message, or null if none is published yet (or the next is after the limit)
     */
    Object takeNext(final long lastPosition) {
        while (true) {
            final Ring r = ring;
            final long next = taken + 1;
            if (r.generationBase + next > lastPosition) {
                return null;
            }
            if (!r.isAvailable(next)) { // acquire load of the slot's publication
                if (handingOver || !r.growable || r.next == null) {
                    return null; // a claimed slot not yet published, or nothing claimed
                }
                beginHandOver(r); // nothing to take here, and a successor: seal, then move on
                continue;
            }
            final Object message = r.take(next);
            taken = next;
            if (!handingOver && (!r.growable || r.next == null)) {
                r.consumed.set(next); // ordered store: frees the slot for senders
            } else if (!handingOver) {
                beginHandOver(r); // the slot is not freed: r's seal counts it as taken
            } else {
                final Sequence reserved = r.next.consumed; // one message of r fewer: free a reserved slot
                reserved.set(reserved.get() + 1);
                if (next == lastOfRing) {
                    moveToSuccessor(r);
                }
            }
            return message;
        }
    }

    /** Seals {@code r}, which has a successor, and sets the successor's reservation to exactly what is left. */
    private void beginHandOver(final Ring r) {
        handingOver = true;
        lastOfRing = r.seal();
        final Ring successor = r.next;
        successor.consumed.set(successor.first - 1 - (lastOfRing - taken)); // raises it: see the class comment
        if (taken == lastOfRing) {
            moveToSuccessor(r);
        }
    }

    /** Every message of {@code r} is taken: the successor becomes the consumer's ring. */
    private void moveToSuccessor(final Ring r) {
        final Ring successor = r.next;
        successor.base = r.base + r.senderClaims();
        ring = successor;
        taken = successor.first - 1; // its reserved slots are all free now: successor.consumed == taken
        handingOver = false;
        head = successor; // volatile write: publishes base to acceptedCount()
    }

    /** Agent thread: the position of the last message taken; -1 if none. */
    long consumedPosition() {
        return ring.generationBase + taken;
    }

    /**
     * Agent thread, at the end of a run: whether a sender claimed a slot the consumer has not taken
     * (claimed, not only published: see AgentCell's scheduling hand-shake), or a successor ring
     * exists to hand over to. Reads the ring's cursor, then its successor (volatile reads). The run
     * end calls it after clearing SCHEDULED, so the next run may already be changing the consumer's
     * fields: then the answer may be stale, which is harmless, because that run is active and its
     * own end checks again; when no other run is active the fields are this thread's own writes.
     */
    boolean hasClaimed() {
        final Ring r = ring;
        return r.cursor() > taken || (r.growable && r.next != null);
    }

    /**
     * Agent thread, during its run: whether the next message is published, or a successor ring
     * exists to hand over to. For polling while a run holds on, caught up with its senders
     * (AgentCell.holdWhileCaughtUp), where {@link #hasClaimed} would not do: that reads the ring's
     * cursor, the line every sender's claim CAS needs for itself, and a CAS waits for the line where
     * a store does not, so a consumer polling the cursor made each claim of its sender a cache-line
     * transfer (JFR: 97% of a OneToOneTell sender's samples in the claim CAS, at 4-6 M messages/s).
     * This reads the slot's availability flag instead (acquire load), which the sender writes with
     * an ordered store. Not for the end of a run: there a claimed slot not yet published is work.
     */
    boolean hasPublished() {
        final Ring r = ring;
        return r.isAvailable(taken + 1) || (r.growable && r.next != null);
    }

    /**
     * Agent thread, once, at the close (after the agent is marked closed, so that senders that find
     * a ring full are refused): seals every ring from the consumer's on, ends the chain (no sender
     * can install a ring any more), and hands {@code sink} every message a sender claimed and the
     * agent did not take, in order, waiting for each to be published (a sender between its claim
     * and its publish: a few instructions). From here no sender can claim a slot.
     */
    void sealAndTakeRest(final Consumer<Object> sink) {
        Ring r = ring;
        long from = taken;
        long last = handingOver ? lastOfRing : r.seal();
        while (true) {
            for (long seq = from + 1; seq <= last; seq++) {
                while (!r.isAvailable(seq)) {
                    Thread.onSpinWait();
                }
                sink.accept(r.take(seq));
            }
            if (r.next == null && Ring.NEXT.compareAndSet(r, null, r)) {
                return; // the chain ends here: a sender that finds r full is refused
            }
            final Ring next = r.next;
            if (next == r) {
                return;
            }
            r = next;
            from = r.first - 1; // nothing of a later ring was taken
            last = r.seal();
        }
    }

    // ---- any thread

    /**
     * Any thread: the position of the last slot claimed in the newest ring (volatile reads: the
     * tail, then its cursor). Every claim made before this call is at or before it.
     */
    long claimedPosition() {
        final Ring t = tail;
        return t.generationBase + t.cursor();
    }

    /**
     * Any thread: how many messages senders have claimed slots for, that is, how many this mailbox
     * has accepted. Never more than the true number (each ring's cursor is read before its sealed
     * count; the rings before the consumer's are counted exactly by its {@code base}); includes
     * every send that has returned (its ring is reachable from the consumer's); exact once sealed.
     */
    long acceptedCount() {
        final Ring h = head;
        long count = h.base;
        for (Ring r = h; r != null; ) {
            count += r.senderClaims();
            final Ring next = r.next;
            r = next == r ? null : next;
        }
        return count;
    }

    /**
     * Any thread: a gauge of the messages waiting, read from the newest ring: its messages and its
     * reserved slots not yet freed (an upper estimate of its predecessors' messages). Exact when there
     * is one ring; never above the capacity.
     */
    int depth() {
        final Ring t = tail;
        final long cursor = t.cursor();
        return (int) Math.max(0, Math.min(t.size, cursor - t.sealed - t.consumed.get()));
    }

    /** Any thread: the size of the newest ring (for tests and diagnostics). */
    int ringSize() {
        return tail.size;
    }

    /**
     * A mailbox that is sealed from the start: installed by an agent that terminates before its
     * first message, so that a sender racing the termination finds a full ring instead of creating
     * one. Accepts nothing; one per runtime is enough.
     */
    static Mailbox sealedEmpty() {
        final Mailbox box = new Mailbox(1);
        box.sealAndTakeRest(message -> {
            throw new IllegalStateException("a new mailbox holds no message");
        });
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

    /**
     * One ring of the chain: a sequencer, its slots, the consumer's gating sequence and the link to
     * the successor. Sequences below {@link #first} are reserved for the predecessor's messages.
     */
    static final class Ring {

        static final VarHandle NEXT;

        static {
            try {
                NEXT = MethodHandles.lookup().findVarHandle(Ring.class, "next", Ring.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final MultiProducerSequencer sequencer;
        private final Object[] messages;
        private final int mask;
        final int size;
        final int generation;
        /** {@code generation << GENERATION_SHIFT}: a sequence plus this is a position. */
        final long generationBase;
        /** The first sequence a sender can claim: the ones before are reserved (the predecessor's size). */
        final long first;
        /** Whether a successor may be installed: below the capacity. */
        final boolean growable;
        /**
         * The consumer's gating sequence: the highest sequence freed for senders (reserved ones
         * included). Written by the consumer only (ordered stores); never advanced after a seal.
         */
        final Sequence consumed = new Sequence(-1);
        /** The successor; set once (CAS), to itself by the close to end the chain. */
        volatile Ring next;
        /**
         * Slots claimed by the sealing consumer, not by senders. Written by the consumer only, before
         * each claim it makes (so a concurrent count errs low, never high); read by any thread.
         */
        private volatile long sealed;
        /** Messages senders claimed in all earlier rings; written by the consumer before it publishes this ring as head. */
        long base;

        Ring(final int size, final int generation, final int reserved, final boolean growable) {
            this.size = size;
            this.generation = generation;
            this.generationBase = (long) generation << GENERATION_SHIFT;
            this.first = reserved;
            this.growable = growable;
            this.sequencer = new MultiProducerSequencer(size, NO_WAIT);
            sequencer.addGatingSequences(consumed); // sets consumed to the cursor, -1
            if (reserved > 0) {
                sequencer.claim(reserved - 1); // the reserved slots count as claimed and not yet freed
            }
            this.messages = new Object[size];
            this.mask = size - 1;
        }

        /**
         * Any thread: claims the next slot (CAS on the cursor).
         *
         * @return the claimed sequence, or -1 when the ring is full (nothing claimed)
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

        /** Agent thread: returns the published message at {@code sequence} and lets it be collected. */
        Object take(final long sequence) {
            final int index = (int) sequence & mask;
            final Object message = messages[index];
            messages[index] = null;
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

        /**
         * Agent thread, once per ring: claims every slot no sender has claimed, so that no sender
         * ever can again, and returns the highest sequence claimed by a sender. The caller takes
         * every sender-claimed slot it has not taken, waiting for each to be published, and never
         * advances {@link #consumed} again.
         *
         * @return the last sender-claimed sequence
         */
        @SuppressWarnings("NonAtomicVolatileUpdate") // one writer, the agent thread; others only read
        long seal() {
            final long limit = consumed.get() + size; // the highest sequence a sender can claim
            while (true) {
                final long cursor = sequencer.getCursor();
                if (cursor >= limit) {
                    return cursor; // full: every slot up to the limit is a sender's (or reserved)
                }
                final long free = limit - cursor;
                sealed += free; // before the claim: a concurrent count may err low, never high
                try {
                    sequencer.tryNext((int) free); // succeeds only if the cursor is still at "cursor"
                    return cursor;
                } catch (InsufficientCapacityException raced) { // a sender claimed meanwhile: retry
                    sealed -= free;
                }
            }
        }

        /** Any thread: slots claimed by senders (the cursor is read before the sealed count). */
        long senderClaims() {
            final long cursor = sequencer.getCursor();
            return cursor + 1 - first - sealed;
        }
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

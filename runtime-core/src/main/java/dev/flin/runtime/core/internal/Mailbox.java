package dev.flin.runtime.core.internal;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.WaitStrategy;

/**
 * A Disruptor multi-producer ring plus the consumer's gating sequence. Created lazily, on the
 * first send, so an agent that never receives a message costs no ring (rule 2.1 sizing is per
 * agent).
 *
 * <p>The wait strategy is never used for waiting: the agent is driven by the dispatcher, and
 * producers use {@code tryNext}, which fails at once instead of waiting (rule 2.2).
 */
final class Mailbox {

    /** Shared and stateless as used here: no consumer ever calls {@code waitFor}. */
    static final WaitStrategy UNUSED_WAIT = new BlockingWaitStrategy();

    final RingBuffer<Envelope> ring;
    /** Highest sequence taken by the consumer; written by the consumer only (ordered store). */
    final Sequence consumed = new Sequence(-1);
    final int capacity;

    Mailbox(final int capacity) {
        this.capacity = capacity;
        this.ring = RingBuffer.createMultiProducer(Envelope::new, capacity, UNUSED_WAIT);
        ring.addGatingSequences(consumed);
    }

    /** @return messages claimed and not yet taken (includes sends still publishing) */
    int depth() {
        return (int) Math.max(0, ring.getCursor() - consumed.get());
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
}

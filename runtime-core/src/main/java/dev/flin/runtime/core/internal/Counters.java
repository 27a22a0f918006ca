package dev.flin.runtime.core.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * The runtime's counters (rule 8.3): striped adders, each padded so that no two share a cache line.
 *
 * <p>Why padded: a {@link LongAdder} stripes only after a CAS on its base fails, and a CAS on a line
 * that another core writes for a different adder does not fail, it only stalls. Unpadded, the
 * adders sat side by side (about 32 bytes each), so a sender counting refusals on a full mailbox
 * ({@code rejectedFull}) and the agent counting its batch ({@code processed}) bounced one line
 * between two cores: 11% of a OneToOneTell CPU profile was the agent's once-per-batch add.
 *
 * <p>Threading: any thread; each adder is thread-safe.
 */
final class Counters {
    final LongAdder spawned = new PaddedAdder();
    final LongAdder terminated = new PaddedAdder();
    final LongAdder restarts = new PaddedAdder();
    final LongAdder failures = new PaddedAdder();
    final LongAdder processed = new PaddedAdder();
    final LongAdder deadLetters = new PaddedAdder();
    final LongAdder staleTimerMessages = new PaddedAdder();
    final LongAdder rejectedFull = new PaddedAdder();
    final LongAdder rejectedNotFound = new PaddedAdder();
    final LongAdder lateReplies = new PaddedAdder();
    final LongAdder droppedEvents = new PaddedAdder();

    /**
     * A LongAdder followed by 128 bytes of padding: the superclass's fields (the base among them)
     * come first in the object, so the base of the next adder in memory is at least two cache lines
     * (an adjacent-line prefetch pair) away from this one's.
     */
    @SuppressWarnings({"unused", "serial"})
    private static final class PaddedAdder extends LongAdder {
        private long p00, p01, p02, p03, p04, p05, p06, p07;
        private long p08, p09, p10, p11, p12, p13, p14, p15;
    }
}

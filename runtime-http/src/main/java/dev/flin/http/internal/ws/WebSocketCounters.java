package dev.flin.http.internal.ws;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the WebSocket side of a server counts, since start. Each counter is exact at quiescence.
 *
 * <p>Threading: every method is thread-safe and non-blocking; increments come from event loops and
 * agent threads, reads from anywhere.
 */
final class WebSocketCounters {

    final LongAdder accepted = new LongAdder();
    final LongAdder framesOut = new LongAdder();
    final LongAdder pingsSent = new LongAdder();
    final LongAdder droppedSlow = new LongAdder();
    final LongAdder framesMissed = new LongAdder();
    final LongAdder closedFlooding = new LongAdder();
    final LongAdder closedTooBig = new LongAdder();
    final LongAdder closedProtocolError = new LongAdder();
    final LongAdder closedPongTimeout = new LongAdder();
    final LongAdder closedAgentFailed = new LongAdder();
    final LongAdder refusedUpgrades = new LongAdder();
    private final AtomicLong peakQueuedBytes = new AtomicLong();

    /** Records {@code queued} as the new peak if it is one. */
    void notePending(final long queued) {
        if (queued > peakQueuedBytes.get()) { // plain check first: the peak rarely moves
            peakQueuedBytes.accumulateAndGet(queued, Math::max);
        }
    }

    long peakQueuedBytes() {
        return peakQueuedBytes.get();
    }
}

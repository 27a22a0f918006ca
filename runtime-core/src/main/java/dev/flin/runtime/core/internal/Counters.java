package dev.flin.runtime.core.internal;

import java.util.concurrent.atomic.LongAdder;

/** The runtime's counters (rule 8.3): striped adders, so counting never contends. */
final class Counters {
    final LongAdder spawned = new LongAdder();
    final LongAdder terminated = new LongAdder();
    final LongAdder restarts = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder processed = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    final LongAdder staleTimerMessages = new LongAdder();
    final LongAdder rejectedFull = new LongAdder();
    final LongAdder rejectedNotFound = new LongAdder();
    final LongAdder lateReplies = new LongAdder();
    final LongAdder droppedEvents = new LongAdder();
}

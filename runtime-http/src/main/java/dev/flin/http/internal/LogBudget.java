package dev.flin.http.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A budget of log lines of one kind: about {@code perSecond} per second get through, the rest are
 * counted and announced by the next line that gets through. For lines a client can cause at will
 * (a slow or flooding WebSocket client, a connection dropped for not reading, a handler failing on
 * every request): the counters always count; the log says what happened without flooding (peer
 * lesson 6). One per server and kind of line, never static.
 *
 * <p>Threading: thread-safe, lock-free. The limit is approximate: a line racing the turn of a
 * second may be let through in either.
 */
public final class LogBudget {

    private static final long SECOND = 1_000_000_000L;

    private final int perSecond;
    private final LongSupplier nanoTime;
    private final AtomicLong window = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger used = new AtomicInteger();
    private final AtomicLong suppressed = new AtomicLong();

    /** @param perSecond lines let through per second, at least 1 */
    public LogBudget(final int perSecond) {
        this(perSecond, System::nanoTime);
    }

    LogBudget(final int perSecond, final LongSupplier nanoTime) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be >= 1, was " + perSecond);
        }
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
    }

    /**
     * Asks to log one line.
     *
     * @return -1 if the line must be dropped (it is counted); otherwise how many lines were dropped
     *     since the last one that got through, for this line to say so ({@link #note})
     */
    public long tryLog() {
        final long now = Math.floorDiv(nanoTime.getAsLong(), SECOND);
        final long current = window.get();
        if (current != now && window.compareAndSet(current, now)) {
            used.set(0);
        }
        if (used.incrementAndGet() <= perSecond) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }

    /**
     * @param dropped what {@link #tryLog} returned (not -1)
     * @return {@code ""}, or a clause to append to the line: how many similar lines were dropped before it
     */
    public static String note(final long dropped) {
        return dropped <= 0 ? "" : " (" + dropped + " similar log lines suppressed before this one)";
    }
}

package dev.flin.http.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide bound on request body bytes held in memory ({@code maxBufferedRequestBytes},
 * rule 9.10): bodies being received (their buffers' capacity) and bodies of requests not answered
 * yet. A body that would take the total over the bound is refused (503, connection closed).
 *
 * <p>Threading: thread-safe; every event loop reserves and releases here. Reservation is a CAS loop
 * on one {@link AtomicLong}: only bodies touch it, one reservation per buffer growth (a doubling)
 * and one release per request, so it is not contended per byte.
 */
final class RequestMemory {

    private final long limit;
    private final AtomicLong reserved = new AtomicLong();

    RequestMemory(final long limit) {
        this.limit = limit;
    }

    /** @return whether {@code bytes} more fit; if so they are reserved */
    boolean tryReserve(final long bytes) {
        if (bytes <= 0) {
            return true;
        }
        while (true) {
            final long current = reserved.get();
            if (current + bytes > limit) {
                return false;
            }
            if (reserved.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    /** Gives back {@code bytes} reserved before. */
    void release(final long bytes) {
        if (bytes > 0) {
            reserved.addAndGet(-bytes);
        }
    }

    /** @return bytes reserved now */
    long reserved() {
        return reserved.get();
    }
}

package dev.flin.http.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names requests in logs, error bodies and the {@code X-Correlation-Id} header. A client may bring
 * its own id (the request's {@code X-Correlation-Id}, if it is 1 to 64 characters of
 * {@code [A-Za-z0-9._:-]}); otherwise the server makes one: a random per-server prefix and a
 * counter, unique within the server's life.
 *
 * <p>Threading: thread-safe; one atomic increment per made id.
 */
final class CorrelationIds {

    /** The request and response header that carries the id. */
    static final String HEADER = "x-correlation-id";

    private final String prefix;
    private final AtomicLong next = new AtomicLong();

    CorrelationIds() {
        final String random = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        this.prefix = random.substring(0, 8) + "-";
    }

    /**
     * @param offered the client's {@code X-Correlation-Id}, or null
     * @return the client's id if it is acceptable, else a fresh one
     */
    String forRequest(final String offered) {
        return acceptable(offered) ? offered : next();
    }

    /** @return a fresh id */
    String next() {
        return prefix + Long.toString(next.incrementAndGet(), 36);
    }

    private static boolean acceptable(final String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            final char c = id.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

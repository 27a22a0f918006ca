package dev.flin.todo;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** Polls a condition until it holds or a generous deadline passes: behaviour, not timing. */
final class Deadline {

    static final Duration DEFAULT = Duration.ofSeconds(30);
    private static final long POLL_INTERVAL_NANOS = Duration.ofMillis(5).toNanos();

    private Deadline() {
    }

    /** @return the first value of {@code probe} that satisfies {@code until}; fails with the last value seen at the deadline */
    static <T> T poll(final String what, final Callable<T> probe, final Predicate<? super T> until) throws Exception {
        final long end = System.nanoTime() + DEFAULT.toNanos();
        T last = probe.call();
        while (!until.test(last)) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(what + " did not happen within " + DEFAULT + "; last seen: " + last);
            }
            LockSupport.parkNanos(POLL_INTERVAL_NANOS);   // spacing between probes; the outcome is the condition's
            last = probe.call();
        }
        return last;
    }
}

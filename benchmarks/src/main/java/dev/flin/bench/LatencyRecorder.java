package dev.flin.bench;

/**
 * Receives one round-trip latency at a time.
 *
 * <p>Threading: called by one thread at a time (the pinger agent's, or the thread that measures the
 * round trip); a happens-before edge to the reader is provided by the end of
 * {@link Workload#runOnce()}.
 */
@FunctionalInterface
public interface LatencyRecorder {

    /** Records nothing. */
    LatencyRecorder NONE = nanos -> { };

    /**
     * @param nanos one round trip, in nanoseconds, from {@link System#nanoTime()} differences
     */
    void record(long nanos);
}

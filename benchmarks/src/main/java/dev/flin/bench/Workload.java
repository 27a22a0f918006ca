package dev.flin.bench;

/**
 * One scenario, set up on one system, ready to run.
 *
 * <p>A workload is created once per JMH trial (the runtime, actor system, threads and long-lived
 * agents are started by its factory) and {@link #runOnce()} is called once per benchmark
 * invocation. Each call does the whole operation of the scenario (for example: send 100,000
 * messages and wait until the agent has processed all of them) and returns the units of work the
 * agents really did, counted by the agents themselves. The benchmark compares that count with
 * {@link #expected()} and fails the run when they differ, so a broken runtime cannot look fast.
 *
 * <p>Threading: {@link #runOnce()} and {@link #close()} are called by one thread (the benchmark
 * thread), never concurrently. Everything the agents did during a call happens-before that call
 * returns.
 */
public interface Workload extends AutoCloseable {

    /**
     * Runs one operation of the scenario and blocks the calling (benchmark) thread until it is
     * complete.
     *
     * @return the units of work the agents counted during this call
     * @throws Exception when the operation fails or does not complete within a generous deadline
     */
    long runOnce() throws Exception;

    /**
     * @return what {@link #runOnce()} must return when every unit of work was done
     */
    long expected();

    /**
     * Stops the agents, threads and runtime this workload started, and waits for them to end.
     *
     * @throws Exception when they do not end
     */
    @Override
    void close() throws Exception;
}

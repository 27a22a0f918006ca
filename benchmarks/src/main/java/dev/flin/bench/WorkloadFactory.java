package dev.flin.bench;

/**
 * One system's implementations of every scenario. Each method starts what the scenario needs
 * (runtime or actor system, threads, long-lived agents) and returns it ready to run.
 *
 * <p>Each implementation is idiomatic for its system: what a user of that system would write, with
 * its default configuration unless the javadoc of the implementing class says otherwise. A system
 * that has no natural way to express a scenario keeps the default, which throws
 * {@link UnsupportedScenarioException}.
 *
 * <p>Threading: called by the benchmark thread.
 */
public interface WorkloadFactory {

    /** @return the system's name, as in {@link BenchSystem#id()} */
    String system();

    /**
     * @param params the scenario's parameters
     * @return the workload
     */
    default Workload oneToOne(final Params.OneToOne params) {
        throw new UnsupportedScenarioException(system(), "OneToOneTell", "not implemented");
    }

    /**
     * The pinger records each round trip's latency (send of the ping to receipt of its pong) with
     * {@code latency}.
     *
     * @param params  the scenario's parameters
     * @param latency receives each round trip's latency
     * @return the workload
     */
    default Workload pingPong(final Params.PingPong params, final LatencyRecorder latency) {
        throw new UnsupportedScenarioException(system(), "PingPong", "not implemented");
    }

    /**
     * @param params the scenario's parameters
     * @return the workload
     */
    default Workload manyToOne(final Params.ManyToOne params) {
        throw new UnsupportedScenarioException(system(), "ManyToOneTell", "not implemented");
    }

    /**
     * @param params the scenario's parameters
     * @return the workload
     */
    default Workload manyPairs(final Params.ManyPairs params) {
        throw new UnsupportedScenarioException(system(), "ManyPairsEcho", "not implemented");
    }

    /**
     * @param params the scenario's parameters
     * @return the workload
     */
    default Workload spawnMessageStop(final Params.SpawnMessageStop params) {
        throw new UnsupportedScenarioException(system(), "SpawnMessageStop", "not implemented");
    }

    /**
     * @param params the scenario's parameters
     * @return the workload
     */
    default Workload count(final Params.Count params) {
        throw new UnsupportedScenarioException(system(), "SavinaCount", "not implemented");
    }

    /**
     * @param params the scenario's parameters
     * @return the workload
     */
    default Workload threadRing(final Params.ThreadRing params) {
        throw new UnsupportedScenarioException(system(), "SavinaThreadRing", "not implemented");
    }

    /**
     * @param params the scenario's parameters
     * @return the workload
     */
    default Workload chameneos(final Params.Chameneos params) {
        throw new UnsupportedScenarioException(system(), "SavinaChameneos", "not implemented");
    }

    /**
     * @param params the scenario's parameters
     * @return the workload
     */
    default Workload big(final Params.Big params) {
        throw new UnsupportedScenarioException(system(), "SavinaBig", "not implemented");
    }

    /**
     * @param params the scenario's parameters
     * @return the workload
     */
    default Workload fjThroughput(final Params.FjThroughput params) {
        throw new UnsupportedScenarioException(system(), "SavinaFjThroughput", "not implemented");
    }

    /**
     * Keeps {@code agents} idle agents alive (spawned, never sent a message) until the returned
     * handle is closed, so that the caller can measure the heap they hold.
     *
     * @param agents idle agents to keep alive
     * @return closes them all
     * @throws Exception when they cannot be started
     */
    default AutoCloseable idleAgents(final int agents) throws Exception {
        throw new UnsupportedScenarioException(system(), "IdleFootprint", "not implemented");
    }
}

package dev.flin.bench.vthreads;

import dev.flin.bench.LatencyRecorder;
import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import dev.flin.bench.WorkloadFactory;
import dev.flin.bench.threads.ThreadPerAgentWorkloads;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The scenarios on one virtual thread per agent (JDK 21+), each agent's mailbox an unbounded
 * {@link LinkedBlockingQueue}. The agent's virtual thread loops {@code take()} and handles one
 * message at a time; sends never block. What an agent does in each scenario is in
 * {@link ThreadPerAgentWorkloads}, shared with the platform-thread system so that the two differ only
 * in the kind of thread and of queue.
 *
 * <p>Threading: agent threads come from {@code Thread.ofVirtual().factory()} (unnamed, the default),
 * scheduled on the JDK's default carrier pool; the producers of {@code manyToOne} are platform
 * threads, as for every system; the benchmark thread drives each operation and closes (interrupts
 * and joins) every thread.
 */
public final class VirtualThreadWorkloads implements WorkloadFactory {

    private final ThreadPerAgentWorkloads scenarios =
            new ThreadPerAgentWorkloads("vthreads", Thread.ofVirtual().factory(), LinkedBlockingQueue::new);

    @Override
    public String system() {
        return scenarios.system();
    }

    @Override
    public Workload oneToOne(final Params.OneToOne params) {
        return scenarios.oneToOne(params);
    }

    @Override
    public Workload pingPong(final Params.PingPong params, final LatencyRecorder latency) {
        return scenarios.pingPong(params, latency);
    }

    @Override
    public Workload manyToOne(final Params.ManyToOne params) {
        return scenarios.manyToOne(params);
    }

    @Override
    public Workload manyPairs(final Params.ManyPairs params) {
        return scenarios.manyPairs(params);
    }

    @Override
    public Workload spawnMessageStop(final Params.SpawnMessageStop params) {
        return scenarios.spawnMessageStop(params);
    }

    @Override
    public Workload count(final Params.Count params) {
        return scenarios.count(params);
    }

    @Override
    public Workload threadRing(final Params.ThreadRing params) {
        return scenarios.threadRing(params);
    }

    @Override
    public Workload chameneos(final Params.Chameneos params) {
        return scenarios.chameneos(params);
    }

    @Override
    public Workload big(final Params.Big params) {
        return scenarios.big(params);
    }

    @Override
    public Workload fjThroughput(final Params.FjThroughput params) {
        return scenarios.fjThroughput(params);
    }

    /** n virtual threads, each parked in {@code take()} on its empty mailbox. */
    @Override
    public AutoCloseable idleAgents(final int agents) {
        return scenarios.idleAgents(agents);
    }
}

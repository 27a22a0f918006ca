package dev.flin.bench.threads;

import dev.flin.bench.LatencyRecorder;
import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import dev.flin.bench.WorkloadFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scenarios on plain JDK threads: one platform thread per agent, each agent's mailbox an
 * {@link ArrayBlockingQueue} of capacity {@value #MAILBOX_CAPACITY}. The agent's thread loops
 * {@code take()} and handles one message at a time; a sender blocks while the mailbox is full (the
 * back-pressure of a bounded queue, bounded by the 60 s deadline). What an agent does in each scenario
 * is in {@link ThreadPerAgentWorkloads}, shared with the virtual-thread system.
 *
 * <p>Threading: agent threads are daemon platform threads named {@code threads-agent-N}; the
 * benchmark thread drives each operation and closes (interrupts and joins) every thread.
 */
public final class ThreadWorkloads implements WorkloadFactory {

    /** Each agent's mailbox capacity. */
    public static final int MAILBOX_CAPACITY = 256;

    private final ThreadPerAgentWorkloads scenarios =
            new ThreadPerAgentWorkloads("threads", platformThreads(), () -> new ArrayBlockingQueue<>(MAILBOX_CAPACITY));

    private static ThreadFactory platformThreads() {
        final AtomicLong created = new AtomicLong();
        return body -> {
            final Thread thread = new Thread(body, "threads-agent-" + created.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

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

    /** n platform threads, each blocked in {@code take()} on its empty mailbox. */
    @Override
    public AutoCloseable idleAgents(final int agents) {
        return scenarios.idleAgents(agents);
    }
}

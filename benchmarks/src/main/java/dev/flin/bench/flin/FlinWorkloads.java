package dev.flin.bench.flin;

import dev.flin.bench.LatencyRecorder;
import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import dev.flin.bench.WorkloadFactory;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.spi.IdleStrategy;
import java.util.Objects;

/**
 * The scenarios on FLIN's reference runtime ({@code runtime-core}), as a user writes them: one
 * worker per core, default mailbox capacity (256) and batch size (32), and the given idle
 * strategy, which is the only thing that differs between the {@code flin-*} systems.
 *
 * <p>Threading: called by the benchmark thread.
 */
public final class FlinWorkloads implements WorkloadFactory {

    private final String system;
    private final IdleStrategy idleStrategy;

    /**
     * @param system       the system's name
     * @param idleStrategy what an idle worker does
     */
    public FlinWorkloads(final String system, final IdleStrategy idleStrategy) {
        this.system = Objects.requireNonNull(system, "system");
        this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
    }

    @Override
    public String system() {
        return system;
    }

    @Override
    public Workload oneToOne(final Params.OneToOne params) {
        return FlinCounting.oneToOne(system, idleStrategy, params);
    }

    @Override
    public Workload pingPong(final Params.PingPong params, final LatencyRecorder latency) {
        return FlinPairs.pingPong(system, idleStrategy, params, Objects.requireNonNull(latency, "latency"));
    }

    @Override
    public Workload manyToOne(final Params.ManyToOne params) {
        return FlinCounting.manyToOne(system, idleStrategy, params);
    }

    @Override
    public Workload manyPairs(final Params.ManyPairs params) {
        return FlinPairs.manyPairs(system, idleStrategy, params);
    }

    @Override
    public Workload spawnMessageStop(final Params.SpawnMessageStop params) {
        return new FlinLifecycles(system, idleStrategy, params);
    }

    @Override
    public Workload count(final Params.Count params) {
        return new FlinCount(system, idleStrategy, params);
    }

    @Override
    public Workload threadRing(final Params.ThreadRing params) {
        return new FlinThreadRing(system, idleStrategy, params);
    }

    @Override
    public Workload chameneos(final Params.Chameneos params) {
        return new FlinChameneos(system, idleStrategy, params);
    }

    @Override
    public Workload big(final Params.Big params) {
        return new FlinBig(system, idleStrategy, params);
    }

    @Override
    public Workload fjThroughput(final Params.FjThroughput params) {
        return new FlinFjThroughput(system, idleStrategy, params);
    }

    @Override
    public AutoCloseable idleAgents(final int agents) {
        final AgentRuntime runtime = FlinSupport.runtime(idleStrategy, system);
        for (int i = 0; i < agents; i++) {
            runtime.spawn(Void.class, Idle::new);
        }
        return () -> FlinSupport.shutdown(runtime, system);
    }

    /** Never gets a message: its type is {@code Void}, and null is never a message (rule 2.7). */
    private static final class Idle implements Agent<Void> {
        @Override
        public void onMessage(final Void message, final AgentContext<Void> context) {
            throw new IllegalStateException("an idle agent got a message (of type Void, so null)");
        }
    }
}

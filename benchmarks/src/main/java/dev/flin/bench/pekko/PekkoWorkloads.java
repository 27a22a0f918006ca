package dev.flin.bench.pekko;

import dev.flin.bench.LatencyRecorder;
import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import dev.flin.bench.WorkloadFactory;
import java.util.Objects;

/**
 * The scenarios on Apache Pekko typed actors, written with the Java API as a Pekko user would:
 * {@code AbstractBehavior}s with a sealed-interface-and-records protocol per actor, {@code tell}
 * only, death watch for termination.
 *
 * <p>Each workload has its own {@code ActorSystem}, created by the factory method with Pekko's
 * defaults: the default dispatcher (a fork-join executor, throughput 5) and the default unbounded
 * mailbox; only logging is made quiet. The system's user guardian spawns the long-lived actors on
 * request from the driver. The driver (the benchmark thread, outside the system) talks to the actors
 * with {@code ActorRef.tell} and learns that an operation is complete from a
 * {@link java.util.concurrent.CompletableFuture} it sends in a message and an actor completes with
 * the count the actors made. {@code close()} terminates the system and waits for it.
 *
 * <p>Threading: the factory methods are called by the benchmark thread; the actors run on the
 * default dispatcher's threads; only ManyToOneTell has threads of its own (its producers).
 */
public final class PekkoWorkloads implements WorkloadFactory {

    @Override
    public String system() {
        return PekkoSystem.SYSTEM;
    }

    @Override
    public Workload oneToOne(final Params.OneToOne params) {
        return OneToOneWorkload.start(Objects.requireNonNull(params, "params"));
    }

    @Override
    public Workload pingPong(final Params.PingPong params, final LatencyRecorder latency) {
        return PingPongWorkload.start(Objects.requireNonNull(params, "params"),
                Objects.requireNonNull(latency, "latency"));
    }

    @Override
    public Workload manyToOne(final Params.ManyToOne params) {
        return ManyToOneWorkload.start(Objects.requireNonNull(params, "params"));
    }

    @Override
    public Workload manyPairs(final Params.ManyPairs params) {
        return ManyPairsWorkload.start(Objects.requireNonNull(params, "params"));
    }

    @Override
    public Workload spawnMessageStop(final Params.SpawnMessageStop params) {
        return SpawnMessageStopWorkload.start(Objects.requireNonNull(params, "params"));
    }

    @Override
    public Workload count(final Params.Count params) {
        return CountWorkload.start(Objects.requireNonNull(params, "params"));
    }

    @Override
    public Workload threadRing(final Params.ThreadRing params) {
        return ThreadRingWorkload.start(Objects.requireNonNull(params, "params"));
    }

    @Override
    public Workload chameneos(final Params.Chameneos params) {
        return ChameneosWorkload.start(Objects.requireNonNull(params, "params"));
    }

    @Override
    public Workload big(final Params.Big params) {
        return BigWorkload.start(Objects.requireNonNull(params, "params"));
    }

    @Override
    public Workload fjThroughput(final Params.FjThroughput params) {
        return FjThroughputWorkload.start(Objects.requireNonNull(params, "params"));
    }

    @Override
    public AutoCloseable idleAgents(final int agents) throws Exception {
        return IdleAgents.start(agents);
    }
}

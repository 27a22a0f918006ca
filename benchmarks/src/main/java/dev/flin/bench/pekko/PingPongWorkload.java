package dev.flin.bench.pekko;

import dev.flin.bench.LatencyRecorder;
import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * PingPong on Pekko: one long-lived {@link Pinger} and one {@link Ponger}; the driver tells the
 * pinger to start and waits on the future the pinger completes with the round trips it counted.
 *
 * <pre>
 * benchmark thread --Start--&gt; pinger --Ping--&gt; ponger      (both on the default dispatcher)
 *                              ^                |
 *                              +------Pong------+
 * </pre>
 */
final class PingPongWorkload implements Workload {

    private static final String SCENARIO = "PingPong";

    private final PekkoSystem system;
    private final Params.PingPong params;
    private final ActorRef<Pinger.Command> pinger;

    private PingPongWorkload(final PekkoSystem system, final Params.PingPong params, final LatencyRecorder latency)
            throws Exception {
        this.system = system;
        this.params = params;
        final ActorRef<Ponger.Ping> ponger = system.spawn(Ponger.create(), "ponger");
        this.pinger = system.spawn(Pinger.create(ponger, params.roundTrips(), latency), "pinger");
    }

    /**
     * @param params  the scenario's parameters
     * @param latency receives each round trip's latency
     * @return the workload, its actor system, pinger and ponger started
     */
    static Workload start(final Params.PingPong params, final LatencyRecorder latency) {
        return PekkoSystem.build(SCENARIO, system -> new PingPongWorkload(system, params, latency));
    }

    @Override
    public long runOnce() throws Exception {
        final CompletableFuture<Long> roundTrips = new CompletableFuture<>();
        pinger.tell(new Pinger.Start(roundTrips));
        return PekkoSystem.await(roundTrips, SCENARIO,
                () -> PekkoSystem.progress(List.of(pinger), Pinger.Progress::new, "round trips"));
    }

    @Override
    public long expected() {
        return params.expected();
    }

    @Override
    public void close() throws Exception {
        system.close();
    }
}

package dev.flin.bench.pekko;

import dev.flin.bench.LatencyRecorder;
import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * ManyPairsEcho on Pekko: {@code pairs} long-lived {@link Pinger}/{@link Ponger} pairs (latency not
 * timed); the driver tells every pinger to start, then waits for the future each pinger completes
 * with its round trips, and sums them.
 *
 * <pre>
 * benchmark thread --Start--&gt; pinger i &lt;--Ping/Pong--&gt; ponger i    (i = 1..pairs, all actors on
 *                                                                 the default dispatcher)
 * </pre>
 */
final class ManyPairsWorkload implements Workload {

    private static final String SCENARIO = "ManyPairsEcho";

    private final PekkoSystem system;
    private final Params.ManyPairs params;
    private final List<ActorRef<Pinger.Command>> pingers;

    private ManyPairsWorkload(final PekkoSystem system, final Params.ManyPairs params) throws Exception {
        this.system = system;
        this.params = params;
        final List<ActorRef<Pinger.Command>> spawned = new ArrayList<>(params.pairs());
        for (int i = 0; i < params.pairs(); i++) {
            final ActorRef<Ponger.Ping> ponger = system.spawn(Ponger.create(), "ponger-" + i);
            spawned.add(system.spawn(Pinger.create(ponger, params.roundTripsPerPair(), LatencyRecorder.NONE),
                    "pinger-" + i));
        }
        this.pingers = List.copyOf(spawned);
    }

    /**
     * @param params the scenario's parameters
     * @return the workload, its actor system and pairs started
     */
    static Workload start(final Params.ManyPairs params) {
        return PekkoSystem.build(SCENARIO, system -> new ManyPairsWorkload(system, params));
    }

    @Override
    public long runOnce() throws Exception {
        final List<CompletableFuture<Long>> roundTrips = new ArrayList<>(pingers.size());
        for (final ActorRef<Pinger.Command> pinger : pingers) {
            final CompletableFuture<Long> pairDone = new CompletableFuture<>();
            roundTrips.add(pairDone);
            pinger.tell(new Pinger.Start(pairDone));
        }
        return PekkoSystem.awaitSum(roundTrips, SCENARIO, "round trips");
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

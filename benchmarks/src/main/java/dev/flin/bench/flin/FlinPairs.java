package dev.flin.bench.flin;

import dev.flin.bench.LatencyRecorder;
import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.spi.IdleStrategy;
import java.util.concurrent.CompletableFuture;

/**
 * Pairs of agents bouncing one message: {@code PingPong} (one pair, each round trip's latency
 * recorded by the pinger) and {@code ManyPairsEcho} (many pairs at once).
 *
 * <pre>
 * driver --Start--&gt; pinger --Ping--&gt; ponger
 *                      ^                |
 *                      +-----Pong-------+
 * </pre>
 */
final class FlinPairs implements Workload {

    /** The pinger's protocol. */
    sealed interface PingerMessage permits Start, Pong {
    }

    /** Do {@code roundTrips} round trips, then complete {@code done} with the count. */
    record Start(int roundTrips, CompletableFuture<Long> done) implements PingerMessage {
    }

    /** The answer to a ping; one instance is reused. */
    record Pong() implements PingerMessage {
    }

    /** A ping, carrying where to answer; each pinger reuses its own. */
    record Ping(AgentRef<PingerMessage> replyTo) {
    }

    private static final Pong PONG = new Pong();

    private final String system;
    private final String scenario;
    private final AgentRuntime runtime;
    private final AgentRef<PingerMessage>[] pingers;
    private final int roundTrips;

    @SuppressWarnings("unchecked")
    private FlinPairs(final String system, final String scenario, final IdleStrategy idle, final int pairs,
                      final int roundTrips, final LatencyRecorder latency) {
        this.system = system;
        this.scenario = scenario;
        this.roundTrips = roundTrips;
        this.runtime = FlinSupport.runtime(idle, system);
        this.pingers = new AgentRef[pairs];
        for (int i = 0; i < pairs; i++) {
            final AgentRef<Ping> ponger = runtime.spawn(Ping.class, Ponger::new);
            pingers[i] = runtime.spawn(PingerMessage.class, () -> new Pinger(ponger, latency));
        }
    }

    static Workload pingPong(final String system, final IdleStrategy idle, final Params.PingPong params,
                             final LatencyRecorder latency) {
        return new FlinPairs(system, "PingPong", idle, 1, params.roundTrips(), latency);
    }

    static Workload manyPairs(final String system, final IdleStrategy idle, final Params.ManyPairs params) {
        return new FlinPairs(system, "ManyPairsEcho", idle, params.pairs(), params.roundTripsPerPair(),
                LatencyRecorder.NONE);
    }

    @Override
    public long runOnce() throws Exception {
        @SuppressWarnings("unchecked")
        final CompletableFuture<Long>[] done = new CompletableFuture[pingers.length];
        for (int i = 0; i < pingers.length; i++) {
            done[i] = new CompletableFuture<>();
            FlinSupport.tellPatiently(pingers[i], new Start(roundTrips, done[i]));
        }
        long total = 0;
        for (final CompletableFuture<Long> pair : done) {
            total += FlinSupport.await(pair, scenario, system);
        }
        return total;
    }

    @Override
    public long expected() {
        return (long) pingers.length * roundTrips;
    }

    @Override
    public void close() {
        FlinSupport.shutdown(runtime, system);
    }

    /** Sends a ping, waits for its pong, records the round trip; owned by its agent. */
    private static final class Pinger implements Agent<PingerMessage> {
        private final AgentRef<Ping> ponger;
        private final LatencyRecorder latency;
        private Ping ping;
        private int remaining;
        private long count;
        private long sentAt;
        private CompletableFuture<Long> done;

        Pinger(final AgentRef<Ping> ponger, final LatencyRecorder latency) {
            this.ponger = ponger;
            this.latency = latency;
        }

        @Override
        public void onStart(final AgentContext<PingerMessage> context) {
            ping = new Ping(context.self());
        }

        @Override
        public void onMessage(final PingerMessage message, final AgentContext<PingerMessage> context) {
            if (message instanceof Pong) {
                latency.record(System.nanoTime() - sentAt);
                count++;
                if (--remaining == 0) {
                    done.complete(count);
                    return;
                }
            } else {
                final Start start = (Start) message;
                remaining = start.roundTrips();
                done = start.done();
                count = 0;
            }
            sentAt = System.nanoTime();
            ponger.tell(ping);
        }
    }

    /** Answers every ping with the shared pong. */
    private static final class Ponger implements Agent<Ping> {
        @Override
        public void onMessage(final Ping message, final AgentContext<Ping> context) {
            message.replyTo().tell(PONG);
        }
    }
}

package dev.flin.bench.flin;

import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.spi.IdleStrategy;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Savina "big": every agent pings agents picked at random, one ping at a time, and answers the
 * pings it receives.
 *
 * <pre>
 * agent i --Ping(i)--&gt; agent j (random)
 *    ^                    |
 *    +-------Pong---------+      x 120 agents, all at once
 * </pre>
 *
 * <p>Each agent has at most one ping of its own in flight, so a mailbox holds at most 119 pings and
 * one pong: the default capacity (256) never fills.
 */
final class FlinBig implements Workload {

    /** The protocol. */
    sealed interface BigMessage permits Peers, Start, Ping, Pong {
    }

    /** Everyone, by index (an immutable list). */
    record Peers(List<AgentRef<BigMessage>> all) implements BigMessage {
    }

    /** Send {@code pings} pings, then complete {@code done} with the pongs received. */
    record Start(int pings, CompletableFuture<Long> done) implements BigMessage {
    }

    /** A ping from the agent at {@code from}; each agent reuses its own. */
    record Ping(int from) implements BigMessage {
    }

    /** The answer to a ping; one instance is reused. */
    record Pong() implements BigMessage {
    }

    private static final Pong PONG = new Pong();

    private final String system;
    private final AgentRuntime runtime;
    private final List<AgentRef<BigMessage>> agents;
    private final int pings;

    FlinBig(final String system, final IdleStrategy idle, final Params.Big params) {
        this.system = system;
        this.pings = params.pingsPerAgent();
        this.runtime = FlinSupport.runtime(idle, system);
        @SuppressWarnings("unchecked")
        final AgentRef<BigMessage>[] refs = new AgentRef[params.agents()];
        for (int i = 0; i < refs.length; i++) {
            final int index = i;
            refs[i] = runtime.spawn(BigMessage.class, () -> new BigAgent(index));
        }
        this.agents = List.of(refs);
        final Peers peers = new Peers(agents);
        for (final AgentRef<BigMessage> agent : agents) {
            agent.tell(peers);
        }
    }

    @Override
    public long runOnce() throws Exception {
        @SuppressWarnings("unchecked")
        final CompletableFuture<Long>[] done = new CompletableFuture[agents.size()];
        for (int i = 0; i < done.length; i++) {
            done[i] = new CompletableFuture<>();
            agents.get(i).tell(new Start(pings, done[i]));
        }
        long pongs = 0;
        for (final CompletableFuture<Long> agent : done) {
            pongs += FlinSupport.await(agent, "SavinaBig", system);
        }
        return pongs;
    }

    @Override
    public long expected() {
        return (long) agents.size() * pings;
    }

    @Override
    public void close() {
        FlinSupport.shutdown(runtime, system);
    }

    /** Pings at random, answers pings. */
    private static final class BigAgent implements Agent<BigMessage> {
        private final int index;
        private final Ping ping;
        private final SplittableRandom random;
        private List<AgentRef<BigMessage>> peers;
        private int remaining;
        private long pongs;
        private CompletableFuture<Long> done;

        BigAgent(final int index) {
            this.index = index;
            this.ping = new Ping(index);
            this.random = new SplittableRandom(index);
        }

        @Override
        public void onMessage(final BigMessage message, final AgentContext<BigMessage> context) {
            if (message instanceof Ping ping) {
                peers.get(ping.from()).tell(PONG);
            } else if (message instanceof Pong) {
                pongs++;
                if (--remaining == 0) {
                    done.complete(pongs);
                } else {
                    pingSomeone();
                }
            } else if (message instanceof Start start) {
                remaining = start.pings();
                done = start.done();
                pongs = 0;
                pingSomeone();
            } else {
                peers = ((Peers) message).all();
            }
        }

        private void pingSomeone() {
            int target = random.nextInt(peers.size() - 1);
            if (target >= index) {
                target++;
            }
            peers.get(target).tell(ping);
        }
    }
}

package dev.flin.bench.pekko;

import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Savina "big" on Pekko: {@code agents} long-lived {@link Peer}s, each told every peer after all are
 * spawned. The driver tells every peer to start with its own future; a peer pings a peer other than
 * itself picked by its own {@link SplittableRandom} (seeded with its index at each start), sends its
 * next ping on each pong until it has received its pongs, then completes its future with that count.
 * Every peer answers every ping it receives with a pong to the sender.
 *
 * <pre>
 * peer i --Ping(self)--&gt; peer j (random, j != i) --Pong--&gt; peer i     (all peers, all at once)
 * </pre>
 *
 * <p>Threading: every peer runs on the default dispatcher.
 */
final class BigWorkload implements Workload {

    private static final String SCENARIO = "SavinaBig";

    /**
     * One agent of "big".
     *
     * <p>Threading: runs on the default dispatcher.
     */
    static final class Peer extends AbstractBehavior<Peer.Command> {

        /** A peer's protocol. */
        sealed interface Command permits Link, Start, Ping, Pong {
        }

        /** Every peer, this one at its index; complete {@code linked} when known. */
        record Link(List<ActorRef<Command>> peers, CompletableFuture<Void> linked) implements Command {
            Link {
                peers = List.copyOf(peers);
                Objects.requireNonNull(linked, "linked");
            }
        }

        /** Start an operation; complete {@code pongs} with the pongs received. */
        record Start(CompletableFuture<Long> pongs) implements Command {
            Start {
                Objects.requireNonNull(pongs, "pongs");
            }
        }

        /** A ping; answer to {@code sender}. */
        record Ping(ActorRef<Pong> sender) implements Command {
            Ping {
                Objects.requireNonNull(sender, "sender");
            }
        }

        /** The answer to a ping. It carries nothing, so peers reuse {@link #INSTANCE}. */
        record Pong() implements Command {
            /** The one instance peers tell. */
            static final Pong INSTANCE = new Pong();
        }

        private final int index;
        private final int pingsPerAgent;
        /** Immutable and always the same (it names this peer as the one to answer), so it is reused. */
        private final Ping ping;
        private List<ActorRef<Command>> peers;
        private SplittableRandom random;
        private long pongs;
        /** The current operation's future, or null between operations. */
        private CompletableFuture<Long> done;

        private Peer(final ActorContext<Command> context, final int index, final int pingsPerAgent) {
            super(context);
            this.index = index;
            this.pingsPerAgent = pingsPerAgent;
            this.ping = new Ping(context.getSelf().narrow());
        }

        static Behavior<Command> create(final int index, final int pingsPerAgent) {
            return Behaviors.setup(context -> new Peer(context, index, pingsPerAgent));
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Ping.class, this::onPing)
                    .onMessage(Pong.class, this::onPong)
                    .onMessage(Start.class, this::onStart)
                    .onMessage(Link.class, this::onLink)
                    .build();
        }

        private Behavior<Command> onLink(final Link link) {
            peers = link.peers();
            link.linked().complete(null);
            return this;
        }

        private Behavior<Command> onStart(final Start start) {
            if (done != null) {
                start.pongs().completeExceptionally(new IllegalStateException("an operation is already running"));
                return this;
            }
            done = start.pongs();
            random = new SplittableRandom(index);
            pongs = 0;
            sendPing();
            return this;
        }

        private Behavior<Command> onPing(final Ping received) {
            received.sender().tell(Pong.INSTANCE);
            return this;
        }

        private Behavior<Command> onPong(final Pong pong) {
            if (++pongs == pingsPerAgent) {
                final CompletableFuture<Long> finished = done;
                done = null;
                finished.complete(pongs);
            } else {
                sendPing();
            }
            return this;
        }

        /** Pings a peer other than this one, picked at random. */
        private void sendPing() {
            int target = random.nextInt(peers.size() - 1);
            if (target >= index) {
                target++;
            }
            peers.get(target).tell(ping);
        }
    }

    private final PekkoSystem system;
    private final Params.Big params;
    private final List<ActorRef<Peer.Command>> peers;

    private BigWorkload(final PekkoSystem system, final Params.Big params) throws Exception {
        this.system = system;
        this.params = params;
        final List<ActorRef<Peer.Command>> spawned = new ArrayList<>(params.agents());
        for (int i = 0; i < params.agents(); i++) {
            spawned.add(system.spawn(Peer.create(i, params.pingsPerAgent()), "peer-" + i));
        }
        this.peers = List.copyOf(spawned);
        for (final ActorRef<Peer.Command> peer : peers) {
            final CompletableFuture<Void> linked = new CompletableFuture<>();
            peer.tell(new Peer.Link(peers, linked));
            PekkoSystem.await(linked, SCENARIO, () -> "peers not all linked yet");
        }
    }

    /**
     * @param params the scenario's parameters; at least two agents, since an agent never pings itself
     * @return the workload, its actor system and linked peers started
     * @throws IllegalArgumentException when there are fewer than two agents
     */
    static Workload start(final Params.Big params) {
        if (params.agents() < 2) {
            throw new IllegalArgumentException("SavinaBig needs at least 2 agents (an agent never pings itself), was "
                    + params.agents());
        }
        return PekkoSystem.build(SCENARIO, system -> new BigWorkload(system, params));
    }

    @Override
    public long runOnce() throws Exception {
        final List<CompletableFuture<Long>> pongs = new ArrayList<>(peers.size());
        for (final ActorRef<Peer.Command> peer : peers) {
            final CompletableFuture<Long> finished = new CompletableFuture<>();
            pongs.add(finished);
            peer.tell(new Peer.Start(finished));
        }
        return PekkoSystem.awaitSum(pongs, SCENARIO, "pongs");
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

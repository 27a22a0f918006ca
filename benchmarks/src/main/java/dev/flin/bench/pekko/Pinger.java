package dev.flin.bench.pekko;

import dev.flin.bench.LatencyRecorder;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The driving half of a ping-pong pair: on {@link Start} it sends a ping to its {@link Ponger}, and
 * on each pong the next one, one at a time, until it has counted its round trips; then it completes
 * the start's future with that count. Unless its latency recorder is {@link LatencyRecorder#NONE},
 * it takes {@link System#nanoTime()} just before each ping and records the round trip on its pong.
 *
 * <pre>
 * driver --Start--&gt; pinger --Ping--&gt; ponger
 *                     ^                |
 *                     +------Pong------+
 * </pre>
 *
 * <p>Threading: runs on the default dispatcher; the latency recorder is called on the pinger's
 * turn only.
 */
final class Pinger extends AbstractBehavior<Pinger.Command> {

    /** The pinger's protocol. */
    sealed interface Command permits Start, Pong, Progress {
    }

    /** Start an operation of the pinger's round trips; complete {@code roundTrips} with the count. */
    record Start(CompletableFuture<Long> roundTrips) implements Command {
        Start {
            Objects.requireNonNull(roundTrips, "roundTrips");
        }
    }

    /** The answer to a ping. It carries nothing, so pongers reuse {@link #INSTANCE}. */
    record Pong() implements Command {
        /** The one instance pongers tell. */
        static final Pong INSTANCE = new Pong();
    }

    /** Complete {@code roundTrips} with the round trips of the current operation so far. */
    record Progress(CompletableFuture<Long> roundTrips) implements Command {
        Progress {
            Objects.requireNonNull(roundTrips, "roundTrips");
        }
    }

    private final ActorRef<Ponger.Ping> ponger;
    /** Immutable and always the same (it names this pinger as the one to answer), so it is reused. */
    private final Ponger.Ping ping;
    private final int roundTrips;
    private final LatencyRecorder latency;
    private final boolean timed;

    /** The current operation's future, or null between operations. */
    private CompletableFuture<Long> done;
    private long completed;
    private long sentAt;

    private Pinger(final ActorContext<Command> context, final ActorRef<Ponger.Ping> ponger, final int roundTrips,
            final LatencyRecorder latency) {
        super(context);
        this.ponger = ponger;
        this.ping = new Ponger.Ping(context.getSelf().narrow());
        this.roundTrips = roundTrips;
        this.latency = latency;
        this.timed = latency != LatencyRecorder.NONE;
    }

    /**
     * @param ponger     the ponger to ping
     * @param roundTrips round trips per operation
     * @param latency    receives each round trip's latency; {@link LatencyRecorder#NONE} to not time them
     * @return the pinger's behavior
     */
    static Behavior<Command> create(final ActorRef<Ponger.Ping> ponger, final int roundTrips,
            final LatencyRecorder latency) {
        Objects.requireNonNull(ponger, "ponger");
        Objects.requireNonNull(latency, "latency");
        return Behaviors.setup(context -> new Pinger(context, ponger, roundTrips, latency));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Pong.class, this::onPong)
                .onMessage(Start.class, this::onStart)
                .onMessage(Progress.class, this::onProgress)
                .build();
    }

    private Behavior<Command> onStart(final Start start) {
        if (done != null) {
            start.roundTrips().completeExceptionally(new IllegalStateException("an operation is already running"));
            return this;
        }
        done = start.roundTrips();
        completed = 0;
        sendPing();
        return this;
    }

    private Behavior<Command> onPong(final Pong pong) {
        if (timed) {
            latency.record(System.nanoTime() - sentAt);
        }
        if (++completed == roundTrips) {
            final CompletableFuture<Long> finished = done;
            done = null;
            finished.complete(completed);
        } else {
            sendPing();
        }
        return this;
    }

    private void sendPing() {
        if (timed) {
            sentAt = System.nanoTime();
        }
        ponger.tell(ping);
    }

    private Behavior<Command> onProgress(final Progress progress) {
        progress.roundTrips().complete(completed);
        return this;
    }
}

package dev.flin.bench.pekko;

import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * SpawnMessageStop on Pekko: the driver tells a long-lived {@link Parent} to spawn a batch; the
 * parent spawns that many anonymous children, watches each and tells each one {@link Hello}. A child
 * handles its message by stopping itself ({@code Behaviors.stopped()}): handling the message is the
 * only way a child stops normally (a failure reaches the parent as {@link ChildFailed} instead). The
 * parent counts the {@link Terminated} signals Pekko's death watch delivers for children that stopped
 * that way, and completes the batch's future with that count once every child has terminated.
 *
 * <pre>
 * benchmark thread --SpawnBatch(n)--&gt; parent --spawn, watch, Hello--&gt; child x n --stopped--&gt;
 *                                       ^                                          |
 *                                       +--------------Terminated signal-----------+
 * </pre>
 *
 * <p>Threading: the parent and the children run on the default dispatcher.
 */
final class SpawnMessageStopWorkload implements Workload {

    private static final String SCENARIO = "SpawnMessageStop";

    /** A child's one message. It carries nothing, so the parent reuses {@link #INSTANCE}. */
    record Hello() {
        /** The one instance the parent tells. */
        static final Hello INSTANCE = new Hello();
    }

    /** A child: stops itself on handling its message. Stateless, so every child shares it. */
    private static final Behavior<Hello> CHILD = Behaviors.receive(Hello.class)
            .onMessage(Hello.class, hello -> Behaviors.stopped())
            .build();

    /**
     * Spawns, watches and greets batches of children; counts their terminations.
     *
     * <p>Threading: runs on the default dispatcher.
     */
    static final class Parent extends AbstractBehavior<Parent.Command> {

        /** The parent's protocol. */
        sealed interface Command permits SpawnBatch, Progress {
        }

        /** Spawn {@code agents} children; complete {@code terminated} with the count that terminated after their message. */
        record SpawnBatch(int agents, CompletableFuture<Long> terminated) implements Command {
            SpawnBatch {
                Objects.requireNonNull(terminated, "terminated");
            }
        }

        /** Complete {@code terminated} with the children of the current batch terminated so far. */
        record Progress(CompletableFuture<Long> terminated) implements Command {
            Progress {
                Objects.requireNonNull(terminated, "terminated");
            }
        }

        /** The current batch's future, or null between batches. */
        private CompletableFuture<Long> done;
        private int expected;
        private long stopped;
        private long failed;

        private Parent(final ActorContext<Command> context) {
            super(context);
        }

        static Behavior<Command> create() {
            return Behaviors.setup(Parent::new);
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onSignal(ChildFailed.class, this::onChildFailed)
                    .onSignal(Terminated.class, this::onTerminated)
                    .onMessage(SpawnBatch.class, this::onSpawnBatch)
                    .onMessage(Progress.class, this::onProgress)
                    .build();
        }

        private Behavior<Command> onSpawnBatch(final SpawnBatch batch) {
            if (done != null) {
                batch.terminated().completeExceptionally(new IllegalStateException("a batch is already running"));
                return this;
            }
            done = batch.terminated();
            expected = batch.agents();
            stopped = 0;
            failed = 0;
            final ActorContext<Command> context = getContext();
            for (int i = 0; i < expected; i++) {
                final ActorRef<Hello> child = context.spawnAnonymous(CHILD);
                context.watch(child);
                child.tell(Hello.INSTANCE);
            }
            return this;
        }

        private Behavior<Command> onTerminated(final Terminated terminated) {
            stopped++;
            return finishIfAllTerminated();
        }

        private Behavior<Command> onChildFailed(final ChildFailed childFailed) {
            failed++;
            return finishIfAllTerminated();
        }

        private Behavior<Command> finishIfAllTerminated() {
            if (done != null && stopped + failed == expected) {
                final CompletableFuture<Long> finished = done;
                done = null;
                finished.complete(stopped);
            }
            return this;
        }

        private Behavior<Command> onProgress(final Progress progress) {
            progress.terminated().complete(stopped);
            return this;
        }
    }

    private final PekkoSystem system;
    private final Params.SpawnMessageStop params;
    private final ActorRef<Parent.Command> parent;

    private SpawnMessageStopWorkload(final PekkoSystem system, final Params.SpawnMessageStop params) throws Exception {
        this.system = system;
        this.params = params;
        this.parent = system.spawn(Parent.create(), "parent");
    }

    /**
     * @param params the scenario's parameters
     * @return the workload, its actor system and parent started
     */
    static Workload start(final Params.SpawnMessageStop params) {
        return PekkoSystem.build(SCENARIO, system -> new SpawnMessageStopWorkload(system, params));
    }

    @Override
    public long runOnce() throws Exception {
        final CompletableFuture<Long> terminated = new CompletableFuture<>();
        parent.tell(new Parent.SpawnBatch(params.agents(), terminated));
        return PekkoSystem.await(terminated, SCENARIO,
                () -> PekkoSystem.progress(List.of(parent), Parent.Progress::new, "children terminated"));
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

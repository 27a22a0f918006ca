package dev.flin.bench.pekko;

import dev.flin.bench.Params;
import dev.flin.bench.Work;
import dev.flin.bench.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Savina "fjthrput" on Pekko: {@code agents} long-lived {@link Folder}s. The driver tells each one
 * to begin with its own future, then for i in 0..messagesPerAgent-1 tells each agent in turn
 * {@link Folder.Compute}(i) (made once, with the workload, and reused); each agent folds
 * {@link Work#compute(long)} of i into its state and, having processed the operation's
 * {@code messagesPerAgent}-th message, completes its future with the count it processed.
 *
 * <pre>
 * benchmark thread --Compute(i), i = 0..M-1--&gt; folder 1 .. folder N   (round robin; folders on the
 *                                                                      default dispatcher)
 * </pre>
 */
final class FjThroughputWorkload implements Workload {

    private static final String SCENARIO = "SavinaFjThroughput";

    /**
     * One agent of "fjthrput".
     *
     * <p>Threading: runs on the default dispatcher.
     */
    static final class Folder extends AbstractBehavior<Folder.Command> {

        /** A folder's protocol. */
        sealed interface Command permits Begin, Compute {
        }

        /** Begin an operation; complete {@code processed} with the count after the last message. */
        record Begin(CompletableFuture<Long> processed) implements Command {
            Begin {
                Objects.requireNonNull(processed, "processed");
            }
        }

        /** Fold {@code Work.compute(seed)} into the state. */
        record Compute(long seed) implements Command {
        }

        private final int messagesPerAgent;
        /** What the work folds into, so that it cannot be left out. */
        @SuppressWarnings("UnusedVariable") // written only: a heap store the JIT must keep
        private long state;
        private long processed;
        /** The current operation's future, or null between operations. */
        private CompletableFuture<Long> done;

        private Folder(final ActorContext<Command> context, final int messagesPerAgent) {
            super(context);
            this.messagesPerAgent = messagesPerAgent;
        }

        static Behavior<Command> create(final int messagesPerAgent) {
            return Behaviors.setup(context -> new Folder(context, messagesPerAgent));
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Compute.class, this::onCompute)
                    .onMessage(Begin.class, this::onBegin)
                    .build();
        }

        private Behavior<Command> onBegin(final Begin begin) {
            if (done != null) {
                begin.processed().completeExceptionally(new IllegalStateException("an operation is already running"));
                return this;
            }
            done = begin.processed();
            processed = 0;
            return this;
        }

        private Behavior<Command> onCompute(final Compute compute) {
            state += Work.compute(compute.seed());
            if (++processed == messagesPerAgent && done != null) {
                final CompletableFuture<Long> finished = done;
                done = null;
                finished.complete(processed);
            }
            return this;
        }
    }

    private final PekkoSystem system;
    private final Params.FjThroughput params;
    private final List<ActorRef<Folder.Command>> folders;
    /** {@code Compute(i)} at index i: immutable, so the driver reuses them in every operation. */
    private final List<Folder.Compute> messages;

    private FjThroughputWorkload(final PekkoSystem system, final Params.FjThroughput params) throws Exception {
        this.system = system;
        this.params = params;
        final List<ActorRef<Folder.Command>> spawned = new ArrayList<>(params.agents());
        for (int i = 0; i < params.agents(); i++) {
            spawned.add(system.spawn(Folder.create(params.messagesPerAgent()), "folder-" + i));
        }
        this.folders = List.copyOf(spawned);
        final List<Folder.Compute> computes = new ArrayList<>(params.messagesPerAgent());
        for (int i = 0; i < params.messagesPerAgent(); i++) {
            computes.add(new Folder.Compute(i));
        }
        this.messages = List.copyOf(computes);
    }

    /**
     * @param params the scenario's parameters
     * @return the workload, its actor system and agents started
     */
    static Workload start(final Params.FjThroughput params) {
        return PekkoSystem.build(SCENARIO, system -> new FjThroughputWorkload(system, params));
    }

    @Override
    public long runOnce() throws Exception {
        final List<CompletableFuture<Long>> processed = new ArrayList<>(folders.size());
        for (final ActorRef<Folder.Command> folder : folders) {
            final CompletableFuture<Long> finished = new CompletableFuture<>();
            processed.add(finished);
            folder.tell(new Folder.Begin(finished));
        }
        final int agents = folders.size();
        for (final Folder.Compute message : messages) {
            for (int a = 0; a < agents; a++) {
                folders.get(a).tell(message);
            }
        }
        return PekkoSystem.awaitSum(processed, SCENARIO, "messages processed");
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

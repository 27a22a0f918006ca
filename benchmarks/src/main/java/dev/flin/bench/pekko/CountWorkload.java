package dev.flin.bench.pekko;

import dev.flin.bench.Params;
import dev.flin.bench.Workload;
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
 * Savina "count" on Pekko: a long-lived {@link Producer} and {@link Counter}. The driver tells the
 * producer to start; in that one handler the producer tells the counter every increment (Pekko's
 * default mailbox is unbounded, so the sends never block or fail), then a {@link Counter.Retrieve}
 * naming itself; the counter answers with its {@link Producer.Total} and starts again from zero, and
 * the producer completes the driver's future with that total.
 *
 * <pre>
 * benchmark thread --Start--&gt; producer --Increment x N, Retrieve--&gt; counter
 *        ^                      |   ^                                  |
 *        +------total-----------+   +--------------Total---------------+
 * </pre>
 *
 * <p>Threading: both actors run on the default dispatcher.
 */
@SuppressWarnings("SameNameButDifferent") // each actor declares its own Command protocol, as Pekko's style guide does
final class CountWorkload implements Workload {

    private static final String SCENARIO = "SavinaCount";

    /**
     * Sends the increments and hands the counter's total to the driver.
     *
     * <p>Threading: runs on the default dispatcher.
     */
    static final class Producer extends AbstractBehavior<Producer.Command> {

        /** The producer's protocol. */
        sealed interface Command permits Start, Total {
        }

        /** Send the increments; complete {@code total} with the counter's answer. */
        record Start(CompletableFuture<Long> total) implements Command {
            Start {
                Objects.requireNonNull(total, "total");
            }
        }

        /** The counter's total. */
        record Total(long count) implements Command {
        }

        private final ActorRef<Counter.Command> counter;
        private final int increments;
        /** Immutable and always the same (it names this producer as the one to answer), so it is reused. */
        private final Counter.Retrieve retrieve;
        /** The current operation's future, or null between operations. */
        private CompletableFuture<Long> done;

        private Producer(final ActorContext<Command> context, final ActorRef<Counter.Command> counter,
                final int increments) {
            super(context);
            this.counter = counter;
            this.increments = increments;
            this.retrieve = new Counter.Retrieve(context.getSelf().narrow());
        }

        static Behavior<Command> create(final ActorRef<Counter.Command> counter, final int increments) {
            Objects.requireNonNull(counter, "counter");
            return Behaviors.setup(context -> new Producer(context, counter, increments));
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Start.class, this::onStart)
                    .onMessage(Total.class, this::onTotal)
                    .build();
        }

        private Behavior<Command> onStart(final Start start) {
            if (done != null) {
                start.total().completeExceptionally(new IllegalStateException("an operation is already running"));
                return this;
            }
            done = start.total();
            final Counter.Increment increment = Counter.Increment.INSTANCE;
            for (int i = increments; i > 0; i--) {
                counter.tell(increment);
            }
            counter.tell(retrieve);
            return this;
        }

        private Behavior<Command> onTotal(final Total total) {
            final CompletableFuture<Long> finished = done;
            done = null;
            if (finished != null) {
                finished.complete(total.count());
            }
            return this;
        }
    }

    /**
     * Counts increments; answers a retrieve with its total and starts again from zero.
     *
     * <p>Threading: runs on the default dispatcher.
     */
    static final class Counter extends AbstractBehavior<Counter.Command> {

        /** The counter's protocol. */
        sealed interface Command permits Increment, Retrieve, Progress {
        }

        /** One increment. It carries nothing, so the producer reuses {@link #INSTANCE}. */
        record Increment() implements Command {
            /** The one instance the producer tells. */
            static final Increment INSTANCE = new Increment();
        }

        /** Tell {@code replyTo} the total, then count from zero. */
        record Retrieve(ActorRef<Producer.Total> replyTo) implements Command {
            Retrieve {
                Objects.requireNonNull(replyTo, "replyTo");
            }
        }

        /** Complete {@code count} with the increments counted so far (for a timeout's message). */
        record Progress(CompletableFuture<Long> count) implements Command {
            Progress {
                Objects.requireNonNull(count, "count");
            }
        }

        private long count;

        private Counter(final ActorContext<Command> context) {
            super(context);
        }

        static Behavior<Command> create() {
            return Behaviors.setup(Counter::new);
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Increment.class, this::onIncrement)
                    .onMessage(Retrieve.class, this::onRetrieve)
                    .onMessage(Progress.class, this::onProgress)
                    .build();
        }

        private Behavior<Command> onIncrement(final Increment increment) {
            count++;
            return this;
        }

        private Behavior<Command> onRetrieve(final Retrieve retrieve) {
            retrieve.replyTo().tell(new Producer.Total(count));
            count = 0;
            return this;
        }

        private Behavior<Command> onProgress(final Progress progress) {
            progress.count().complete(count);
            return this;
        }
    }

    private final PekkoSystem system;
    private final Params.Count params;
    private final ActorRef<Producer.Command> producer;
    private final ActorRef<Counter.Command> counter;

    private CountWorkload(final PekkoSystem system, final Params.Count params) throws Exception {
        this.system = system;
        this.params = params;
        this.counter = system.spawn(Counter.create(), "counter");
        this.producer = system.spawn(Producer.create(counter, params.increments()), "producer");
    }

    /**
     * @param params the scenario's parameters
     * @return the workload, its actor system, producer and counter started
     */
    static Workload start(final Params.Count params) {
        return PekkoSystem.build(SCENARIO, system -> new CountWorkload(system, params));
    }

    @Override
    public long runOnce() throws Exception {
        final CompletableFuture<Long> total = new CompletableFuture<>();
        producer.tell(new Producer.Start(total));
        return PekkoSystem.await(total, SCENARIO, () -> "the producer had not reported the total; "
                + PekkoSystem.progress(List.of(counter), Counter.Progress::new, "increments"));
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

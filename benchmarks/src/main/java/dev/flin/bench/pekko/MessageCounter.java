package dev.flin.bench.pekko;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * An actor that counts the increments told to it, for the fan-in scenarios: on {@link Report} it
 * completes the report's future with its count since the previous report and starts again from zero.
 *
 * <pre>
 * sender(s) --Increment...--&gt; [mailbox] --&gt; MessageCounter --Report--&gt; future
 * </pre>
 *
 * <p>Threading: runs on the default dispatcher; the senders are threads outside the actor system.
 */
final class MessageCounter extends AbstractBehavior<MessageCounter.Command> {

    /** The counter's protocol. */
    sealed interface Command permits Increment, Report, Progress {
    }

    /** One increment. It carries nothing, so senders reuse {@link #INSTANCE}. */
    record Increment() implements Command {
        /** The one instance senders tell. */
        static final Increment INSTANCE = new Increment();
    }

    /** Complete {@code count} with the increments counted since the last report, then count from zero. */
    record Report(CompletableFuture<Long> count) implements Command {
        Report {
            Objects.requireNonNull(count, "count");
        }
    }

    /** Complete {@code count} with the increments counted so far (for a timeout's message). */
    record Progress(CompletableFuture<Long> count) implements Command {
        Progress {
            Objects.requireNonNull(count, "count");
        }
    }

    private long count;

    private MessageCounter(final ActorContext<Command> context) {
        super(context);
    }

    /** @return the counter's behavior */
    static Behavior<Command> create() {
        return Behaviors.setup(MessageCounter::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Increment.class, this::onIncrement)
                .onMessage(Report.class, this::onReport)
                .onMessage(Progress.class, this::onProgress)
                .build();
    }

    private Behavior<Command> onIncrement(final Increment increment) {
        count++;
        return this;
    }

    private Behavior<Command> onReport(final Report report) {
        report.count().complete(count);
        count = 0;
        return this;
    }

    private Behavior<Command> onProgress(final Progress progress) {
        progress.count().complete(count);
        return this;
    }
}

package dev.flin.flow.tck;

import dev.flin.flow.TopicPublisher;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The publisher the TCK needs, "exactly {@code elements} elements, then complete", built from a
 * {@link TopicPublisher} as users would build one: each subscriber gets a topic of its own, a
 * feeder agent publishes {@code 0, 1, ... elements - 1} on it and then {@link #END}, the event the
 * publisher completes on. The topic is lossy (rule 6.6), so the feeder publishes an event again
 * until the subscriber took it: {@code publish} says 0 while the subscriber's buffer is full, and
 * {@code subscriberCount} 0 once it is gone (cancelled or completed), when the feeder stops.
 * {@code elements == Long.MAX_VALUE} is an endless stream.
 *
 * <p>Threading: {@link #subscribe} from any thread, as the TCK does.
 */
final class FiniteTopicStream implements Flow.Publisher<Long> {

    /** The completing event. */
    static final long END = -1L;
    /** How many events the feeder publishes before it yields its worker. */
    private static final int BURST = 64;

    private final AgentRuntime runtime;
    private final long elements;
    private final int bufferCapacity;
    private final AtomicLong subscriptions = new AtomicLong();

    FiniteTopicStream(final AgentRuntime runtime, final long elements, final int bufferCapacity) {
        this.runtime = runtime;
        this.elements = elements;
        this.bufferCapacity = bufferCapacity;
    }

    @Override
    public void subscribe(final Flow.Subscriber<? super Long> subscriber) {
        final Topic<Long> topic = Topic.of("tck-" + System.identityHashCode(this) + "-" + subscriptions.incrementAndGet(),
                Long.class);
        TopicPublisher.of(runtime, topic, bufferCapacity).completingOn(event -> event == END).subscribe(subscriber);
        if (runtime.subscriberCount(topic) > 0) {
            runtime.spawn(Feed.class, () -> new Feeder(topic, elements));
        }
    }

    /** The feeder's one message: publish what comes next. */
    enum Feed { NEXT }

    /** Publishes the stream on its topic, each event again until it was taken. */
    private static final class Feeder implements Agent<Feed> {
        private final Topic<Long> topic;
        private final long elements;
        private long next;

        Feeder(final Topic<Long> topic, final long elements) {
            this.topic = topic;
            this.elements = elements;
        }

        @Override
        public void onStart(final AgentContext<Feed> context) {
            context.self().tell(Feed.NEXT);
        }

        @Override
        public void onMessage(final Feed message, final AgentContext<Feed> context) {
            final AgentRuntime runtime = context.runtime();
            try {
                for (int i = 0; i < BURST; i++) {
                    final long event = next < elements ? next : END;
                    if (runtime.publish(topic, event) == 0) {
                        if (runtime.subscriberCount(topic) == 0) {
                            context.stop(); // cancelled: nobody to feed
                        } else {
                            context.timers().startSingle(Feed.NEXT, Feed.NEXT, Duration.ofMillis(1)); // full: again later
                        }
                        return;
                    }
                    if (event == END) {
                        context.stop();
                        return;
                    }
                    next++;
                }
            } catch (final RuntimeStoppedException shutDown) {
                return;
            }
            context.self().tell(Feed.NEXT);
        }
    }
}

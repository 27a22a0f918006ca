package dev.flin.flow.tck;

import dev.flin.flow.AgentSubscriber;
import dev.flin.flow.FlowMessages;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.core.FlinRuntime;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;
import org.testng.annotations.AfterClass;

/**
 * The Reactive Streams TCK's subscriber rules (black box), run against {@link AgentSubscriber}
 * feeding a sink agent on the real runtime. The sink stops at the stream's end, so its bridge's
 * death watch has something to see.
 */
public class AgentSubscriberBlackboxVerification extends FlowSubscriberBlackboxVerification<Integer> {

    static final int WINDOW = 16;

    private final AgentRuntime runtime = FlinRuntime.create();
    private final ExecutorService publisherThreads = Executors.newFixedThreadPool(2);

    public AgentSubscriberBlackboxVerification() {
        super(new TestEnvironment(TopicPublisherVerification.DEFAULT_TIMEOUT_MILLIS,
                TopicPublisherVerification.NO_SIGNALS_TIMEOUT_MILLIS, TopicPublisherVerification.POLL_TIMEOUT_MILLIS));
    }

    /** The sink's messages. */
    sealed interface Sink permits Element, End {
    }

    /** An element. */
    record Element(Integer value) implements Sink {
    }

    /** The end, completed or failed. */
    record End(Throwable error) implements Sink {
    }

    @Override
    public Flow.Subscriber<Integer> createFlowSubscriber() {
        final AgentRef<Sink> sink = runtime.spawn(Sink.class, () -> (message, context) -> {
            if (message instanceof End) {
                context.stop();
            }
        }, SpawnOptions.defaults().withMailboxCapacity(WINDOW + 1));
        return AgentSubscriber.create(runtime, sink,
                FlowMessages.of(Element::new, () -> new End(null), End::new), WINDOW);
    }

    @Override
    public Integer createElement(final int element) {
        return element;
    }

    @Override
    public ExecutorService publisherExecutorService() {
        return publisherThreads;
    }

    @AfterClass
    public void shutdown() {
        publisherThreads.shutdownNow();
        runtime.shutdown(Duration.ofSeconds(10));
    }
}

package dev.flin.flow.tck;

import dev.flin.flow.TopicPublisher;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.FlinRuntime;
import java.time.Duration;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;

/**
 * The Reactive Streams TCK's publisher rules, run against {@link TopicPublisher} on the real
 * runtime (worker pool). The finite streams the TCK asks for are {@link FiniteTopicStream}s; the
 * failed publisher is a {@code TopicPublisher} of a runtime that has shut down, which signals
 * {@code onSubscribe} then {@code onError} (Reactive Streams rule 1.9).
 *
 * <p>Timeouts are the TCK's knobs for slow machines (500 ms for an expected signal, 200 ms of
 * silence for "no signal", 1 s before looking for a dropped subscriber reference): they bound how
 * long the TCK waits, and a correct publisher passes with any of them.
 */
public class TopicPublisherVerification extends FlowPublisherVerification<Long> {

    static final long DEFAULT_TIMEOUT_MILLIS = 500;
    static final long NO_SIGNALS_TIMEOUT_MILLIS = 200;
    static final long POLL_TIMEOUT_MILLIS = 20;
    static final long GC_TIMEOUT_MILLIS = 1000;
    /** Small, so that the streams fill the buffer and exercise the pause and the resume. */
    static final int BUFFER = 4;

    private final AgentRuntime runtime = FlinRuntime.create();
    private final AgentRuntime stopped = FlinRuntime.create();

    public TopicPublisherVerification() {
        super(new TestEnvironment(DEFAULT_TIMEOUT_MILLIS, NO_SIGNALS_TIMEOUT_MILLIS, POLL_TIMEOUT_MILLIS), GC_TIMEOUT_MILLIS);
        stopped.shutdown(Duration.ofSeconds(5));
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(final long elements) {
        return new FiniteTopicStream(runtime, elements, BUFFER);
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return TopicPublisher.of(stopped, Topic.of("failed", Long.class), BUFFER);
    }

    @AfterClass
    public void shutdown() {
        runtime.shutdown(Duration.ofSeconds(10));
    }
}

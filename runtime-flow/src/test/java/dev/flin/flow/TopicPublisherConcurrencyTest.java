package dev.flin.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.FlinRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TopicPublisher} on the worker pool, with requests and publishes from many threads: the
 * park hand-shake between the agent's pause and a request that races it must never lose a request
 * (a lost one would stall the stream, which {@link Await} reports), and the signals must stay
 * serial and within the demand ({@link RecordingSubscriber} checks each one).
 */
class TopicPublisherConcurrencyTest {

    private static final Topic<Integer> TOPIC = Topic.of("numbers", Integer.class);

    private final AgentRuntime runtime = FlinRuntime.create();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    @AfterEach
    void shutdown() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        runtime.shutdown(Duration.ofSeconds(10));
    }

    @Test
    void shouldDeliverExactlyWhatRequestsFromManyThreadsAddUp() throws InterruptedException {
        final int events = 1000;
        final int requesters = 8;
        final RecordingSubscriber<Integer> subscriber = new RecordingSubscriber<>();
        TopicPublisher.of(runtime, TOPIC, 1024).subscribe(subscriber);
        subscriber.subscription.join();
        for (int i = 0; i < events; i++) {
            assertEquals(1, runtime.publish(TOPIC, i), "the buffer holds them all");
        }

        final CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < requesters; t++) {
            threads.execute(() -> {
                awaitQuietly(start);
                for (int i = 0; i < events / requesters; i++) {
                    subscriber.request(1);
                }
            });
        }
        start.countDown();

        Await.until(() -> subscriber.count() + " of " + events, () -> subscriber.count() == events);
        assertEquals(IntStream.range(0, events).boxed().toList(), subscriber.received());
        assertEquals(List.of(), subscriber.violations());
        assertEquals(1, runtime.publish(TOPIC, events));
        subscriber.request(1);
        Await.until("one more after one more request", () -> subscriber.count() == events + 1);
        assertEquals(List.of(), subscriber.violations());
    }

    @Test
    void shouldNeverLoseARequestToTheAgentsPause() {
        final int events = 20_000;
        final RecordingSubscriber<Integer> recorder = new RecordingSubscriber<>();
        // Requests one more from another thread after each element: every request races the
        // agent's pause for want of demand, which happens after nearly every element.
        final Flow.Subscriber<Integer> subscriber = new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(final Flow.Subscription subscription) {
                recorder.onSubscribe(subscription);
                recorder.request(2);
            }

            @Override
            public void onNext(final Integer item) {
                recorder.onNext(item);
                threads.execute(() -> recorder.request(1));
            }

            @Override
            public void onError(final Throwable throwable) {
                recorder.onError(throwable);
            }

            @Override
            public void onComplete() {
                recorder.onComplete();
            }
        };
        TopicPublisher.of(runtime, TOPIC, 8).subscribe(subscriber);
        for (int i = 0; i < events; i++) {
            Await.publishUntilTaken(runtime, TOPIC, i);
        }

        Await.until(() -> recorder.count() + " of " + events, () -> recorder.count() == events);
        assertEquals(IntStream.range(0, events).boxed().toList(), recorder.received());
        assertEquals(List.of(), recorder.violations());
    }

    @Test
    void shouldCompleteStreamsThatAreUnderWayWhenTheRuntimeShutsDown() throws InterruptedException {
        final List<RecordingSubscriber<Integer>> subscribers = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            final RecordingSubscriber<Integer> subscriber = new RecordingSubscriber<>();
            TopicPublisher.of(runtime, TOPIC, 16).subscribe(subscriber);
            subscriber.subscription.join();
            subscriber.request(s == 0 ? Long.MAX_VALUE : 10 * s);
            subscribers.add(subscriber);
        }
        final CountDownLatch publishing = new CountDownLatch(1);
        threads.execute(() -> {
            try {
                for (int i = 0; ; i++) {
                    runtime.publish(TOPIC, i);
                    publishing.countDown();
                }
            } catch (final RuntimeException shutDown) {
                // RuntimeStoppedException: the shutdown began (rule 8.6)
            }
        });
        publishing.await();
        Await.until("the unbounded subscriber is streaming", () -> subscribers.get(0).count() > 100);

        runtime.shutdown(Duration.ofSeconds(10));

        for (final RecordingSubscriber<Integer> subscriber : subscribers) {
            assertTrue(subscriber.completed(), "onComplete by the time shutdown returned");
            assertEquals(List.of(), subscriber.violations());
            final List<Integer> received = subscriber.received();
            for (int i = 1; i < received.size(); i++) {
                assertTrue(received.get(i - 1) < received.get(i), "in publish order, gaps allowed (rule 6.6)");
            }
        }
    }

    private static void awaitQuietly(final CountDownLatch latch) {
        try {
            latch.await();
        } catch (final InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

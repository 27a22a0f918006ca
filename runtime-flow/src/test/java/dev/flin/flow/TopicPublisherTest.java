package dev.flin.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.DeterministicDispatcher;
import dev.flin.runtime.core.Dispatchers;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TopicPublisher} beyond the TCK, on the deterministic dispatcher: every agent runs on the
 * test's thread when it says so ({@code runUntilIdle}), so "nothing more was delivered" is exact.
 * The concurrent cases are in {@link TopicPublisherConcurrencyTest}.
 */
class TopicPublisherTest {

    private static final Topic<Integer> TOPIC = Topic.of("numbers", Integer.class);

    private final DeterministicDispatcher dispatcher = Dispatchers.deterministic(7);
    private final AgentRuntime runtime = FlinRuntime.create(RuntimeOptions.defaults().withDispatcher(dispatcher));

    @AfterEach
    void shutdown() {
        runtime.shutdown(Duration.ofSeconds(5));
    }

    private RecordingSubscriber<Integer> subscribe(final TopicPublisher<Integer> publisher) {
        final RecordingSubscriber<Integer> subscriber = new RecordingSubscriber<>();
        publisher.subscribe(subscriber);
        dispatcher.runUntilIdle();
        assertTrue(subscriber.subscription.isDone(), "onSubscribe");
        return subscriber;
    }

    private void publish(final int from, final int to) {
        for (int i = from; i < to; i++) {
            runtime.publish(TOPIC, i);
        }
    }

    @Test
    void shouldDeliverNoMoreThanRequestedInPublishOrder() {
        final RecordingSubscriber<Integer> subscriber = subscribe(TopicPublisher.of(runtime, TOPIC, 8));

        publish(0, 5);
        dispatcher.runUntilIdle();
        assertEquals(List.of(), subscriber.received(), "nothing before a request (Reactive Streams rule 1.1)");

        subscriber.request(2);
        dispatcher.runUntilIdle();
        assertEquals(List.of(0, 1), subscriber.received());

        subscriber.request(10);
        dispatcher.runUntilIdle();
        assertEquals(List.of(0, 1, 2, 3, 4), subscriber.received());

        publish(5, 7);
        dispatcher.runUntilIdle();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), subscriber.received(), "demand left over delivers at once");
        assertEquals(List.of(), subscriber.violations());
        assertFalse(subscriber.terminated.isDone());
    }

    @Test
    void shouldDeliverTheHeldEventOnRequestWhenNothingElseArrives() {
        final RecordingSubscriber<Integer> subscriber = subscribe(TopicPublisher.of(runtime, TOPIC, 8));
        runtime.publish(TOPIC, 0);
        dispatcher.runUntilIdle(); // the agent took 0, holds it for want of demand, and paused

        subscriber.request(1); // resumes the agent, and wakes it: no further event will
        dispatcher.runUntilIdle();

        assertEquals(List.of(0), subscriber.received());
    }

    @Test
    void shouldDropEventsBeyondTheBufferAndCountThemAsDroppedEvents() {
        final RecordingSubscriber<Integer> subscriber = subscribe(TopicPublisher.of(runtime, TOPIC, 4));
        final long droppedBefore = runtime.counters().droppedEvents();

        assertEquals(1, runtime.publish(TOPIC, 0));
        dispatcher.runUntilIdle(); // the agent takes 0, has no demand, holds it and pauses
        final int[] accepted = IntStream.range(1, 10).map(i -> runtime.publish(TOPIC, i)).toArray();

        // the mailbox (capacity 4, a power of two, so not rounded) holds 1-4; 5-9 are dropped for
        // this subscriber (rule 6.6): publish says so, and droppedEvents counts them
        assertEquals(List.of(1, 1, 1, 1, 0, 0, 0, 0, 0), IntStream.of(accepted).boxed().toList());
        assertEquals(5, runtime.counters().droppedEvents() - droppedBefore);

        subscriber.request(100);
        dispatcher.runUntilIdle();
        assertEquals(List.of(0, 1, 2, 3, 4), subscriber.received(), "the buffered events, in order, the rest lost");
        publish(10, 12);
        dispatcher.runUntilIdle();
        assertEquals(List.of(0, 1, 2, 3, 4, 10, 11), subscriber.received(), "the stream goes on after the loss");
        assertEquals(List.of(), subscriber.violations());
    }

    @Test
    void shouldUnsubscribeBeforeCancelReturnsAndSignalNothingMore() {
        final RecordingSubscriber<Integer> subscriber = subscribe(TopicPublisher.of(runtime, TOPIC, 8));
        final long aliveSubscribed = runtime.counters().alive();
        assertEquals(1, runtime.subscriberCount(TOPIC));
        assertEquals(1, runtime.publish(TOPIC, 0));

        subscriber.cancel();

        assertEquals(0, runtime.subscriberCount(TOPIC), "left the topic when cancel returned (rule 6.4)");
        assertEquals(0, runtime.publish(TOPIC, 1), "no subscriber takes the next event");
        subscriber.request(5); // a no-op after cancel (Reactive Streams rule 3.6)
        subscriber.cancel();   // likewise (3.7)
        dispatcher.runUntilIdle();
        assertEquals(List.of(), subscriber.received());
        assertFalse(subscriber.terminated.isDone(), "no signal after cancel (Reactive Streams rule 3.5)");
        assertEquals(aliveSubscribed - 1, runtime.counters().alive(), "the subscriber's agent terminated");
        assertEquals(List.of(), subscriber.violations());
    }

    @Test
    void shouldSignalIllegalArgumentExceptionForANonPositiveRequestAndLeaveTheTopic() {
        final RecordingSubscriber<Integer> subscriber = subscribe(TopicPublisher.of(runtime, TOPIC, 8));
        subscriber.request(1);
        publish(0, 3);

        subscriber.request(0);
        dispatcher.runUntilIdle();

        final IllegalArgumentException error = assertInstanceOf(IllegalArgumentException.class, subscriber.error());
        assertTrue(error.getMessage().contains("3.9"), error.getMessage());
        assertEquals(0, runtime.subscriberCount(TOPIC));
        subscriber.request(1);
        dispatcher.runUntilIdle();
        assertTrue(subscriber.count() <= 1, "nothing beyond the demand, and nothing after the error");
        assertEquals(List.of(), subscriber.violations());
    }

    @Test
    void shouldCompleteAtTheCompletingEventWithoutFurtherDemand() {
        final TopicPublisher<Integer> publisher = TopicPublisher.of(runtime, TOPIC, 8).completingOn(i -> i < 0);
        final RecordingSubscriber<Integer> subscriber = subscribe(publisher);
        subscriber.request(2);

        publish(0, 2);
        runtime.publish(TOPIC, -1);
        runtime.publish(TOPIC, 99);
        dispatcher.runUntilIdle();

        assertEquals(List.of(0, 1), subscriber.received(), "the completing event is not delivered");
        assertTrue(subscriber.completed(), "completed with no demand left (Reactive Streams rule 1.4 allows it)");
        assertEquals(0, runtime.subscriberCount(TOPIC), "the agent left the topic");
        assertEquals(List.of(), subscriber.violations());
    }

    @Test
    void shouldCompleteAfterTheHeldEventsOnceTheyAreRequested() {
        final RecordingSubscriber<Integer> subscriber =
                subscribe(TopicPublisher.of(runtime, TOPIC, 8).completingOn(i -> i < 0));
        publish(0, 3);
        runtime.publish(TOPIC, -1);
        dispatcher.runUntilIdle();
        assertFalse(subscriber.terminated.isDone(), "events wait for demand before the end");

        subscriber.request(3);
        dispatcher.runUntilIdle();

        assertEquals(List.of(0, 1, 2), subscriber.received());
        assertTrue(subscriber.completed());
    }

    @Test
    void shouldSignalOnErrorWhenTheCompletingPredicateThrows() {
        final IllegalStateException broken = new IllegalStateException("broken predicate");
        final RecordingSubscriber<Integer> subscriber = subscribe(TopicPublisher.of(runtime, TOPIC, 8)
                .completingOn(i -> {
                    throw broken;
                }));
        runtime.publish(TOPIC, 0);
        dispatcher.runUntilIdle();

        assertEquals(broken, subscriber.error());
        assertEquals(0, runtime.subscriberCount(TOPIC));
    }

    @Test
    void shouldTreatASubscriberThatThrowsAsCancelled() {
        final RecordingSubscriber<Integer> recorder = new RecordingSubscriber<>();
        final Flow.Subscriber<Integer> throwing = new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(final Flow.Subscription subscription) {
                recorder.onSubscribe(subscription);
                subscription.request(10);
            }

            @Override
            public void onNext(final Integer item) {
                recorder.onNext(item);
                throw new IllegalStateException("breaks Reactive Streams rule 2.13");
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
        TopicPublisher.of(runtime, TOPIC, 8).subscribe(throwing);
        dispatcher.runUntilIdle();

        publish(0, 3);
        dispatcher.runUntilIdle();

        assertEquals(1, recorder.count(), "nothing after the throw");
        assertFalse(recorder.terminated.isDone(), "no terminal signal either: it counts as a cancel");
        assertEquals(0, runtime.subscriberCount(TOPIC));
    }

    @Test
    void shouldGiveEachSubscriberItsOwnBufferAndDemand() {
        final TopicPublisher<Integer> publisher = TopicPublisher.of(runtime, TOPIC, 8);
        final RecordingSubscriber<Integer> fast = subscribe(publisher);
        final RecordingSubscriber<Integer> slow = subscribe(publisher);
        fast.request(Long.MAX_VALUE);
        slow.request(1);

        publish(0, 4);
        dispatcher.runUntilIdle();

        assertEquals(List.of(0, 1, 2, 3), fast.received());
        assertEquals(List.of(0), slow.received());
        assertEquals(2, runtime.subscriberCount(TOPIC));
    }

    @Test
    void shouldCompleteEverySubscriberWhenTheRuntimeShutsDown() {
        final TopicPublisher<Integer> publisher = TopicPublisher.of(runtime, TOPIC, 8);
        final RecordingSubscriber<Integer> waiting = subscribe(publisher);
        final RecordingSubscriber<Integer> behind = subscribe(publisher);
        waiting.request(5);
        publish(0, 3);
        dispatcher.runUntilIdle();

        assertTrue(runtime.shutdown(Duration.ofSeconds(5)));

        assertTrue(waiting.completed(), "onComplete by the time shutdown returns");
        assertEquals(List.of(0, 1, 2), waiting.received());
        assertTrue(behind.completed(), "also without demand (Reactive Streams rule 1.4); its buffered events are discarded");
        assertEquals(List.of(), behind.received());
        assertEquals(List.of(), waiting.violations());
        assertEquals(List.of(), behind.violations());
    }

    @Test
    void shouldSignalOnSubscribeThenOnErrorWhenTheRuntimeHasShutDown() {
        runtime.shutdown(Duration.ofSeconds(5));
        final RecordingSubscriber<Integer> subscriber = new RecordingSubscriber<>();

        TopicPublisher.of(runtime, TOPIC, 8).subscribe(subscriber); // signals on this thread

        assertTrue(subscriber.subscription.isDone());
        assertInstanceOf(RuntimeStoppedException.class, subscriber.error());
        subscriber.request(1); // a no-op
        subscriber.cancel();
        assertEquals(List.of(), subscriber.violations());
    }

    @Test
    void shouldRefuseBadArguments() {
        assertThrows(NullPointerException.class, () -> TopicPublisher.of(runtime, TOPIC, 8).subscribe(null));
        assertThrows(IllegalArgumentException.class, () -> TopicPublisher.of(runtime, TOPIC, 0));
        assertThrows(NullPointerException.class, () -> TopicPublisher.of(null, TOPIC, 1));
        assertThrows(NullPointerException.class, () -> TopicPublisher.of(runtime, null, 1));
        assertThrows(NullPointerException.class, () -> TopicPublisher.of(runtime, TOPIC, 1).completingOn(null));
        assertThrows(NullPointerException.class, () -> TopicPublisher.of(runtime, TOPIC, 1).withDispatcher(null));
        final TopicPublisher<Integer> publisher = TopicPublisher.of(runtime, TOPIC, 3).withDispatcher(DispatcherSelector.BLOCKING);
        assertEquals(TOPIC, publisher.topic());
        assertEquals(3, publisher.bufferCapacity());
    }
}

package dev.flin.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.core.DeterministicDispatcher;
import dev.flin.runtime.core.Dispatchers;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AgentSubscriber} beyond the TCK, on the deterministic dispatcher: the test plays the
 * publisher (it calls the subscriber's methods and keeps within the demand), every agent runs when
 * the test says, and the clock moves only when the test moves it, so the demand window is checked
 * exactly. End to end with real publishers: {@link AgentSubscriberEndToEndTest}.
 */
class AgentSubscriberTest {

    private static final int WINDOW = 8;

    private final DeterministicDispatcher dispatcher = Dispatchers.deterministic(11);
    private final AgentRuntime runtime = FlinRuntime.create(RuntimeOptions.defaults().withDispatcher(dispatcher));
    private final List<Sink> sunk = new CopyOnWriteArrayList<>();
    private final ManualSubscription upstream = new ManualSubscription();

    /** The target's messages. */
    sealed interface Sink permits Element, Done, Failed, Other {
    }

    /** An element. */
    record Element(int value) implements Sink {
    }

    /** The stream completed. */
    record Done() implements Sink {
    }

    /** The stream failed. */
    record Failed(Throwable error) implements Sink {
    }

    /** Another sender's message. */
    record Other() implements Sink {
    }

    /** The upstream subscription as the test's publisher: counts requests and cancels. */
    static final class ManualSubscription implements Flow.Subscription {
        final AtomicLong requested = new AtomicLong();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicBoolean cancelled = new AtomicBoolean();

        @Override
        public void request(final long n) {
            requests.incrementAndGet();
            requested.addAndGet(n);
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }
    }

    @AfterEach
    void shutdown() {
        runtime.shutdown(Duration.ofSeconds(5));
    }

    private AgentRef<Sink> target(final int capacity) {
        return runtime.spawn(Sink.class, () -> (message, context) -> sunk.add(message),
                SpawnOptions.defaults().withMailboxCapacity(capacity));
    }

    private AgentSubscriber<Integer, Sink> subscriber(final AgentRef<Sink> target) {
        return AgentSubscriber.create(runtime, target, FlowMessages.of(Element::new, Done::new, Failed::new), WINDOW);
    }

    @Test
    void shouldForwardElementsInOrderThenTheCompletion() {
        final AgentSubscriber<Integer, Sink> subscriber = subscriber(target(WINDOW + 1));
        subscriber.onSubscribe(upstream);
        dispatcher.runUntilIdle();
        assertEquals(WINDOW, upstream.requested.get(), "the first window");

        for (int i = 0; i < 5; i++) {
            subscriber.onNext(i);
        }
        subscriber.onComplete();
        dispatcher.runUntilIdle();

        assertEquals(List.of(new Element(0), new Element(1), new Element(2), new Element(3), new Element(4), new Done()), sunk);
        assertFalse(upstream.cancelled.get(), "no cancel after onComplete (Reactive Streams rule 2.4)");
    }

    @Test
    void shouldForwardTheErrorAfterTheElements() {
        final AgentSubscriber<Integer, Sink> subscriber = subscriber(target(WINDOW + 1));
        subscriber.onSubscribe(upstream);
        final IOException broken = new IOException("connection reset");

        subscriber.onNext(1);
        subscriber.onError(broken);
        dispatcher.runUntilIdle();

        assertEquals(List.of(new Element(1), new Failed(broken)), sunk);
    }

    @Test
    void shouldRequestNoMoreThanTheWindowBeyondWhatTheTargetTook() {
        final AgentRef<Sink> target = target(WINDOW + 1);
        final AgentSubscriber<Integer, Sink> subscriber = subscriber(target);
        subscriber.onSubscribe(upstream);
        dispatcher.runUntilIdle();
        runtime.pause(target.id());
        dispatcher.runUntilIdle();

        for (int i = 0; i < WINDOW; i++) {
            subscriber.onNext(i);
        }
        dispatcher.runUntilIdle();
        assertEquals(WINDOW, runtime.mailboxDepth(target.id()), "the window waits in the paused target's mailbox");
        dispatcher.advanceTime(Duration.ofSeconds(1)); // the bridge looks again and again: no room
        assertEquals(WINDOW, upstream.requested.get(), "nothing more while the target takes nothing");

        runtime.resume(target.id());
        dispatcher.runUntilIdle();
        assertEquals(WINDOW, sunk.size());
        dispatcher.advanceTime(SubscriberBridge.LAST_LOOK); // the next look sees the room
        assertEquals(2 * WINDOW, upstream.requested.get(), "a window more once the target took the first");
        assertEquals(0, runtime.counters().rejectedFull(), "no send was refused");
    }

    @Test
    void shouldAskAgainOnceHalfTheWindowIsFree() {
        final AgentSubscriber<Integer, Sink> subscriber = subscriber(target(WINDOW + 1));
        subscriber.onSubscribe(upstream);
        dispatcher.runUntilIdle();

        // The bridge looks right after it told the target, so the element it just forwarded still
        // counts as waiting: after the k-th element, k - 1 of the window are known to be free.
        for (int i = 0; i < WINDOW / 2; i++) {
            subscriber.onNext(i);
            dispatcher.runUntilIdle();
        }
        assertEquals(WINDOW, upstream.requested.get(), "less than half the window known free: not yet");
        subscriber.onNext(WINDOW / 2);
        dispatcher.runUntilIdle();
        assertEquals(WINDOW + WINDOW / 2, upstream.requested.get(), "half the window free: asked for it");
        assertEquals(2, upstream.requests.get());
    }

    @Test
    void shouldCancelUpstreamWhenTheTargetTerminates() {
        final AgentRef<Sink> target = target(WINDOW + 1);
        final AgentSubscriber<Integer, Sink> subscriber = subscriber(target);
        subscriber.onSubscribe(upstream);
        dispatcher.runUntilIdle();
        final long alive = runtime.counters().alive();

        runtime.stop(target.id());
        dispatcher.runUntilIdle();

        assertTrue(upstream.cancelled.get(), "cancelled by the bridge's death watch");
        assertEquals(alive - 2, runtime.counters().alive(), "the target and the bridge terminated");
        subscriber.onNext(1); // after a cancel, signals may still come (Reactive Streams rule 2.8)
        subscriber.onComplete();
        dispatcher.runUntilIdle();
        assertEquals(List.of(), sunk);
    }

    @Test
    void shouldCancelAndSendTheErrorWhenTheTargetsMailboxRefusesAnElement() {
        final int capacity = 4;
        final AgentRef<Sink> target = target(capacity);
        final AgentSubscriber<Integer, Sink> subscriber =
                AgentSubscriber.create(runtime, target, FlowMessages.of(Element::new, Done::new, Failed::new), capacity);
        subscriber.onSubscribe(upstream);
        dispatcher.runUntilIdle();
        runtime.pause(target.id());
        dispatcher.runUntilIdle();
        for (int i = 0; i < capacity; i++) {
            target.tell(new Other()); // another sender fills the target after the window was requested
        }

        subscriber.onNext(0);
        dispatcher.runUntilIdle();
        assertTrue(upstream.cancelled.get());

        runtime.resume(target.id());
        dispatcher.advanceTime(SubscriberBridge.LAST_LOOK); // the error waits for room, then goes
        assertEquals(capacity + 1, sunk.size());
        assertEquals(new Other(), sunk.get(0));
        final Failed failed = assertInstanceOf(Failed.class, sunk.get(capacity));
        final MailboxFullException full = assertInstanceOf(MailboxFullException.class, failed.error());
        assertEquals(target.id(), full.agent());
    }

    @Test
    void shouldHoldTheTerminalMessageUntilTheTargetHasRoom() {
        final int capacity = 2;
        final AgentRef<Sink> target = target(capacity);
        final AgentSubscriber<Integer, Sink> subscriber =
                AgentSubscriber.create(runtime, target, FlowMessages.of(Element::new, Done::new, Failed::new), capacity);
        subscriber.onSubscribe(upstream);
        dispatcher.runUntilIdle();
        runtime.pause(target.id());
        dispatcher.runUntilIdle();

        subscriber.onNext(0);
        subscriber.onNext(1);
        subscriber.onComplete();
        dispatcher.advanceTime(Duration.ofSeconds(1)); // the target is full: the completion waits

        runtime.resume(target.id());
        dispatcher.advanceTime(SubscriberBridge.LAST_LOOK);
        assertEquals(List.of(new Element(0), new Element(1), new Done()), sunk, "never dropped");
    }

    @Test
    void shouldCancelAndReportWhenThePublisherSignalsMoreThanRequested() {
        final AgentSubscriber<Integer, Sink> subscriber = subscriber(target(64));
        subscriber.onSubscribe(upstream);
        dispatcher.runUntilIdle();

        // the bridge does not run meanwhile: its mailbox (window + 4, rounded up to 16) overflows
        for (int i = 0; i < 20; i++) {
            subscriber.onNext(i);
        }
        dispatcher.runUntilIdle();

        assertTrue(upstream.cancelled.get());
        final Sink last = sunk.get(sunk.size() - 1);
        assertInstanceOf(MailboxFullException.class, assertInstanceOf(Failed.class, last).error());
    }

    @Test
    void shouldCancelASecondSubscription() {
        final AgentSubscriber<Integer, Sink> subscriber = subscriber(target(WINDOW + 1));
        subscriber.onSubscribe(upstream);
        final ManualSubscription second = new ManualSubscription();

        subscriber.onSubscribe(second);
        dispatcher.runUntilIdle();

        assertTrue(second.cancelled.get(), "Reactive Streams rule 2.5");
        assertEquals(0, second.requests.get());
        assertFalse(upstream.cancelled.get());
    }

    @Test
    void shouldCancelWhenTheRuntimeHasShutDown() {
        final AgentSubscriber<Integer, Sink> subscriber = subscriber(target(WINDOW + 1));
        runtime.shutdown(Duration.ofSeconds(5));

        subscriber.onSubscribe(upstream);
        subscriber.onNext(1);
        subscriber.onComplete();

        assertTrue(upstream.cancelled.get());
        assertEquals(0, upstream.requests.get());
    }

    @Test
    void shouldCancelUpstreamWhenTheRuntimeShutsDown() {
        final AgentSubscriber<Integer, Sink> subscriber = subscriber(target(WINDOW + 1));
        subscriber.onSubscribe(upstream);
        dispatcher.runUntilIdle();

        runtime.shutdown(Duration.ofSeconds(5));

        assertTrue(upstream.cancelled.get());
    }

    @Test
    void shouldCancelUpstreamWhenAMappingReturnsNull() {
        final AgentSubscriber<Integer, Sink> subscriber = AgentSubscriber.create(runtime, target(WINDOW + 1),
                FlowMessages.of(i -> null, Done::new, Failed::new), WINDOW);
        subscriber.onSubscribe(upstream);
        dispatcher.runUntilIdle();

        subscriber.onNext(1);
        dispatcher.runUntilIdle();

        assertTrue(upstream.cancelled.get());
        assertEquals(1, sunk.size());
        assertInstanceOf(NullPointerException.class, assertInstanceOf(Failed.class, sunk.get(0)).error());
    }

    @Test
    void shouldRefuseNullsAndBadWindows() {
        final AgentRef<Sink> target = target(WINDOW + 1);
        final FlowMessages<Integer, Sink> messages = FlowMessages.of(Element::new, Done::new, Failed::new);
        final AgentSubscriber<Integer, Sink> subscriber = subscriber(target);
        assertThrows(NullPointerException.class, () -> subscriber.onSubscribe(null));
        assertThrows(NullPointerException.class, () -> subscriber.onNext(null));
        assertThrows(NullPointerException.class, () -> subscriber.onError(null));
        assertThrows(IllegalArgumentException.class, () -> AgentSubscriber.create(runtime, target, messages, 0));
        assertThrows(IllegalArgumentException.class,
                () -> AgentSubscriber.create(runtime, target, messages, AgentSubscriber.MAX_WINDOW + 1));
        assertThrows(NullPointerException.class, () -> FlowMessages.of(null, Done::new, Failed::new));
        assertSame(target, subscriber.target());
        assertEquals(WINDOW, subscriber.window());
    }
}

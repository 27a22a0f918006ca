package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.MessageTypeException;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import net.jqwik.api.Example;

/**
 * Checks of section 6 of {@code docs/spec.md}: Publish-subscribe. One method or more per rule,
 * named {@code required_spec_6_M_...} (MUST), {@code optional_spec_6_M_...} (SHOULD/MAY) or
 * {@code untested_spec_6_M_...} (not checkable yet: always reported as skipped).
 *
 * <p>"Not received" is proven with a marker: a plain message sent by the publishing thread after
 * the publish. Per-sender FIFO (rules 2.3, 6.3) orders it after any event that thread got
 * enqueued, so once the marker arrived, a missing event was never enqueued.
 */
public interface PubSubRules extends KitSupport {

    /**
     * The event of the checks.
     *
     * @param publisher which publisher sent it
     * @param seq       its number in that publisher's sequence
     */
    record Ev(int publisher, int seq) { }

    /** A marker: "everything this thread sent before has been enqueued". */
    record Marker(int n) { }

    // =========================================================================== helpers

    private static Topic<Ev> topic(final String name) {
        return Topic.of("kit." + name, Ev.class);
    }

    private void mark(final Recorder<Object> probe, final int n) {
        final Marker marker = new Marker(n);
        kit().await("room for " + marker + " in the mailbox of " + probe.ref(), () -> {
            try {
                probe.ref().tell(marker);
                return true;
            } catch (dev.flin.runtime.MailboxFullException full) {
                return false; // the events before it are still being processed
            }
        });
        kit().await(probe.ref() + " to receive " + marker, () -> probe.messages().contains(marker));
    }

    private static List<Ev> events(final Recorder<?> probe) {
        return probe.messages().stream().filter(Ev.class::isInstance).map(Ev.class::cast).collect(Collectors.toList());
    }

    private static List<Ev> sequence(final int publisher, final int from, final int to) {
        final List<Ev> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new Ev(publisher, i));
        }
        return out;
    }

    // =========================================================================== 6.1

    @Example
    @RequiresCapability(Capability.PUBSUB)
    @SuppressWarnings({"unchecked", "rawtypes"})
    default void required_spec_6_1_subscriberOfAnotherTypeIsRefused() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> numbers = kit.recorder(Integer.class);
        final Topic<String> strings = Topic.of("kit.strings", String.class);
        assertThrows(MessageTypeException.class, () -> rt.subscribe((Topic) strings, (AgentRef) numbers.ref()),
                "an Integer agent must not be subscribable to a String topic");
        assertEquals(0, rt.subscriberCount(strings));

        final CompletableFuture<Throwable> fromInside = new CompletableFuture<>();
        numbers.behave((m, ctx) -> {
            try {
                ctx.subscribe((Topic) strings);
                fromInside.complete(null);
            } catch (Throwable t) {
                fromInside.complete(t);
            }
        });
        numbers.ref().tell(1);
        final Throwable refused = kit.await("the agent's own subscribe attempt", fromInside);
        assertTrue(refused instanceof MessageTypeException,
                "AgentContext.subscribe to a topic of another type must throw MessageTypeException, got " + refused);
        assertEquals(0, rt.subscriberCount(strings));
        assertEquals(0, rt.publish(strings, "not for numbers"));
    }

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_1_aTopicIsItsNameAndItsType() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Object> any = kit.recorder(Object.class);
        final Recorder<Number> numbers = kit.recorder(Number.class);
        final Topic<Integer> ints = Topic.of("kit.t", Integer.class);
        rt.subscribe(ints, any.ref());
        rt.subscribe(ints, numbers.ref()); // a supertype of the event type is accepted
        assertEquals(2, rt.subscriberCount(Topic.of("kit.t", Integer.class)), "topics are equal by name and type");
        assertEquals(0, rt.publish(Topic.of("kit.t", String.class), "same name, other type"),
                "a topic with the same name and another event type is another topic");
        assertEquals(0, rt.publish(Topic.of("kit.u", Integer.class), 99), "another name is another topic");
        assertEquals(2, rt.publish(Topic.of("kit.t", Integer.class), 7));
        any.ref().tell(new Marker(1));
        any.awaitCount(2);
        numbers.awaitCount(1);
        assertEquals(List.of(7, new Marker(1)), any.messages());
        assertEquals(List.of(7), numbers.messages());
    }

    // =========================================================================== 6.2

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_2_everyEventAfterSubscribeReachesEverySubscriberOnce() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Topic<Ev> topic = topic("news");
        final List<Recorder<Object>> subscribers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            final Recorder<Object> probe = kit.recorder(Object.class);
            rt.subscribe(topic, probe.ref());
            subscribers.add(probe);
        }
        assertEquals(3, rt.subscriberCount(topic));
        for (int i = 0; i < 10; i++) {
            assertEquals(3, rt.publish(topic, new Ev(0, i)), "publish reports how many subscribers accepted");
        }
        for (final Recorder<Object> probe : subscribers) {
            mark(probe, 0);
            assertEquals(sequence(0, 0, 10), events(probe), "each event exactly once, in order");
        }
    }

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_2_subscribeFromInsideAnAgentIsAcknowledged() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Topic<Ev> topic = topic("inside");
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        final Recorder<Object> probe = kit.recorder(Object.class);
        probe.behave((m, ctx) -> {
            if ("subscribe".equals(m)) {
                ctx.subscribe(topic);
                ctx.subscribe(topic); // idempotent
                subscribed.complete(null);
            }
        });
        probe.ref().tell("subscribe");
        kit.await("the agent's subscribe to return", subscribed);
        assertEquals(1, rt.publish(topic, new Ev(0, 0)), "the first event after subscribe returned must reach it");
        mark(probe, 0);
        assertEquals(List.of(new Ev(0, 0)), events(probe), "subscribing twice must not deliver twice");
    }

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_2_subscribeIsIdempotent() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Topic<Ev> topic = topic("twice");
        final Recorder<Object> probe = kit.recorder(Object.class);
        rt.subscribe(topic, probe.ref());
        rt.subscribe(topic, probe.ref());
        assertEquals(1, rt.subscriberCount(topic));
        assertEquals(1, rt.publish(topic, new Ev(0, 0)));
        mark(probe, 0);
        assertEquals(List.of(new Ev(0, 0)), events(probe));
    }

    // =========================================================================== 6.3

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_3_eventsOfEachPublisherArriveInPublishOrder() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Topic<Ev> topic = topic("ordered");
        final int publishers = 3;
        final int each = 200;
        final List<Recorder<Object>> subscribers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            final Recorder<Object> probe = kit.recorder(rt, Object.class,
                    SpawnOptions.defaults().withMailboxCapacity(publishers * each * 2));
            rt.subscribe(topic, probe.ref());
            subscribers.add(probe);
        }
        final List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            final int publisher = p;
            running.add(kit.fork(() -> {
                for (int i = 0; i < each; i++) {
                    rt.publish(topic, new Ev(publisher, i));
                }
            }));
        }
        for (final Future<?> f : running) {
            kit.join("a publisher to publish its events", f);
        }
        assertEquals(0, rt.counters().droppedEvents(), "the subscribers had room for every event");
        for (final Recorder<Object> probe : subscribers) {
            probe.awaitCount(publishers * each);
            final List<Ev> got = events(probe);
            for (int p = 0; p < publishers; p++) {
                final int publisher = p;
                assertEquals(sequence(p, 0, each),
                        got.stream().filter(e -> e.publisher() == publisher).collect(Collectors.toList()),
                        "events of publisher " + p + " must arrive once each, in publish order");
            }
        }
    }

    // =========================================================================== 6.4

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_4_noEventPublishedAfterUnsubscribeIsEnqueued() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Topic<Ev> topic = topic("leave");
        final Recorder<Object> probe = kit.recorder(Object.class);
        rt.subscribe(topic, probe.ref());
        assertEquals(1, rt.publish(topic, new Ev(0, 0)));
        assertTrue(rt.unsubscribe(topic, probe.id()), "unsubscribe of a subscriber returns true");
        assertFalse(rt.unsubscribe(topic, probe.id()), "a second unsubscribe returns false");
        assertEquals(0, rt.subscriberCount(topic));
        assertEquals(0, rt.publish(topic, new Ev(0, 1)), "nobody may accept an event after unsubscribe returned");
        mark(probe, 0);
        assertEquals(List.of(new Ev(0, 0)), events(probe));

        // the same from inside the agent
        final CompletableFuture<Void> left = new CompletableFuture<>();
        probe.behave((m, ctx) -> {
            if ("subscribe".equals(m)) {
                ctx.subscribe(topic);
            } else if ("leave".equals(m)) {
                ctx.unsubscribe(topic);
                left.complete(null);
            }
        });
        probe.ref().tell("subscribe");
        mark(probe, 1);
        assertEquals(1, rt.publish(topic, new Ev(0, 2)));
        probe.ref().tell("leave");
        kit.await("the agent's unsubscribe to return", left);
        assertEquals(0, rt.publish(topic, new Ev(0, 3)));
        mark(probe, 2);
        assertEquals(List.of(new Ev(0, 0), new Ev(0, 2)), events(probe));
    }

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_4_unsubscribeRacingPublishes() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Topic<Ev> topic = topic("race");
        final Recorder<Object> probe = kit.recorder(rt, Object.class, SpawnOptions.defaults().withMailboxCapacity(4096));
        rt.subscribe(topic, probe.ref());
        final AtomicBoolean unsubscribed = new AtomicBoolean();
        final Future<?> leaver = kit.fork(() -> {
            rt.unsubscribe(topic, probe.id());
            unsubscribed.set(true);
        });
        int firstAfter = -1;
        for (int i = 0; i < 1_000_000 && (firstAfter < 0 || i < firstAfter + 20); i++) {
            final boolean after = unsubscribed.get(); // read before the publish starts
            final int accepted = rt.publish(topic, new Ev(0, i));
            if (after) {
                if (firstAfter < 0) {
                    firstAfter = i;
                }
                assertEquals(0, accepted, "event " + i + " was published after unsubscribe returned");
            }
        }
        kit.join("the unsubscribing thread", leaver);
        assertTrue(firstAfter >= 0, "the unsubscribing thread never finished");
        mark(probe, 0);
        final int limit = firstAfter;
        assertTrue(events(probe).stream().allMatch(e -> e.seq() < limit),
                "an event published after unsubscribe returned was delivered");
    }

    // =========================================================================== 6.5

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_5_stoppedSubscriberLeavesEveryTopic() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Topic<Ev> outer = topic("outer");
        final Topic<Ev> inner = topic("inner");
        final Recorder<Object> probe = kit.recorder(Object.class);
        probe.behave((m, ctx) -> {
            if ("subscribe".equals(m)) {
                ctx.subscribe(inner);
            }
        });
        rt.subscribe(outer, probe.ref());
        probe.ref().tell("subscribe");
        mark(probe, 0);
        assertEquals(1, rt.subscriberCount(outer));
        assertEquals(1, rt.subscriberCount(inner));
        final CompletableFuture<?> terminated = rt.whenTerminated(probe.id()).toCompletableFuture();
        rt.stop(probe.id());
        kit.await("the subscriber to terminate", terminated);
        kit.await("the terminated subscriber to leave both topics without any call",
                () -> rt.subscriberCount(outer) == 0 && rt.subscriberCount(inner) == 0);
        assertEquals(0, rt.publish(outer, new Ev(0, 0)));
        assertEquals(0, rt.publish(inner, new Ev(0, 0)));
    }

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_5_failedSubscriberLeavesTheTopic() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Topic<Ev> topic = topic("fail");
        final Recorder<Object> probe = kit.recorder(Object.class);
        probe.behave((m, ctx) -> {
            if ("boom".equals(m)) {
                throw new IllegalStateException("planned failure: RestartPolicy.never() stops the subscriber");
            }
        });
        rt.subscribe(topic, probe.ref());
        final CompletableFuture<?> terminated = rt.whenTerminated(probe.id()).toCompletableFuture();
        probe.ref().tell("boom");
        kit.await("the failed subscriber to terminate", terminated);
        kit.await("the terminated subscriber to leave the topic without any call", () -> rt.subscriberCount(topic) == 0);
        assertEquals(0, rt.publish(topic, new Ev(0, 0)));
    }

    // =========================================================================== 6.6

    @Example
    @RequiresCapability({Capability.PUBSUB, Capability.INDEPENDENT_PROGRESS}) // the slow subscriber holds its thread
    default void required_spec_6_6_fullSubscriberLosesEventsWithoutSlowingTheOthers() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Topic<Ev> topic = topic("broadcast");
        final Gate gate = new Gate(kit);
        final Recorder<Object> slow = kit.recorder(rt, Object.class, SpawnOptions.defaults().withMailboxCapacity(4));
        slow.behave((m, ctx) -> {
            if ("hold".equals(m)) {
                gate.hold();
            }
        });
        final Recorder<Object> fast = kit.recorder(rt, Object.class, SpawnOptions.defaults().withMailboxCapacity(1024));
        rt.subscribe(topic, slow.ref());
        rt.subscribe(topic, fast.ref());
        final int capacity = rt.mailboxCapacity(slow.id());
        final int extra = 5;
        final List<Integer> accepted = new ArrayList<>();
        final RuntimeCounters before;
        try {
            slow.ref().tell("hold");
            gate.awaitEntered();
            before = rt.counters();
            kit.within("publishing to a full subscriber", () -> {
                for (int i = 0; i < capacity + extra; i++) {
                    accepted.add(rt.publish(topic, new Ev(0, i)));
                }
                return null;
            });
            fast.awaitCount(capacity + extra);
            assertEquals(sequence(0, 0, capacity + extra), events(fast),
                    "the other subscriber gets every event while one subscriber is full");
        } finally {
            gate.release();
        }
        final List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < capacity + extra; i++) {
            expected.add(i < capacity ? 2 : 1);
        }
        assertEquals(expected, accepted, "publish reports how many subscribers accepted each event");
        assertEquals(before.droppedEvents() + extra, rt.counters().droppedEvents(),
                "every event the full subscriber could not take is counted as dropped");
        slow.awaitCount(1 + capacity); // "hold" and the events it had room for; now there is room for the marker
        mark(slow, 0);
        assertEquals(sequence(0, 0, capacity), events(slow), "the full subscriber loses exactly the events it had no room for");
    }

    // =========================================================================== 6.7

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_7_lifecycleTransitionsArePublished() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<LifecycleEvent> events = kit.recorder(rt, LifecycleEvent.class,
                SpawnOptions.defaults().withMailboxCapacity(1024));
        rt.subscribe(SystemTopics.LIFECYCLE, events.ref());
        final Recorder<Object> probe = kit.recorder(Object.class);
        final AgentId id = probe.id();
        kit.await("the agent to be RUNNING", () -> rt.state(id).orElse(null) == AgentState.RUNNING);
        final CompletableFuture<?> terminated = rt.whenTerminated(id).toCompletableFuture();
        rt.stop(id);
        kit.await("the agent to terminate", terminated);
        kit.await("the TERMINATED transition on " + SystemTopics.LIFECYCLE.name(), () -> events.messages().stream()
                .anyMatch(e -> e.agent().equals(id) && e.to() == AgentState.TERMINATED));
        final List<LifecycleEvent> mine = events.messages().stream().filter(e -> e.agent().equals(id))
                .collect(Collectors.toList());
        assertEquals(List.of(new LifecycleEvent(id, AgentState.STARTING, AgentState.RUNNING),
                new LifecycleEvent(id, AgentState.RUNNING, AgentState.SHUTTING_DOWN),
                new LifecycleEvent(id, AgentState.SHUTTING_DOWN, AgentState.TERMINATED)), mine);
    }

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_7_failuresArePublished() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<AgentFailure> failures = kit.recorder(AgentFailure.class);
        rt.subscribe(SystemTopics.FAILURES, failures.ref());
        final IllegalStateException boom = new IllegalStateException("planned failure");
        final Recorder<Object> probe = kit.recorder(Object.class);
        probe.behave((m, ctx) -> {
            throw boom;
        });
        probe.ref().tell(new Marker(1));
        kit.await("the failure on " + SystemTopics.FAILURES.name(),
                () -> failures.messages().stream().anyMatch(f -> f.agent().equals(probe.id())));
        final AgentFailure failure = failures.messages().stream().filter(f -> f.agent().equals(probe.id()))
                .findFirst().orElseThrow();
        assertEquals(AgentFailure.Phase.MESSAGE, failure.phase());
        assertEquals(Marker.class, failure.messageType());
        assertSame(boom, failure.cause(), "the failure must carry what was thrown");
        assertEquals(AgentFailure.Decision.STOP, failure.decision(), "RestartPolicy.never() stops the agent");
    }

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_7_deadLettersArePublished() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<DeadLetter> letters = kit.recorder(DeadLetter.class);
        rt.subscribe(SystemTopics.DEAD_LETTERS, letters.ref());
        final Gate gate = new Gate(kit);
        final Recorder<Object> probe = kit.recorder(Object.class);
        probe.behave((m, ctx) -> {
            if ("hold".equals(m)) {
                gate.hold();
                throw new IllegalStateException("planned failure: the mailbox is dead-lettered");
            }
        });
        final Marker first = new Marker(1);
        final Marker second = new Marker(2);
        try {
            probe.ref().tell("hold");
            gate.awaitEntered();
            probe.ref().tell(first);
            probe.ref().tell(second);
        } finally {
            gate.release();
        }
        kit.await("two dead letters on " + SystemTopics.DEAD_LETTERS.name(), () -> letters.messages().stream()
                .filter(d -> d.recipient().equals(probe.id())).count() == 2);
        final List<DeadLetter> mine = letters.messages().stream().filter(d -> d.recipient().equals(probe.id()))
                .collect(Collectors.toList());
        assertTrue(mine.stream().anyMatch(d -> d.message() == first) && mine.stream().anyMatch(d -> d.message() == second),
                "each dead letter carries the very message that was sent: " + mine);
        assertTrue(mine.stream().allMatch(d -> d.reason() == DeadLetter.Reason.RECIPIENT_TERMINATED), mine.toString());
        final List<Object> processed = new ArrayList<>(probe.messages());
        assertEquals(List.of("hold"), processed, "the dead-lettered messages were not processed");
    }
}

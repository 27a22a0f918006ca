package dev.flin.runtime.core;

import static dev.flin.runtime.core.MessagingSupport.WAIT;
import static dev.flin.runtime.core.MessagingSupport.agent;
import static dev.flin.runtime.core.MessagingSupport.assertConservation;
import static dev.flin.runtime.core.MessagingSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentNotFoundException;
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
import dev.flin.runtime.core.MessagingSupport.Concurrent;
import dev.flin.runtime.core.MessagingSupport.Runtimes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Section 6 of the spec: publish-subscribe. */
class PubSubTest {

    private final Runtimes runtimes = new Runtimes();

    @AfterEach
    void shutDown() {
        runtimes.close();
    }

    record Tagged(int publisher, int seq) {
    }

    private static <M> AgentRef<M> spawnSink(final AgentRuntime rt, final Class<M> type, final List<? super M> seen,
                                             final int capacity) {
        return rt.spawn(type, () -> (m, ctx) -> seen.add(m), SpawnOptions.defaults().withMailboxCapacity(capacity));
    }

    // ---------------------------------------------------------------- 6.1 typed, named topics

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void spec_6_1_subscribeChecksTheSubscriberAcceptsTheEventType() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final Topic<String> strings = Topic.of("typed", String.class);
        final AgentRef<Integer> integers = rt.spawn(Integer.class, () -> (m, ctx) -> { });

        final MessageTypeException e = assertThrows(MessageTypeException.class,
                () -> rt.subscribe((Topic) strings, (AgentRef) integers));
        assertEquals("2.6", e.rule());
        assertTrue(e.getMessage().contains(integers.id().toString()), e.getMessage());
        assertEquals(0, rt.subscriberCount(strings));

        // the same check from inside the agent
        final AtomicReference<Throwable> fromInside = new AtomicReference<>();
        final AgentRef<Integer> self = rt.spawn(Integer.class, () -> agent(ctx -> {
            try {
                ((AgentContext) ctx).subscribe(strings);
            } catch (MessageTypeException ex) {
                fromInside.set(ex);
            }
        }, (m, ctx) -> { }));
        d.runUntilIdle();
        assertInstanceOf(MessageTypeException.class, fromInside.get());
        assertEquals(0, rt.subscriberCount(strings));
        assertEquals(0, rt.publish(strings, "nobody"));
        assertEquals(0, rt.mailboxDepth(self.id()));
    }

    @Test
    void spec_6_1_aSubscriberOfASupertypeIsAccepted() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<Object> seen = new ArrayList<>();
        final AgentRef<Object> any = spawnSink(rt, Object.class, seen, 8);
        final Topic<String> topic = Topic.of("super", String.class);
        rt.subscribe(topic, any);
        assertEquals(1, rt.publish(topic, "hello"));
        d.runUntilIdle();
        assertEquals(List.of("hello"), seen);
    }

    @Test
    void spec_6_1_topicsAreIdentifiedByNameAndType() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<Object> seen = new ArrayList<>();
        final AgentRef<Object> any = spawnSink(rt, Object.class, seen, 8);
        rt.subscribe(Topic.of("news", String.class), any);

        assertEquals(1, rt.publish(Topic.of("news", String.class), "same name and type"));
        assertEquals(0, rt.publish(Topic.of("news", Integer.class), 1));
        assertEquals(0, rt.publish(Topic.of("other", String.class), "other name"));
        d.runUntilIdle();
        assertEquals(List.of("same name and type"), seen);
    }

    // ---------------------------------------------------------------- 6.2 subscribe is acknowledged

    @Test
    void spec_6_2_eventPublishedAfterSubscribeReachesEverySubscriberExactlyOnce() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final Topic<Integer> topic = Topic.of("numbers", Integer.class);
        final List<List<Integer>> seen = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            final List<Integer> mine = new ArrayList<>();
            seen.add(mine);
            final AgentRef<Integer> sub = spawnSink(rt, Integer.class, mine, 256);
            rt.subscribe(topic, sub);
            rt.subscribe(topic, sub); // idempotent: still one subscription
        }
        assertEquals(5, rt.subscriberCount(topic));
        for (int i = 0; i < 100; i++) {
            assertEquals(5, rt.publish(topic, i));
        }
        d.runUntilIdle();
        final List<Integer> expected = IntStream.range(0, 100).boxed().collect(Collectors.toList());
        for (final List<Integer> mine : seen) {
            assertEquals(expected, mine);
        }
        assertConservation(rt.counters());
    }

    @Test
    void spec_6_2_subscribeFromInsideTheAgentIsAcknowledged() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final Topic<String> topic = Topic.of("inside", String.class);
        final List<String> seen = new ArrayList<>();
        rt.spawn(String.class, () -> agent(ctx -> ctx.subscribe(topic), (m, ctx) -> seen.add(m)));
        d.runUntilIdle();
        assertEquals(1, rt.subscriberCount(topic));
        assertEquals(1, rt.publish(topic, "e"));
        d.runUntilIdle();
        assertEquals(List.of("e"), seen);
    }

    @Test
    void spec_6_2_everyEventWhosePublishStartsAfterSubscribeReturnsIsDelivered() throws Exception {
        final AgentRuntime rt = runtimes.pool(2);
        final Topic<Long> topic = Topic.of("ack", Long.class);
        final AtomicLong started = new AtomicLong();        // last sequence whose publish has started
        final AtomicLong limit = new AtomicLong(Long.MAX_VALUE);
        final CompletableFuture<List<Long>> received = new CompletableFuture<>();
        final AgentRef<Long> sub = rt.spawn(Long.class, () -> new Agent<Long>() {
            private final List<Long> seen = new ArrayList<>();

            @Override
            public void onMessage(final Long m, final AgentContext<Long> ctx) {
                seen.add(m);
                if (m == limit.get()) {
                    received.complete(seen);
                }
            }
        }, SpawnOptions.defaults().withMailboxCapacity(1 << 16)); // never full in this test
        try (Concurrent publisher = Concurrent.start(1, p -> {
            for (long i = 1; i <= limit.get(); i++) {
                started.set(i);
                rt.publish(topic, i);
            }
        })) {
            Poll.until(() -> started.get() >= 1_000, WAIT);
            rt.subscribe(topic, sub);
            final long v = started.get(); // every publish of a sequence above v started after subscribe returned
            limit.set(v + 20_000);
            publisher.await();

            final List<Long> seen = await(received);
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i - 1) < seen.get(i), "order or duplicates broken at " + i);
            }
            final long after = seen.stream().filter(x -> x > v).count();
            assertEquals(20_000, after, "every event published after subscribe returned must arrive once");
        }
        assertEquals(0, rt.counters().droppedEvents());
    }

    // ---------------------------------------------------------------- 6.3 per-publisher order

    @Test
    void spec_6_3_perPublisherOrderWithSeveralPublisherThreads() throws Exception {
        final AgentRuntime rt = runtimes.pool(2);
        final Topic<Tagged> topic = Topic.of("ordered", Tagged.class);
        final int publishers = 4;
        final int perPublisher = 5_000;
        final List<CompletableFuture<String>> verdicts = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            final CompletableFuture<String> verdict = new CompletableFuture<>();
            verdicts.add(verdict);
            final AgentRef<Tagged> sub = rt.spawn(Tagged.class, () -> new Agent<Tagged>() {
                private final int[] next = new int[publishers];
                private int total;
                private String violation;

                @Override
                public void onMessage(final Tagged m, final AgentContext<Tagged> ctx) {
                    if (m.seq() != next[m.publisher()] && violation == null) {
                        violation = "publisher " + m.publisher() + ": expected " + next[m.publisher()]
                                + ", got " + m.seq();
                    }
                    next[m.publisher()] = m.seq() + 1;
                    if (++total == publishers * perPublisher) {
                        verdict.complete(violation == null ? "ok" : violation);
                    }
                }
            }, SpawnOptions.defaults().withMailboxCapacity(1 << 15)); // holds every event: nothing dropped
            rt.subscribe(topic, sub);
        }
        try (Concurrent threads = Concurrent.start(publishers, p -> {
            for (int i = 0; i < perPublisher; i++) {
                assertEquals(3, rt.publish(topic, new Tagged(p, i)));
            }
        })) {
            threads.await();
        }
        for (final CompletableFuture<String> verdict : verdicts) {
            assertEquals("ok", await(verdict), "per-publisher order (rule 6.3) violated");
        }
    }

    // ---------------------------------------------------------------- 6.4 unsubscribe

    @Test
    void spec_6_4_noEventPublishedAfterUnsubscribeIsEnqueued() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final Topic<String> topic = Topic.of("leave", String.class);
        final List<String> left = new ArrayList<>();
        final List<String> stayed = new ArrayList<>();
        final AgentRef<String> leaver = spawnSink(rt, String.class, left, 8);
        final AgentRef<String> stayer = spawnSink(rt, String.class, stayed, 8);
        rt.subscribe(topic, leaver);
        rt.subscribe(topic, stayer);
        assertEquals(2, rt.publish(topic, "e1"));

        assertTrue(rt.unsubscribe(topic, leaver.id()));
        assertEquals(1, rt.mailboxDepth(leaver.id()));
        assertEquals(1, rt.publish(topic, "e2"));
        assertEquals(1, rt.mailboxDepth(leaver.id()), "nothing enqueued after unsubscribe returned");
        assertFalse(rt.unsubscribe(topic, leaver.id()), "already unsubscribed");
        assertEquals(1, rt.subscriberCount(topic));

        d.runUntilIdle();
        assertEquals(List.of("e1"), left);
        assertEquals(List.of("e1", "e2"), stayed);
    }

    @Test
    void spec_6_4_unsubscribeFromInsideTheAgent() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final Topic<String> topic = Topic.of("leave-inside", String.class);
        final List<String> seen = new ArrayList<>();
        rt.spawn(String.class, () -> agent(ctx -> ctx.subscribe(topic), (m, ctx) -> {
            seen.add(m);
            ctx.unsubscribe(topic);
        }));
        d.runUntilIdle();
        rt.publish(topic, "first");
        d.runUntilIdle();
        assertEquals(0, rt.subscriberCount(topic));
        assertEquals(0, rt.publish(topic, "second"));
        d.runUntilIdle();
        assertEquals(List.of("first"), seen);
    }

    @Test
    void spec_6_4_unsubscribeIsExactWhilePublishingConcurrently() throws Exception {
        final AgentRuntime rt = runtimes.pool(2);
        final Topic<Long> topic = Topic.of("leave-concurrently", Long.class);
        final AtomicLong started = new AtomicLong();
        final AtomicLong limit = new AtomicLong(Long.MAX_VALUE);
        final LongAdder events = new LongAdder();
        final AtomicLong maxSeen = new AtomicLong(); // written by the agent only
        final CompletableFuture<Long> sentinel = new CompletableFuture<>();
        final AgentRef<Long> sub = rt.spawn(Long.class, () -> (m, ctx) -> {
            if (m < 0) {
                sentinel.complete(maxSeen.get());
                return;
            }
            events.increment();
            maxSeen.set(Math.max(maxSeen.get(), m));
        }, SpawnOptions.defaults().withMailboxCapacity(1 << 16));
        rt.subscribe(topic, sub);
        try (Concurrent publisher = Concurrent.start(1, p -> {
            for (long i = 1; i <= limit.get(); i++) {
                started.set(i);
                rt.publish(topic, i);
            }
        })) {
            Poll.until(() -> events.sum() >= 1_000, WAIT);
            assertTrue(rt.unsubscribe(topic, sub.id()));
            final long v = started.get(); // publishes of sequences above v started after unsubscribe returned
            limit.set(v + 20_000);
            publisher.await();
            // everything enqueued has been taken; the sentinel comes after all of it
            Poll.until(() -> rt.mailboxDepth(sub.id()) == 0, WAIT);
            sub.tell(-1L);
            final long max = await(sentinel);
            assertTrue(max <= v, "received event " + max + " published after unsubscribe returned (at " + v + ")");
        }
    }

    // ---------------------------------------------------------------- 6.5 terminated subscribers removed

    @Test
    void spec_6_5_terminatedSubscribersAreRemovedAutomatically() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final Topic<String> topic = Topic.of("mortal", String.class);
        final List<String> survivorSeen = new ArrayList<>();
        final AgentRef<String> survivor = spawnSink(rt, String.class, survivorSeen, 8);
        final AgentRef<String> stopped = rt.spawn(String.class, () -> (m, ctx) -> { });
        final AgentRef<String> failed = rt.spawn(String.class, () -> (m, ctx) -> {
            throw new IllegalStateException("planned failure (test)");
        });
        rt.subscribe(topic, survivor);
        rt.subscribe(topic, stopped);
        rt.subscribe(topic, failed);
        assertEquals(3, rt.subscriberCount(topic));

        rt.stop(stopped.id());
        failed.tell("boom");
        d.runUntilIdle();
        assertTrue(rt.state(stopped.id()).isEmpty());
        assertTrue(rt.state(failed.id()).isEmpty());
        assertEquals(1, rt.subscriberCount(topic), "removed at termination, before any publish");

        final RuntimeCounters before = rt.counters();
        assertEquals(1, rt.publish(topic, "after"));
        assertEquals(before.rejectedNotFound(), rt.counters().rejectedNotFound());
        d.runUntilIdle();
        assertEquals(List.of("after"), survivorSeen);
    }

    @Test
    void spec_6_5_aStoppingSubscriberGetsNoEventAndIsDroppedFromTheTopic() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final Topic<String> topic = Topic.of("stopping", String.class);
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> sub = spawnSink(rt, String.class, seen, 8);
        rt.subscribe(topic, sub);
        assertEquals(1, rt.publish(topic, "before"));
        rt.stop(sub.id()); // stopping: nothing has run since, the agent is still registered
        assertTrue(rt.state(sub.id()).isPresent());
        final RuntimeCounters before = rt.counters();

        assertEquals(0, rt.publish(topic, "after stop"));
        final RuntimeCounters after = rt.counters();
        assertEquals(before.accepted(), after.accepted());
        assertEquals(before.droppedEvents(), after.droppedEvents(), "not a slow-subscriber loss");
        assertEquals(before.rejectedNotFound(), after.rejectedNotFound(), "an event is not a refused send");

        d.runUntilIdle();
        assertEquals(List.of("before"), seen, "accepted before the stop: processed (rule 3.6); after: never");
        assertEquals(0, rt.subscriberCount(topic));
    }

    @Test
    void spec_6_5_aStoppingAgentCannotSubscribe() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final Topic<String> topic = Topic.of("late", String.class);
        final AgentRef<String> a = rt.spawn(String.class, () -> (m, ctx) -> { });
        d.runUntilIdle();
        rt.stop(a.id());
        assertThrows(AgentNotFoundException.class, () -> rt.subscribe(topic, a));
        assertEquals(0, rt.subscriberCount(topic));
    }

    // ---------------------------------------------------------------- 6.6 slow subscriber

    @Test
    void spec_6_6_slowSubscriberLosesEventsCountedWhileOthersGetAllAndPublishNeverBlocks() throws Exception {
        final AgentRuntime rt = runtimes.pool(2);
        final Topic<Integer> topic = Topic.of("firehose", Integer.class);
        final List<Integer> slowSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AgentRef<Integer> slow = spawnSink(rt, Integer.class, slowSeen, 4);
        final CompletableFuture<List<Integer>> fastDone = new CompletableFuture<>();
        final int events = 200;
        final AgentRef<Integer> fast = rt.spawn(Integer.class, () -> new Agent<Integer>() {
            private final List<Integer> seen = new ArrayList<>();

            @Override
            public void onMessage(final Integer m, final AgentContext<Integer> ctx) {
                seen.add(m);
                if (seen.size() == events) {
                    fastDone.complete(seen);
                }
            }
        }, SpawnOptions.defaults().withMailboxCapacity(256));
        rt.pause(slow.id());
        Poll.until(() -> rt.state(slow.id()).orElseThrow() == AgentState.PAUSED, WAIT);
        rt.subscribe(topic, slow);
        rt.subscribe(topic, fast);

        // the publisher runs on its own thread; it must finish while the slow subscriber stays paused
        final CompletableFuture<Integer> accepted = CompletableFuture.supplyAsync(() -> {
            int sum = 0;
            for (int i = 0; i < events; i++) {
                sum += rt.publish(topic, i);
            }
            return sum;
        });
        assertEquals(events + 4, await(accepted), "fast takes all, slow takes its capacity");
        assertEquals(4, rt.mailboxDepth(slow.id()));
        assertEquals(IntStream.range(0, events).boxed().collect(Collectors.toList()), await(fastDone));
        final RuntimeCounters c = rt.counters();
        assertEquals(events - 4, c.droppedEvents());
        assertEquals(0, c.rejectedFull(), "lost events are counted as dropped, not as refused sends");

        rt.resume(slow.id());
        Poll.until(() -> slowSeen.size() == 4, WAIT);
        assertEquals(List.of(0, 1, 2, 3), slowSeen);
        assertEquals(2, rt.subscriberCount(topic), "a slow subscriber stays subscribed");
    }

    // ---------------------------------------------------------------- 6.7 system topics

    @Test
    void spec_6_7_systemTopicsCarryLifecycleFailureAndDeadLetterEvents() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<LifecycleEvent> lifecycle = new ArrayList<>();
        final List<AgentFailure> failures = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        rt.subscribe(SystemTopics.LIFECYCLE, spawnSink(rt, LifecycleEvent.class, lifecycle, 256));
        rt.subscribe(SystemTopics.FAILURES, spawnSink(rt, AgentFailure.class, failures, 256));
        rt.subscribe(SystemTopics.DEAD_LETTERS, spawnSink(rt, DeadLetter.class, deadLetters, 256));
        d.runUntilIdle();

        final IllegalStateException planned = new IllegalStateException("planned failure (test)");
        final AgentRef<String> target = rt.spawn(String.class, () -> (m, ctx) -> {
            if (m.equals("boom")) {
                throw planned;
            }
        });
        target.tell("fine");
        target.tell("boom");
        target.tell("left over");
        d.runUntilIdle();

        final List<String> transitions = lifecycle.stream().filter(e -> e.agent().equals(target.id()))
                .map(e -> e.from() + "->" + e.to()).collect(Collectors.toList());
        assertEquals(List.of("STARTING->RUNNING", "RUNNING->SHUTTING_DOWN", "SHUTTING_DOWN->TERMINATED"),
                transitions);

        assertEquals(1, failures.size());
        final AgentFailure f = failures.get(0);
        assertEquals(target.id(), f.agent());
        assertEquals(AgentFailure.Phase.MESSAGE, f.phase());
        assertEquals(String.class, f.messageType());
        assertSame(planned, f.cause());
        assertEquals(AgentFailure.Decision.STOP, f.decision());

        assertEquals(1, deadLetters.size());
        assertEquals(new DeadLetter(target.id(), "left over", DeadLetter.Reason.RECIPIENT_TERMINATED),
                deadLetters.get(0));
        final RuntimeCounters c = rt.counters();
        assertEquals(1, c.failures());
        assertEquals(1, c.deadLetters());
        assertConservation(c);
    }
}

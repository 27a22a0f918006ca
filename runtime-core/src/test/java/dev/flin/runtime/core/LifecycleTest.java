package dev.flin.runtime.core;

import static dev.flin.runtime.core.Await.await;
import static dev.flin.runtime.core.Await.awaitTrue;
import static dev.flin.runtime.core.Await.join;
import static dev.flin.runtime.core.Await.tellRetrying;
import static dev.flin.runtime.core.Await.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.IllegalLifecycleTransitionException;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Section 3 of the spec: lifecycle. */
class LifecycleTest extends RuntimeTestSupport {

    private static List<Integer> range(final int fromInclusive, final int toInclusive) {
        return IntStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }

    /**
     * Checks that the observed transitions of one agent form one legal walk from STARTING: every
     * edge legal (rule 3.1), each starting where the previous ended (rule 3.9), ending with
     * TERMINATED if {@code complete}.
     */
    private static void assertLegalWalk(final AgentId id, final List<LifecycleEvent> events, final boolean complete) {
        assertFalse(events.isEmpty(), "no transitions observed for " + id);
        AgentState current = AgentState.STARTING;
        for (final LifecycleEvent event : events) {
            assertEquals(id, event.agent());
            assertEquals(current, event.from(), id + ": transition out of order or missing in " + edges(events));
            assertTrue(event.from().canTransitionTo(event.to()), id + ": illegal edge in " + edges(events));
            current = event.to();
        }
        if (complete) {
            assertEquals(AgentState.TERMINATED, current, id + ": did not end TERMINATED: " + edges(events));
        }
    }

    // ---------------------------------------------------------------------------------------
    // 3.1 Legal transitions only
    // ---------------------------------------------------------------------------------------

    /** The edge table is exactly the documented diagram; TERMINATED has no way out. */
    @Test
    void spec_3_1_canTransitionToAllowsExactlyTheDocumentedEdges() {
        final Map<AgentState, Set<AgentState>> documented = new HashMap<>();
        documented.put(AgentState.STARTING, EnumSet.of(AgentState.STARTING, AgentState.RUNNING, AgentState.PAUSED,
                AgentState.SHUTTING_DOWN));
        documented.put(AgentState.RUNNING, EnumSet.of(AgentState.PAUSED, AgentState.STARTING, AgentState.SHUTTING_DOWN));
        documented.put(AgentState.PAUSED, EnumSet.of(AgentState.RUNNING, AgentState.STARTING, AgentState.SHUTTING_DOWN));
        documented.put(AgentState.SHUTTING_DOWN, EnumSet.of(AgentState.TERMINATED));
        documented.put(AgentState.TERMINATED, EnumSet.noneOf(AgentState.class));
        for (final AgentState from : AgentState.values()) {
            for (final AgentState to : AgentState.values()) {
                final boolean legal = documented.get(from).contains(to);
                assertEquals(legal, from.canTransitionTo(to), from + " -> " + to);
                if (!legal) {
                    assertThrows(IllegalLifecycleTransitionException.class,
                            () -> new LifecycleEvent(new AgentId(1), from, to));
                }
            }
            assertEquals(from == AgentState.TERMINATED, from.isTerminal());
        }
    }

    /**
     * Thirty agents on a worker pool go through every kind of life (plain stop, pause/resume,
     * failures with restarts, failure-stop, onStart failures, stop while paused, self-stop) at the
     * same time. A recorder subscribed to LIFECYCLE must see, for each, one legal, gap-free walk
     * from STARTING to TERMINATED.
     */
    @Test
    void spec_3_1_everyObservedTransitionIsALegalEdgeInOrderUnderConcurrency() throws Exception {
        final AgentRuntime rt = workerPool(2, uniquePrefix("edges"), RuntimeOptions.defaults().withBatchSize(2));
        final Recorder<LifecycleEvent> recorder = Recorder.on(rt, SystemTopics.LIFECYCLE);
        final int agents = 36;
        final List<AgentRef<Integer>> refs = new ArrayList<>();
        final List<CompletableFuture<TerminationCause>> ends = new ArrayList<>();
        final AtomicIntegerArray handled = new AtomicIntegerArray(agents);
        for (int i = 0; i < agents; i++) {
            final int role = i % 6;
            final int index = i;
            final SpawnOptions options = switch (role) {
                case 2 -> SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE));
                case 4 -> SpawnOptions.defaults().withRestartPolicy(
                        RestartPolicy.onFailure(2, Duration.ofMinutes(1), Backoff.NONE));
                default -> SpawnOptions.defaults();
            };
            final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> new Agent<>() {
                @Override
                public void onStart(final AgentContext<Integer> ctx) {
                    if (role == 4) {
                        throw new IllegalStateException("cannot start");
                    }
                }

                @Override
                public void onMessage(final Integer m, final AgentContext<Integer> ctx) {
                    handled.incrementAndGet(index);
                    if ((role == 2 && m % 3 == 0) || (role == 3 && m == 5)) {
                        throw new IllegalStateException("fail on " + m);
                    }
                    if (role == 1 && m == 20) {
                        ctx.stop();
                    }
                }
            }, options.withMailboxCapacity(64));
            refs.add(ref);
            ends.add(rt.whenTerminated(ref.id()).toCompletableFuture());
        }
        final List<Thread> drivers = new ArrayList<>();
        for (int d = 0; d < 2; d++) {
            final int driver = d;
            drivers.add(new Thread(() -> {
                for (int i = driver; i < agents; i += 2) {
                    final AgentRef<Integer> ref = refs.get(i);
                    final int role = i % 6;
                    try {
                        if (role == 5) {
                            rt.pause(ref.id());
                        }
                        for (int m = 1; m <= 20; m++) {
                            ref.tell(m);
                            if (role == 0 && m == 10) {
                                rt.pause(ref.id());
                                rt.resume(ref.id());
                            }
                        }
                        if (role == 5) {
                            awaitTrue(() -> rt.state(ref.id()).equals(Optional.of(AgentState.PAUSED)));
                        }
                        if (role == 2) {
                            // restarts happen only while not stopping: a failure during a stop is
                            // never restarted (RestartPolicy), so let the failures happen first
                            final int index = i;
                            awaitTrue(() -> handled.get(index) == 20);
                        }
                        if (role != 1) {
                            rt.stop(ref.id());
                        }
                    } catch (AgentNotFoundException expected) {
                        // roles 3 and 4 may already be gone: that is their life
                    }
                }
            }));
        }
        drivers.forEach(Thread::start);
        drivers.forEach(Await::join);
        for (final CompletableFuture<TerminationCause> end : ends) {
            value(end);
        }
        final Set<AgentId> ids = new HashSet<>();
        refs.forEach(r -> ids.add(r.id()));
        awaitTrue("a TERMINATED event for every agent", () -> recorder.matching(
                e -> ids.contains(e.agent()) && e.to() == AgentState.TERMINATED).size() == agents);

        for (int i = 0; i < agents; i++) {
            final AgentId id = refs.get(i).id();
            final List<LifecycleEvent> events = recorder.matching(e -> e.agent().equals(id));
            assertLegalWalk(id, events, true);
            final List<String> edges = edges(events);
            switch (i % 6) {
                case 2 -> assertTrue(edges.contains("RUNNING->STARTING"), "restart not observed: " + edges);
                case 4 -> assertEquals(List.of("STARTING->STARTING", "STARTING->STARTING",
                        "STARTING->SHUTTING_DOWN", "SHUTTING_DOWN->TERMINATED"), edges);
                case 5 -> assertTrue(edges.contains("PAUSED->SHUTTING_DOWN"), "stop while paused: " + edges);
                default -> { }
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // 3.2 onStart before the first message
    // ---------------------------------------------------------------------------------------

    /** Messages sent right after spawn wait for onStart; so do messages after a restart. */
    @Test
    void spec_3_2_onStartCompletesBeforeTheFirstMessageOfEveryInstance() {
        final AgentRuntime rt = deterministic(32);
        final List<String> log = new ArrayList<>();
        final AtomicInteger instances = new AtomicInteger();
        final AgentRef<String> ref = rt.spawn(String.class, () -> {
            final int n = instances.incrementAndGet();
            return new Agent<String>() {
                @Override
                public void onStart(final AgentContext<String> ctx) {
                    log.add("start" + n);
                }

                @Override
                public void onMessage(final String m, final AgentContext<String> ctx) {
                    log.add(m + n);
                    if (m.equals("boom")) {
                        throw new IllegalStateException();
                    }
                }
            };
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        ref.tell("a");
        ref.tell("b");
        ref.tell("boom");
        ref.tell("c");
        runUntilIdle();
        assertEquals(List.of("start1", "a1", "b1", "boom1", "start2", "c2"), log);
    }

    /** On a worker pool: while onStart is still running, no message is handled; they wait in order. */
    @Test
    void spec_3_2_messagesSentDuringASlowOnStartWaitForIt() {
        final AgentRuntime rt = workerPool(2);
        final CountDownLatch inStart = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        beforeShutdown(release::countDown);
        final List<String> log = new CopyOnWriteArrayList<>();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> new Agent<>() {
            @Override
            public void onStart(final AgentContext<Integer> ctx) throws InterruptedException {
                inStart.countDown();
                release.await();
                log.add("started");
            }

            @Override
            public void onMessage(final Integer m, final AgentContext<Integer> ctx) {
                log.add("m" + m);
            }
        });
        await(inStart);
        for (int i = 1; i <= 50; i++) {
            ref.tell(i);
        }
        assertEquals(List.of(), log, "a message was handled while onStart was running");
        assertEquals(Optional.of(AgentState.STARTING), rt.state(ref.id()));
        assertEquals(50, rt.mailboxDepth(ref.id()));
        release.countDown();
        awaitTrue(() -> log.size() == 51);
        final List<String> expected = new ArrayList<>();
        expected.add("started");
        range(1, 50).forEach(i -> expected.add("m" + i));
        assertEquals(expected, log);
    }

    // ---------------------------------------------------------------------------------------
    // 3.3 onStop exactly once per started instance, after its last message
    // ---------------------------------------------------------------------------------------

    /** Repeated external stops and a self-stop still give one onStop, after the last message. */
    @Test
    void spec_3_3_onStopRunsExactlyOnceAfterTheLastMessage() throws Exception {
        final AgentRuntime rt = deterministic(33);
        final List<String> log = new ArrayList<>();
        final AgentRef<String> ref = rt.spawn(String.class, () -> new Agent<>() {
            @Override
            public void onMessage(final String m, final AgentContext<String> ctx) {
                log.add(m);
                if (m.equals("self-stop")) {
                    ctx.stop();
                    ctx.stop();
                }
            }

            @Override
            public void onStop(final AgentContext<String> ctx) {
                log.add("onStop");
            }
        });
        final CompletableFuture<TerminationCause> end = rt.whenTerminated(ref.id()).toCompletableFuture();
        ref.tell("a");
        ref.tell("self-stop");
        ref.tell("b");
        rt.stop(ref.id());
        rt.stop(ref.id());
        runUntilIdle();
        assertEquals(List.of("a", "self-stop", "b", "onStop"), log);
        assertEquals(TerminationCause.STOPPED, end.getNow(null));
    }

    /**
     * onStop runs on the failed instance before its replacement starts, never on an instance
     * whose onStart failed, and once on the last instance when it stops.
     */
    @Test
    void spec_3_3_onStopForFailedInstanceBeforeRestartButNotWhenOnStartFailed() {
        final AgentRuntime rt = deterministic(34);
        final List<String> log = new ArrayList<>();
        final AtomicInteger instances = new AtomicInteger();
        final AgentRef<String> ref = rt.spawn(String.class, () -> {
            final int n = instances.incrementAndGet();
            return new Agent<String>() {
                @Override
                public void onStart(final AgentContext<String> ctx) {
                    log.add("start" + n);
                    if (n == 2) {
                        throw new IllegalStateException("start fails");
                    }
                }

                @Override
                public void onMessage(final String m, final AgentContext<String> ctx) {
                    log.add(m + n);
                    if (m.equals("boom")) {
                        throw new IllegalStateException("boom");
                    }
                }

                @Override
                public void onStop(final AgentContext<String> ctx) {
                    log.add("stop" + n);
                }
            };
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        ref.tell("a");
        ref.tell("boom");
        ref.tell("c");
        runUntilIdle();
        rt.stop(ref.id());
        runUntilIdle();
        assertEquals(List.of("start1", "a1", "boom1", "stop1", "start2", "start3", "c3", "stop3"), log);
    }

    /**
     * On a worker pool, agents are stopped by three threads at once, by themselves, and are
     * bombarded with messages meanwhile: each gets exactly one onStop and no message after it.
     */
    @Test
    void spec_3_3_concurrentStopsGiveExactlyOneOnStopAndNoMessageAfterIt() throws Exception {
        final AgentRuntime rt = workerPool(2);
        final int agents = 40;
        final AtomicIntegerArray stops = new AtomicIntegerArray(agents);
        final AtomicInteger afterStop = new AtomicInteger();
        final List<AgentRef<Integer>> refs = new ArrayList<>();
        final List<CompletableFuture<TerminationCause>> ends = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            final int index = i;
            final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> new Agent<>() {
                boolean stopped; // plain: rule 1.2

                @Override
                public void onMessage(final Integer m, final AgentContext<Integer> ctx) {
                    if (stopped) {
                        afterStop.incrementAndGet();
                    }
                    if (m % 7 == index % 7) {
                        ctx.stop();
                    }
                }

                @Override
                public void onStop(final AgentContext<Integer> ctx) {
                    stopped = true;
                    stops.incrementAndGet(index);
                }
            }, SpawnOptions.defaults().withMailboxCapacity(32));
            refs.add(ref);
            ends.add(rt.whenTerminated(ref.id()).toCompletableFuture());
        }
        final List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(() -> {
            for (int m = 1; m <= 100; m++) {
                for (final AgentRef<Integer> ref : refs) {
                    try {
                        ref.tell(m);
                    } catch (AgentNotFoundException | MailboxFullException expected) {
                        // stopping or busy: fine
                    }
                }
            }
        }));
        for (int s = 0; s < 3; s++) {
            threads.add(new Thread(() -> {
                for (final AgentRef<Integer> ref : refs) {
                    try {
                        rt.stop(ref.id());
                    } catch (AgentNotFoundException alreadyGone) {
                        // terminated already
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        threads.forEach(Await::join);
        for (final CompletableFuture<TerminationCause> end : ends) {
            assertEquals(TerminationCause.STOPPED, value(end));
        }
        for (int i = 0; i < agents; i++) {
            assertEquals(1, stops.get(i), "onStop calls of agent " + i);
        }
        assertEquals(0, afterStop.get(), "a message was handled after onStop");
    }

    // ---------------------------------------------------------------------------------------
    // 3.4 Paused processes nothing, still accepts up to capacity
    // ---------------------------------------------------------------------------------------

    @Test
    void spec_3_4_pausedAgentProcessesNothingButAcceptsUpToCapacity() {
        final AgentRuntime rt = deterministic(35);
        final List<Integer> handled = new ArrayList<>();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> (m, ctx) -> handled.add(m),
                SpawnOptions.defaults().withMailboxCapacity(8));
        runUntilIdle();
        rt.pause(ref.id());
        runUntilIdle();
        assertEquals(Optional.of(AgentState.PAUSED), rt.state(ref.id()));

        for (int i = 1; i <= 8; i++) {
            ref.tell(i); // accepted while paused
        }
        final long rejectedBefore = rt.counters().rejectedFull();
        final MailboxFullException full = assertThrows(MailboxFullException.class, () -> ref.tell(9));
        assertEquals(ref.id(), full.agent());
        assertEquals(rejectedBefore + 1, rt.counters().rejectedFull());
        runUntilIdle();
        dispatcher.advanceTime(Duration.ofSeconds(10));
        assertEquals(List.of(), handled, "a paused agent processed a message");
        assertEquals(8, rt.mailboxDepth(ref.id()));
        assertEquals(Optional.of(AgentState.PAUSED), rt.state(ref.id()));

        rt.resume(ref.id());
        runUntilIdle();
        assertEquals(range(1, 8), handled, "rule 3.5: resume continues in order");
    }

    /** A pause requested by the handler takes effect before the next message of the batch. */
    @Test
    void spec_3_4_pauseTakesEffectBeforeTheNextMessage() {
        final AgentRuntime rt = deterministic(36);
        final List<Integer> handled = new ArrayList<>();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> (m, ctx) -> {
            handled.add(m);
            if (m == 2) {
                ctx.runtime().pause(ctx.self().id());
            }
        });
        for (int i = 1; i <= 5; i++) {
            ref.tell(i);
        }
        runUntilIdle();
        assertEquals(List.of(1, 2), handled);
        assertEquals(Optional.of(AgentState.PAUSED), rt.state(ref.id()));
        assertEquals(3, rt.mailboxDepth(ref.id()));
        rt.resume(ref.id());
        runUntilIdle();
        assertEquals(range(1, 5), handled);
    }

    // ---------------------------------------------------------------------------------------
    // 3.5 Resume continues in order
    // ---------------------------------------------------------------------------------------

    /** Messages queued before the pause and sent during it come out in send order after resume. */
    @Test
    void spec_3_5_resumeContinuesInOrderWithMessagesFromBeforeAndDuringThePause() {
        final AgentRuntime rt = deterministic(37);
        final List<Integer> handled = new ArrayList<>();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> (m, ctx) -> handled.add(m));
        for (int i = 1; i <= 3; i++) {
            ref.tell(i);
        }
        rt.pause(ref.id()); // before the agent even started: it starts PAUSED
        runUntilIdle();
        assertEquals(Optional.of(AgentState.PAUSED), rt.state(ref.id()));
        for (int i = 4; i <= 6; i++) {
            ref.tell(i);
        }
        runUntilIdle();
        assertEquals(List.of(), handled);
        rt.resume(ref.id());
        runUntilIdle();
        assertEquals(range(1, 6), handled);
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()));
    }

    /**
     * On a worker pool, one thread toggles pause/resume as fast as it can while another sends
     * 1..N (waiting while the paused mailbox is full): the agent sees exactly 1..N.
     */
    @Test
    void spec_3_5_pauseResumeTogglingUnderLoadKeepsOrderAndLosesNothing() {
        final AgentRuntime rt = workerPool(2);
        // With 20,000 the sender outlasted the join's 10 s deadline twice on two cores (once in a
        // CI run alone on the machine): how many messages pass between toggles is the scheduler's
        // business with four busy threads on two cores. A deadline is not what this test checks.
        final int n = 5_000;
        final AtomicInteger outOfOrder = new AtomicInteger();
        final AtomicInteger count = new AtomicInteger();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> new Agent<>() {
            int expected = 1; // plain

            @Override
            public void onMessage(final Integer m, final AgentContext<Integer> ctx) {
                if (m != expected) {
                    outOfOrder.incrementAndGet();
                }
                expected = m + 1;
                count.incrementAndGet();
            }
        }, SpawnOptions.defaults().withMailboxCapacity(128));
        final AtomicBoolean sending = new AtomicBoolean(true);
        final AtomicInteger toggles = new AtomicInteger();
        final Thread toggler = new Thread(() -> {
            while (sending.get()) {
                rt.pause(ref.id());
                rt.resume(ref.id());
                toggles.incrementAndGet();
            }
        });
        final Thread sender = new Thread(() -> {
            for (int i = 1; i <= n; i++) {
                tellRetrying(ref, i);
            }
        });
        toggler.start();
        sender.start();
        join(sender);
        sending.set(false);
        join(toggler);
        rt.resume(ref.id());
        awaitTrue(() -> "handled " + count.get(), () -> count.get() == n, Await.TIMEOUT);
        assertEquals(0, outOfOrder.get());
        assertTrue(toggles.get() > 0);
    }

    // ---------------------------------------------------------------------------------------
    // 3.6 Stop ordered after accepted messages
    // ---------------------------------------------------------------------------------------

    @Test
    void spec_3_6_stopIsOrderedAfterAcceptedMessagesAndLaterSendsAreNotFound() {
        final AgentRuntime rt = deterministic(38);
        final List<String> log = new ArrayList<>();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> new Agent<>() {
            @Override
            public void onMessage(final Integer m, final AgentContext<Integer> ctx) {
                log.add("m" + m);
            }

            @Override
            public void onStop(final AgentContext<Integer> ctx) {
                log.add("stop");
            }
        });
        final CompletableFuture<TerminationCause> end = rt.whenTerminated(ref.id()).toCompletableFuture();
        for (int i = 1; i <= 5; i++) {
            ref.tell(i);
        }
        rt.stop(ref.id());
        final long notFoundBefore = rt.counters().rejectedNotFound();
        final AgentNotFoundException refused = assertThrows(AgentNotFoundException.class, () -> ref.tell(6));
        assertEquals(ref.id(), refused.agent());
        assertThrows(AgentNotFoundException.class, () -> rt.send(ref.id(), 7));
        assertEquals(notFoundBefore + 2, rt.counters().rejectedNotFound());
        runUntilIdle();
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "stop"), log);
        assertEquals(TerminationCause.STOPPED, end.getNow(null));
        assertEquals(0, rt.counters().deadLetters());
    }

    /** A paused agent that is stopped processes its accepted messages first (it is not resumed otherwise). */
    @Test
    void spec_3_6_stopOfAPausedAgentDrainsItsMailbox() {
        final AgentRuntime rt = deterministic(39);
        final Recorder<LifecycleEvent> lifecycle = Recorder.on(rt, SystemTopics.LIFECYCLE);
        final List<Integer> handled = new ArrayList<>();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> (m, ctx) -> handled.add(m),
                SpawnOptions.defaults().withMailboxCapacity(8));
        runUntilIdle();
        rt.pause(ref.id());
        runUntilIdle();
        for (int i = 1; i <= 8; i++) {
            ref.tell(i);
        }
        rt.stop(ref.id());
        runUntilIdle();
        assertEquals(range(1, 8), handled);
        assertEquals(0, rt.counters().deadLetters());
        assertEquals(List.of("STARTING->RUNNING", "RUNNING->PAUSED", "PAUSED->SHUTTING_DOWN",
                "SHUTTING_DOWN->TERMINATED"), edges(lifecycle.matching(e -> e.agent().equals(ref.id()))));
    }

    /**
     * On a worker pool, a sender streams 1, 2, 3, ... into a busy agent; the test stops it after
     * having seen K accepted. Every message accepted before stop() was called is processed, the
     * processed ones are a gap-free prefix, and every other accepted message is a dead letter.
     */
    @Test
    void spec_3_6_messagesAcceptedBeforeStopReturnsAreProcessedWhileASenderRaces() throws Exception {
        final AgentRuntime rt = workerPool(2);
        final Recorder<DeadLetter> dead = Recorder.on(rt, SystemTopics.DEAD_LETTERS);
        final CompletableFuture<List<Integer>> processed = new CompletableFuture<>();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> new Agent<>() {
            final List<Integer> seen = new ArrayList<>();

            @Override
            public void onMessage(final Integer m, final AgentContext<Integer> ctx) {
                seen.add(m);
            }

            @Override
            public void onStop(final AgentContext<Integer> ctx) {
                processed.complete(List.copyOf(seen));
            }
        }, SpawnOptions.defaults().withMailboxCapacity(1024));
        final CompletableFuture<TerminationCause> end = rt.whenTerminated(ref.id()).toCompletableFuture();
        final AtomicInteger lastAccepted = new AtomicInteger();
        final Thread sender = new Thread(() -> {
            int i = 1;
            while (true) {
                try {
                    ref.tell(i);
                    lastAccepted.set(i);
                    i++;
                } catch (MailboxFullException busy) {
                    Thread.onSpinWait();
                } catch (AgentNotFoundException stopped) {
                    return;
                }
            }
        });
        sender.start();
        awaitTrue(() -> lastAccepted.get() >= 5_000);
        final int acceptedBeforeStop = lastAccepted.get();
        rt.stop(ref.id());
        join(sender);
        assertEquals(TerminationCause.STOPPED, value(end));
        final int accepted = lastAccepted.get();
        final List<Integer> seen = value(processed);

        assertTrue(seen.size() >= acceptedBeforeStop,
                "only " + seen.size() + " processed, but " + acceptedBeforeStop + " were accepted before stop");
        assertEquals(range(1, seen.size()), seen, "processed messages are not the in-order prefix");
        awaitTrue(() -> dead.matching(d -> d.recipient().equals(ref.id())).size() == accepted - seen.size());
        assertEquals(range(seen.size() + 1, accepted),
                dead.matching(d -> d.recipient().equals(ref.id())).stream().map(d -> (Integer) d.message()).toList());
    }

    /**
     * A stop that arrives while a failed agent waits out a (long) restart backoff cuts the wait
     * short: a fresh instance processes the messages accepted before the stop, then stops.
     */
    @Test
    void spec_3_6_stopDuringARestartBackoffStillProcessesAcceptedMessages() {
        final AgentRuntime rt = deterministic(47);
        final List<String> log = new ArrayList<>();
        final AtomicInteger instances = new AtomicInteger();
        final AgentRef<String> ref = rt.spawn(String.class, () -> {
            final int n = instances.incrementAndGet();
            return new Agent<String>() {
                @Override
                public void onMessage(final String m, final AgentContext<String> ctx) {
                    log.add(n + ":" + m);
                    if (m.equals("boom")) {
                        throw new IllegalStateException();
                    }
                }

                @Override
                public void onStop(final AgentContext<String> ctx) {
                    log.add(n + ":stop");
                }
            };
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(
                new Backoff(Duration.ofHours(1), Duration.ofHours(1), 1.0))));
        final CompletableFuture<TerminationCause> end = rt.whenTerminated(ref.id()).toCompletableFuture();
        ref.tell("boom");
        runUntilIdle();
        assertEquals(Optional.of(AgentState.STARTING), rt.state(ref.id()));
        ref.tell("a");
        ref.tell("b");
        rt.stop(ref.id());
        runUntilIdle(); // the clock does not move: the backoff is cut short by the stop
        assertEquals(List.of("1:boom", "1:stop", "2:a", "2:b", "2:stop"), log);
        assertEquals(TerminationCause.STOPPED, end.getNow(null));
        assertEquals(0, rt.counters().deadLetters());
    }

    /** A self-stop: messages already accepted are processed; the agent's own later sends are refused. */
    @Test
    void spec_3_6_selfStopProcessesAcceptedMessagesAndRefusesLaterOnes() {
        final AgentRuntime rt = deterministic(40);
        final List<String> log = new ArrayList<>();
        final AgentRef<String> ref = rt.spawn(String.class, () -> (m, ctx) -> {
            log.add(m);
            if (m.equals("stop")) {
                ctx.stop();
                try {
                    ctx.self().tell("after");
                    log.add("after-accepted");
                } catch (AgentNotFoundException expected) {
                    log.add("after-refused");
                }
            }
        });
        ref.tell("a");
        ref.tell("stop");
        ref.tell("b");
        runUntilIdle();
        assertEquals(List.of("a", "stop", "after-refused", "b"), log);
        assertEquals(Optional.empty(), rt.state(ref.id()));
    }

    // ---------------------------------------------------------------------------------------
    // 3.7 Leftovers dead-lettered
    // ---------------------------------------------------------------------------------------

    /** After a failure the policy does not restart, the unprocessed rest of the mailbox is dead-lettered. */
    @Test
    void spec_3_7_leftoversOfAFailureStopAreDeadLettered() throws Exception {
        final AgentRuntime rt = deterministic(41);
        final Recorder<DeadLetter> dead = Recorder.on(rt, SystemTopics.DEAD_LETTERS);
        final List<String> handled = new ArrayList<>();
        final AgentRef<String> ref = rt.spawn(String.class, () -> (m, ctx) -> {
            handled.add(m);
            if (m.equals("boom")) {
                throw new IllegalStateException("boom");
            }
        });
        final CompletableFuture<TerminationCause> end = rt.whenTerminated(ref.id()).toCompletableFuture();
        final String c = new String("c");
        for (final String m : List.of("a", "boom", "b", c)) {
            ref.tell(m);
        }
        runUntilIdle();
        assertEquals(TerminationCause.FAILED, end.getNow(null));
        assertEquals(List.of("a", "boom"), handled);
        final List<DeadLetter> mine = dead.matching(d -> d.recipient().equals(ref.id()));
        assertEquals(List.of("b", "c"), mine.stream().map(DeadLetter::message).toList());
        assertTrue(mine.get(1).message() == c, "the dead letter is the message itself");
        assertTrue(mine.stream().allMatch(d -> d.reason() == DeadLetter.Reason.RECIPIENT_TERMINATED));
        final var counters = rt.counters();
        assertEquals(2, counters.deadLetters());
        assertEquals(counters.accepted(), counters.processed() + counters.deadLetters()
                + counters.staleTimerMessages() + counters.queued());
    }

    /**
     * Four senders race a stop: each counts the tells that were accepted. Every accepted message
     * is either processed or dead-lettered, exactly once, and the dead letters are exactly the
     * accepted messages that were not processed.
     */
    @Test
    void spec_3_7_racingSendersMessagesAreProcessedOrDeadLetteredExactlyOnce() throws Exception {
        final AgentRuntime rt = workerPool(2);
        final Recorder<DeadLetter> dead = Recorder.on(rt, SystemTopics.DEAD_LETTERS);
        final Set<Long> processed = ConcurrentHashMap.newKeySet();
        final AtomicInteger duplicates = new AtomicInteger();
        final AgentRef<Long> ref = rt.spawn(Long.class, () -> (m, ctx) -> {
            if (!processed.add(m)) {
                duplicates.incrementAndGet();
            }
        }, SpawnOptions.defaults().withMailboxCapacity(256));
        final CompletableFuture<TerminationCause> end = rt.whenTerminated(ref.id()).toCompletableFuture();
        final int senders = 4;
        final Set<Long> accepted = ConcurrentHashMap.newKeySet();
        final CountDownLatch warm = new CountDownLatch(senders);
        final List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            final long base = (long) s << 32;
            threads.add(new Thread(() -> {
                for (long i = 1; ; i++) {
                    if (i == 500) {
                        warm.countDown();
                    }
                    try {
                        ref.tell(base + i);
                        accepted.add(base + i);
                    } catch (MailboxFullException busy) {
                        Thread.onSpinWait();
                    } catch (AgentNotFoundException stopped) {
                        return;
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        await(warm);
        rt.stop(ref.id());
        threads.forEach(Await::join);
        value(end);
        awaitTrue(() -> processed.size() + dead.matching(d -> d.recipient().equals(ref.id())).size() == accepted.size());

        final Set<Object> deadMessages = new HashSet<>();
        dead.matching(d -> d.recipient().equals(ref.id())).forEach(d -> deadMessages.add(d.message()));
        assertEquals(0, duplicates.get());
        for (final Object m : deadMessages) {
            assertFalse(processed.contains(m), "dead-lettered and processed: " + m);
        }
        final Set<Object> union = new HashSet<>(processed);
        union.addAll(deadMessages);
        assertEquals(new HashSet<Object>(accepted), union);
        final var c = rt.counters();
        assertEquals(c.accepted(), c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued());
    }

    // ---------------------------------------------------------------------------------------
    // 3.8 Ids never reused
    // ---------------------------------------------------------------------------------------

    @Test
    void spec_3_8_idsAreNeverReusedAcrossManySpawnsAndStops() {
        final AgentRuntime rt = deterministic(42);
        final Set<AgentId> seen = new HashSet<>();
        AgentId previous = null;
        AgentId firstTerminated = null;
        for (int i = 0; i < 2_000; i++) {
            final AgentRef<String> ref = rt.spawn(String.class, () -> (m, ctx) -> { });
            assertTrue(seen.add(ref.id()), "id reused: " + ref.id());
            if (previous != null) {
                assertTrue(ref.id().compareTo(previous) > 0);
            }
            previous = ref.id();
            if (i % 3 != 0) {
                rt.stop(ref.id());
            }
            runUntilIdle();
            if (firstTerminated == null && i % 3 != 0) {
                firstTerminated = ref.id();
            }
        }
        final AgentId stale = firstTerminated;
        assertEquals(Optional.empty(), rt.state(stale));
        assertThrows(AgentNotFoundException.class, () -> rt.send(stale, "still dead"));
    }

    @Test
    void spec_3_8_concurrentSpawnsNeverShareAnId() {
        final AgentRuntime rt = workerPool(2);
        final Set<AgentId> ids = ConcurrentHashMap.newKeySet();
        final AtomicInteger duplicates = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 300; i++) {
                    final AgentRef<String> ref = rt.spawn(String.class, () -> (m, ctx) -> { });
                    if (!ids.add(ref.id())) {
                        duplicates.incrementAndGet();
                    }
                    if (i % 2 == 0) {
                        rt.stop(ref.id());
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        threads.forEach(Await::join);
        assertEquals(0, duplicates.get());
        assertEquals(1_200, ids.size());
    }

    // ---------------------------------------------------------------------------------------
    // 3.9 Transitions observable
    // ---------------------------------------------------------------------------------------

    /** A scripted life publishes exactly its transitions, in order. */
    @Test
    void spec_3_9_everyTransitionIsPublishedOnLifecycleInOrder() {
        final AgentRuntime rt = deterministic(43);
        final Recorder<LifecycleEvent> lifecycle = Recorder.on(rt, SystemTopics.LIFECYCLE);
        final AgentRef<String> ref = rt.spawn(String.class, fresh((m, ctx) -> {
            if (m.equals("boom")) {
                throw new IllegalStateException();
            }
        }), SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        final List<Consumer<AgentRuntime>> script = List.of(
                r -> { },
                r -> r.pause(ref.id()),
                r -> r.resume(ref.id()),
                r -> ref.tell("boom"),
                r -> r.stop(ref.id()));
        for (final Consumer<AgentRuntime> step : script) {
            step.accept(rt);
            runUntilIdle();
        }
        final List<LifecycleEvent> events = lifecycle.matching(e -> e.agent().equals(ref.id()));
        assertEquals(List.of("STARTING->RUNNING", "RUNNING->PAUSED", "PAUSED->RUNNING", "RUNNING->STARTING",
                "STARTING->RUNNING", "RUNNING->SHUTTING_DOWN", "SHUTTING_DOWN->TERMINATED"), edges(events));
        assertLegalWalk(ref.id(), events, true);
    }

    /** The backoff wait of a restart is visible as STARTING, and its end as STARTING->RUNNING. */
    @Test
    void spec_3_9_restartBackoffIsObservableAsStarting() {
        final AgentRuntime rt = deterministic(44);
        final Recorder<LifecycleEvent> lifecycle = Recorder.on(rt, SystemTopics.LIFECYCLE);
        final AgentRef<String> ref = rt.spawn(String.class, fresh((m, ctx) -> {
            throw new IllegalStateException();
        }), SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0))));
        ref.tell("boom");
        runUntilIdle();
        final Supplier<List<String>> edgesNow = () -> edges(lifecycle.matching(e -> e.agent().equals(ref.id())));
        assertEquals(List.of("STARTING->RUNNING", "RUNNING->STARTING"), edgesNow.get());
        assertEquals(Optional.of(AgentState.STARTING), rt.state(ref.id()));
        dispatcher.advanceTime(Duration.ofSeconds(1));
        assertEquals(List.of("STARTING->RUNNING", "RUNNING->STARTING", "STARTING->RUNNING"), edgesNow.get());
    }

    // ---------------------------------------------------------------------------------------
    // 3.10 Control of a non-live id
    // ---------------------------------------------------------------------------------------

    @Test
    void spec_3_10_controlOfAnUnknownOrTerminatedIdThrowsAgentNotFound() {
        final AgentRuntime rt = deterministic(45);
        final AgentRef<String> ref = rt.spawn(String.class, () -> (m, ctx) -> { });
        runUntilIdle();
        rt.stop(ref.id());
        runUntilIdle();
        assertEquals(Optional.empty(), rt.state(ref.id()));
        for (final AgentId id : List.of(ref.id(), new AgentId(Long.MAX_VALUE))) {
            final List<Runnable> calls = List.of(
                    () -> rt.stop(id),
                    () -> rt.pause(id),
                    () -> rt.resume(id),
                    () -> rt.mailboxDepth(id),
                    () -> rt.mailboxCapacity(id));
            for (final Runnable call : calls) {
                final AgentNotFoundException e = assertThrows(AgentNotFoundException.class, call::run);
                assertEquals(id, e.agent());
            }
        }
    }

    /** Repeated pause, resume and stop calls act once: one transition each, one onStop. */
    @Test
    void spec_3_10_controlCallsAreIdempotent() {
        final AgentRuntime rt = deterministic(46);
        final Recorder<LifecycleEvent> lifecycle = Recorder.on(rt, SystemTopics.LIFECYCLE);
        final AtomicInteger onStops = new AtomicInteger();
        final List<Integer> handled = new ArrayList<>();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> new Agent<>() {
            @Override
            public void onMessage(final Integer m, final AgentContext<Integer> ctx) {
                handled.add(m);
            }

            @Override
            public void onStop(final AgentContext<Integer> ctx) {
                onStops.incrementAndGet();
            }
        });
        runUntilIdle();
        rt.resume(ref.id()); // resume of a running agent: nothing to do
        runUntilIdle();
        rt.pause(ref.id());
        rt.pause(ref.id());
        runUntilIdle();
        rt.pause(ref.id());
        runUntilIdle();
        ref.tell(1);
        rt.resume(ref.id());
        rt.resume(ref.id());
        runUntilIdle();
        rt.resume(ref.id());
        ref.tell(2);
        rt.stop(ref.id());
        rt.stop(ref.id()); // still live (stopping): no error
        rt.pause(ref.id()); // ignored while stopping
        runUntilIdle();
        assertEquals(List.of(1, 2), handled);
        assertEquals(1, onStops.get());
        assertEquals(List.of("STARTING->RUNNING", "RUNNING->PAUSED", "PAUSED->RUNNING", "RUNNING->SHUTTING_DOWN",
                "SHUTTING_DOWN->TERMINATED"), edges(lifecycle.matching(e -> e.agent().equals(ref.id()))));
        assertThrows(AgentNotFoundException.class, () -> rt.stop(ref.id()));
    }
}

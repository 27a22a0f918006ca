package dev.flin.runtime.core;

import static dev.flin.runtime.core.MessagingSupport.WAIT;
import static dev.flin.runtime.core.MessagingSupport.agent;
import static dev.flin.runtime.core.MessagingSupport.assertConservation;
import static dev.flin.runtime.core.MessagingSupport.await;
import static dev.flin.runtime.core.MessagingSupport.tellRetrying;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.MessageTypeException;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.Signal;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.MessagingSupport.Concurrent;
import dev.flin.runtime.core.MessagingSupport.Runtimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Section 2 of the spec: mailboxes and delivery. */
class MailboxDeliveryTest {

    private final Runtimes runtimes = new Runtimes();

    @AfterEach
    void shutDown() {
        runtimes.close();
    }

    record Tagged(int sender, int seq) {
    }

    private static <M> AgentRef<M> spawnSink(final AgentRuntime rt, final Class<M> type, final List<? super M> seen,
                                             final int capacity) {
        return rt.spawn(type, () -> (m, ctx) -> seen.add(m), SpawnOptions.defaults().withMailboxCapacity(capacity));
    }

    private static void pauseAndSettle(final AgentRuntime rt, final DeterministicDispatcher d, final AgentId id) {
        rt.pause(id);
        d.runUntilIdle();
        assertEquals(AgentState.PAUSED, rt.state(id).orElseThrow());
    }

    // ---------------------------------------------------------------- 2.1 bounded mailbox

    @Test
    void spec_2_1_defaultCapacityIs256() {
        final AgentRuntime rt = runtimes.deterministic();
        final AgentRef<String> a = rt.spawn(String.class, () -> (m, ctx) -> { });
        assertEquals(256, RuntimeOptions.DEFAULT_MAILBOX_CAPACITY);
        assertEquals(256, rt.mailboxCapacity(a.id()));
    }

    @ParameterizedTest(name = "spawn asks {0} -> effective {1}")
    @CsvSource({"1,1", "2,2", "3,4", "5,8", "8,8", "9,16", "100,128", "1000,1024", "1024,1024", "1025,2048"})
    void spec_2_1_explicitCapacityIsRoundedUpToAPowerOfTwo(final int requested, final int effective) {
        final AgentRuntime rt = runtimes.deterministic();
        final AgentRef<String> a = rt.spawn(String.class, () -> (m, ctx) -> { },
                SpawnOptions.defaults().withMailboxCapacity(requested));
        assertEquals(effective, rt.mailboxCapacity(a.id()));
    }

    @ParameterizedTest(name = "runtime default {0} -> effective {1}")
    @CsvSource({"1,1", "100,128", "256,256", "300,512"})
    void spec_2_1_runtimeDefaultCapacityIsRoundedUpToAPowerOfTwo(final int requested, final int effective) {
        final AgentRuntime rt = runtimes.deterministic(RuntimeOptions.defaults().withDefaultMailboxCapacity(requested));
        final AgentRef<String> a = rt.spawn(String.class, () -> (m, ctx) -> { });
        assertEquals(effective, rt.mailboxCapacity(a.id()));
        // an explicit capacity wins over the runtime default
        final AgentRef<String> b = rt.spawn(String.class, () -> (m, ctx) -> { },
                SpawnOptions.defaults().withMailboxCapacity(4));
        assertEquals(4, rt.mailboxCapacity(b.id()));
    }

    @Test
    void spec_2_1_reportedCapacityIsTheEnforcedBound() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<Integer> seen = new ArrayList<>();
        final AgentRef<Integer> a = spawnSink(rt, Integer.class, seen, 5);
        pauseAndSettle(rt, d, a.id());
        final int capacity = rt.mailboxCapacity(a.id());
        assertEquals(8, capacity);
        for (int i = 0; i < capacity; i++) {
            a.tell(i); // all of the effective capacity is usable
        }
        assertThrows(MailboxFullException.class, () -> a.tell(-1)); // and not one more
        assertEquals(capacity, rt.mailboxDepth(a.id()));
    }

    // ---------------------------------------------------------------- 2.2 send never blocks

    @Test
    void spec_2_2_fullMailboxRejectsAtOnceAndEnqueuesNothing() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<Integer> seen = new ArrayList<>();
        final AgentRef<Integer> a = spawnSink(rt, Integer.class, seen, 4);
        pauseAndSettle(rt, d, a.id());
        for (int i = 0; i < 4; i++) {
            a.tell(i);
        }
        assertEquals(4, rt.mailboxDepth(a.id()));
        final RuntimeCounters before = rt.counters();

        final MailboxFullException byRef = assertThrows(MailboxFullException.class, () -> a.tell(100));
        assertEquals(a.id(), byRef.agent());
        assertEquals(4, byRef.capacity());
        assertEquals("2.2", byRef.rule());
        assertTrue(byRef.getMessage().contains(a.id().toString()), byRef.getMessage());
        final MailboxFullException byId = assertThrows(MailboxFullException.class, () -> rt.send(a.id(), 101));
        assertEquals(a.id(), byId.agent());

        final RuntimeCounters after = rt.counters();
        assertEquals(4, rt.mailboxDepth(a.id()), "a refused send must not change the depth");
        assertEquals(before.accepted(), after.accepted());
        assertEquals(before.rejectedFull() + 2, after.rejectedFull());

        rt.resume(a.id());
        d.runUntilIdle();
        assertEquals(List.of(0, 1, 2, 3), seen, "refused messages must never be processed");
        a.tell(5); // the freed capacity is usable again
        d.runUntilIdle();
        assertEquals(List.of(0, 1, 2, 3, 5), seen);
        assertConservation(rt.counters());
    }

    @Test
    void spec_2_2_sendToABusyAgentFailsAtOnceInsteadOfWaiting() throws Exception {
        final AgentRuntime rt = runtimes.pool(2);
        final CountDownLatch inHandler = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final LongAdder processed = new LongAdder();
        final AgentRef<Integer> a = rt.spawn(Integer.class, () -> (m, ctx) -> {
            processed.increment();
            if (m == 0) {
                inHandler.countDown();
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS); // a slow handler holds the agent
            }
        }, SpawnOptions.defaults().withMailboxCapacity(8));
        try {
            a.tell(0);
            assertTrue(inHandler.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            for (int i = 1; i <= 8; i++) {
                a.tell(i);
            }
            // the consumer is busy and the ring is full: the ninth send must fail now, not wait for space
            final CompletableFuture<Throwable> attempt = CompletableFuture.supplyAsync(() -> {
                try {
                    a.tell(9);
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            final Throwable outcome = attempt.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(outcome instanceof MailboxFullException, "expected MailboxFull, got " + outcome);
            assertEquals(8, rt.mailboxDepth(a.id()));
        } finally {
            release.countDown();
        }
        Poll.until(() -> processed.sum() == 9, WAIT, () -> "processed " + processed.sum());
        assertEquals(1, rt.counters().rejectedFull());
    }

    // ---------------------------------------------------------------- 2.3 per-sender FIFO

    @Test
    void spec_2_3_perSenderFifoWithManyConcurrentSenders() throws Exception {
        final AgentRuntime rt = runtimes.pool(2);
        final int senders = 6;
        final int perSender = 10_000;
        final int receivers = 2;
        final List<AgentRef<Tagged>> refs = new ArrayList<>();
        final List<CompletableFuture<String>> verdicts = new ArrayList<>();
        for (int r = 0; r < receivers; r++) {
            final CompletableFuture<String> verdict = new CompletableFuture<>();
            verdicts.add(verdict);
            refs.add(rt.spawn(Tagged.class, () -> new Agent<Tagged>() {
                // plain fields: rule 1.2 orders consecutive invocations
                private final int[] next = new int[senders];
                private int total;
                private String firstViolation;

                @Override
                public void onMessage(final Tagged m, final AgentContext<Tagged> ctx) {
                    if (m.seq() != next[m.sender()] && firstViolation == null) {
                        firstViolation = "sender " + m.sender() + ": expected seq " + next[m.sender()]
                                + ", got " + m.seq();
                    }
                    next[m.sender()] = m.seq() + 1;
                    if (++total == senders * perSender) {
                        verdict.complete(firstViolation == null ? "ok" : firstViolation);
                    }
                }
            }, SpawnOptions.defaults().withMailboxCapacity(64))); // small: many full/retry rounds and wraps
        }
        try (Concurrent threads = Concurrent.start(senders, s -> {
            for (int i = 0; i < perSender; i++) {
                for (final AgentRef<Tagged> ref : refs) {
                    tellRetrying(ref, new Tagged(s, i));
                }
            }
        })) {
            threads.await();
        }
        for (final CompletableFuture<String> verdict : verdicts) {
            assertEquals("ok", await(verdict), "per-sender FIFO (rule 2.3) violated");
        }
        // The verdict completes inside the last onMessage, before its batch is counted: processed is
        // exact at quiescence (rule 8.3), which the last batch reaches just after.
        final long expected = (long) senders * perSender * receivers;
        Poll.until(() -> rt.counters().processed() == expected, WAIT, () -> "processed " + rt.counters().processed());
    }

    // ---------------------------------------------------------------- 2.4 conservation

    private enum StopMode { EXTERNAL_STOP, SELF_STOP, FAILURE }

    @Test
    void spec_2_4_everyAcceptedMessageIsProcessedOrDeadLetteredExactlyOnceWhenSendersRaceAStop() throws Exception {
        final AgentRuntime rt = runtimes.pool(2);
        final ConcurrentHashMap<AgentId, LongAdder> deadByRecipient = new ConcurrentHashMap<>();
        final LongAdder deadSeen = new LongAdder();
        final AgentRef<DeadLetter> observer = rt.spawn(DeadLetter.class, () -> (dl, ctx) -> {
            deadByRecipient.computeIfAbsent(dl.recipient(), k -> new LongAdder()).increment();
            deadSeen.increment();
        }, SpawnOptions.defaults().withMailboxCapacity(1 << 16));
        rt.subscribe(SystemTopics.DEAD_LETTERS, observer);

        final int trigger = -1;
        final int senders = 3;
        for (int round = 0; round < 12; round++) {
            final StopMode mode = StopMode.values()[round % StopMode.values().length];
            final LongAdder processed = new LongAdder();
            final LongAdder acceptedSends = new LongAdder();
            final AgentRef<Integer> target = rt.spawn(Integer.class, () -> (m, ctx) -> {
                processed.increment();
                for (int k = 0; k < 20; k++) {
                    Thread.onSpinWait(); // a little work: senders outpace the agent and keep the mailbox full
                }
                if (m == trigger && mode == StopMode.SELF_STOP) {
                    ctx.stop();
                } else if (m == trigger && mode == StopMode.FAILURE) {
                    throw new IllegalStateException("planned failure (test)");
                }
            }, SpawnOptions.defaults().withMailboxCapacity(128));
            // taken while alive: for an id that is already gone whenTerminated cannot know the cause
            final CompletionStage<TerminationCause> terminated = rt.whenTerminated(target.id());
            try (Concurrent threads = Concurrent.start(senders, s -> {
                for (int i = 0; ; i++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new IllegalStateException("interrupted");
                    }
                    try {
                        target.tell(i);
                        acceptedSends.increment(); // only sends that returned normally
                    } catch (MailboxFullException e) {
                        Thread.yield(); // retry allowed
                    } catch (AgentNotFoundException e) {
                        return; // the agent is stopping or gone
                    }
                }
            })) {
                Poll.until(() -> processed.sum() >= 2_000, WAIT, () -> "progress " + processed.sum());
                if (mode == StopMode.EXTERNAL_STOP) {
                    rt.stop(target.id());
                } else {
                    tellRetrying(target, trigger);
                    acceptedSends.increment();
                }
                final TerminationCause cause = await(terminated);
                assertEquals(mode == StopMode.FAILURE ? TerminationCause.FAILED : TerminationCause.STOPPED, cause);
                threads.await();
            }
            // every dead letter published so far has been handled by the observer
            Poll.until(() -> deadSeen.sum() == rt.counters().deadLetters(), WAIT,
                    () -> "observer saw " + deadSeen.sum() + " of " + rt.counters().deadLetters());
            final long dead = deadByRecipient.getOrDefault(target.id(), new LongAdder()).sum();
            assertEquals(acceptedSends.sum(), processed.sum() + dead,
                    "round " + round + " (" + mode + "): accepted sends must equal processed + dead letters"
                            + " (processed " + processed.sum() + ", dead " + dead + ")");
        }
        final RuntimeCounters c = rt.counters();
        assertEquals(0, c.droppedEvents(), "the observer must not have lost dead letters");
        assertConservation(c);
    }

    @Test
    void spec_2_4_countersAddUpWithQueuedDeadAndStaleMessages() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        // queued: a paused agent with three waiting messages
        final AgentRef<String> paused = rt.spawn(String.class, () -> (m, ctx) -> { });
        pauseAndSettle(rt, d, paused.id());
        paused.tell("q1");
        paused.tell("q2");
        paused.tell("q3");
        // dead letters: an agent failing on its first message with two more behind it
        final AgentRef<String> failing = rt.spawn(String.class, () -> (m, ctx) -> {
            throw new IllegalStateException("planned failure (test)");
        });
        failing.tell("boom");
        failing.tell("d1");
        failing.tell("d2");
        // a stale timer message: cancelled while already enqueued behind the message that cancels it
        final AgentRef<String> timed = rt.spawn(String.class, () -> agent(
                ctx -> ctx.timers().startSingle("t", "timer", Duration.ofMillis(5)),
                (m, ctx) -> {
                    if (m.equals("cancel")) {
                        ctx.timers().cancel("t");
                    }
                }));
        d.runUntilIdle();
        pauseAndSettle(rt, d, timed.id());
        timed.tell("cancel");
        d.advanceTime(Duration.ofMillis(5));
        rt.resume(timed.id());
        d.runUntilIdle();

        final RuntimeCounters c = rt.counters();
        assertEquals(3, c.queued());
        assertEquals(2, c.deadLetters());
        assertEquals(1, c.staleTimerMessages());
        assertEquals(8, c.accepted());  // 3 queued + boom, d1, d2 + cancel + the timer message
        assertEquals(2, c.processed()); // boom and cancel; the timer message was stale
        assertConservation(c);
    }

    // ---------------------------------------------------------------- 2.5 not found

    @Test
    void spec_2_5_sendToUnknownIdIsNotFound() {
        final AgentRuntime rt = runtimes.deterministic();
        final AgentId unknown = new AgentId(987_654L);
        final AgentNotFoundException e = assertThrows(AgentNotFoundException.class, () -> rt.send(unknown, "x"));
        assertEquals(unknown, e.agent());
        assertEquals("2.5", e.rule());
        assertEquals(1, rt.counters().rejectedNotFound());
        assertEquals(0, rt.counters().accepted());
    }

    @Test
    void spec_2_5_sendToTerminatedAgentIsNotFound() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> a = spawnSink(rt, String.class, seen, 8);
        a.tell("before");
        rt.stop(a.id());
        d.runUntilIdle();
        assertTrue(rt.state(a.id()).isEmpty(), "should be terminated");
        final RuntimeCounters before = rt.counters();

        assertEquals(a.id(), assertThrows(AgentNotFoundException.class, () -> a.tell("by ref")).agent());
        assertEquals(a.id(), assertThrows(AgentNotFoundException.class, () -> rt.send(a.id(), "by id")).agent());

        final RuntimeCounters after = rt.counters();
        assertEquals(before.rejectedNotFound() + 2, after.rejectedNotFound());
        assertEquals(before.accepted(), after.accepted());
        d.runUntilIdle();
        assertEquals(List.of("before"), seen);
    }

    @Test
    void spec_2_5_sendToStoppingAgentIsNotFound() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> a = spawnSink(rt, String.class, seen, 8);
        d.runUntilIdle();
        a.tell("accepted before stop");
        rt.stop(a.id()); // nothing runs yet: the agent is stopping, not terminated
        assertTrue(rt.state(a.id()).isPresent(), "still registered while stopping");

        assertThrows(AgentNotFoundException.class, () -> a.tell("after stop"));
        assertThrows(AgentNotFoundException.class, () -> rt.send(a.id(), "after stop by id"));
        assertEquals(2, rt.counters().rejectedNotFound());

        d.runUntilIdle();
        assertEquals(List.of("accepted before stop"), seen);
        assertTrue(rt.state(a.id()).isEmpty());
        assertConservation(rt.counters());
    }

    // ---------------------------------------------------------------- 2.6 type checked by id

    @Test
    void spec_2_6_sendByIdWithWrongTypeIsRejectedAndEnqueuesNothing() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<Object> seen = new ArrayList<>();
        final AgentRef<String> a = spawnSink(rt, String.class, seen, 8);
        final MessageTypeException e = assertThrows(MessageTypeException.class, () -> rt.send(a.id(), 42));
        assertEquals("2.6", e.rule());
        assertTrue(e.getMessage().contains(a.id().toString()), e.getMessage());
        assertEquals(0, rt.mailboxDepth(a.id()));
        assertEquals(0, rt.counters().accepted());

        rt.send(a.id(), "fine");
        d.runUntilIdle();
        assertEquals(List.of("fine"), seen);
    }

    @Test
    void spec_2_6_sendByIdAcceptsSubtypesOfTheDeclaredType() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<Object> seen = new ArrayList<>();
        final AgentRef<CharSequence> a = spawnSink(rt, CharSequence.class, seen, 8);
        rt.send(a.id(), "a String is a CharSequence");
        rt.send(a.id(), new StringBuilder("so is this"));
        assertThrows(MessageTypeException.class, () -> rt.send(a.id(), 1L));
        d.runUntilIdle();
        assertEquals(2, seen.size());
    }

    // ---------------------------------------------------------------- 2.7 null rejected

    @Test
    @SuppressWarnings("unchecked")
    void spec_2_7_nullIsRejectedBeforeAnythingIsEnqueued() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<Object> seen = new ArrayList<>();
        final AgentRef<String> a = spawnSink(rt, String.class, seen, 8);
        final Topic<String> topic = Topic.of("nulls", String.class);
        rt.subscribe(topic, a);

        assertThrows(NullPointerException.class, () -> a.tell(null));
        assertThrows(NullPointerException.class, () -> rt.send(a.id(), null));
        assertThrows(NullPointerException.class, () -> a.ask(reply -> null, Duration.ofSeconds(1)));
        assertThrows(NullPointerException.class, () -> rt.publish(topic, null));

        assertEquals(0, rt.mailboxDepth(a.id()));
        final RuntimeCounters c = rt.counters();
        assertEquals(0, c.accepted());
        assertEquals(0, c.rejectedFull() + c.rejectedNotFound());
        d.runUntilIdle();
        assertTrue(seen.isEmpty());
        assertEquals(0, rt.counters().processed());
    }

    @Test
    void spec_2_7_nullTimerMessageIsRejectedInsideTheAgent() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> (m, ctx) -> {
            try {
                ctx.timers().startSingle("k", null, Duration.ofMillis(1));
            } catch (NullPointerException e) {
                thrown.set(e);
            }
        });
        a.tell("go");
        d.advanceTime(Duration.ofMillis(10));
        assertTrue(thrown.get() instanceof NullPointerException);
        assertEquals(1, rt.counters().accepted()); // only "go"
        assertEquals(1, rt.counters().processed());
    }

    // ---------------------------------------------------------------- 2.8 dead letters observable

    @Test
    void spec_2_8_deadLettersAreCountedAndPublishedOnTheDeadLetterTopic() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final AgentRef<DeadLetter> observer = spawnSink(rt, DeadLetter.class, deadLetters, 64);
        rt.subscribe(SystemTopics.DEAD_LETTERS, observer);
        final AgentRef<Object> failing = rt.spawn(Object.class, () -> (m, ctx) -> {
            throw new IllegalStateException("planned failure (test)");
        });
        final Object first = new Object();
        final Object second = new Object();
        failing.tell("boom");
        failing.tell(first);
        failing.tell(second);
        d.runUntilIdle();

        assertTrue(rt.state(failing.id()).isEmpty());
        assertEquals(2, rt.counters().deadLetters());
        assertEquals(2, deadLetters.size());
        for (final DeadLetter dl : deadLetters) {
            assertEquals(failing.id(), dl.recipient());
            assertEquals(DeadLetter.Reason.RECIPIENT_TERMINATED, dl.reason());
        }
        // rule 1.5: the very same references, not copies
        assertSame(first, deadLetters.get(0).message());
        assertSame(second, deadLetters.get(1).message());
        assertConservation(rt.counters());
    }

    // ---------------------------------------------------------------- 2.9 no path bypasses the bound

    @Test
    void spec_2_9_timersPipeToSelfAndPublishCannotExceedCapacity() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final Topic<String> topic = Topic.of("bound", String.class);
        final CompletableFuture<String> external = new CompletableFuture<>();
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> (m, ctx) -> {
            seen.add(m);
            if (m.equals("arm")) {
                ctx.pipeToSelf(external, (v, t) -> "piped:" + v);
                ctx.timers().startFixedRate("tick", "tick", Duration.ofMillis(10), Duration.ofMillis(10));
                ctx.subscribe(topic);
            }
        }, SpawnOptions.defaults().withMailboxCapacity(4));
        a.tell("arm");
        d.runUntilIdle();
        pauseAndSettle(rt, d, a.id());
        for (int i = 0; i < 4; i++) {
            a.tell("fill" + i);
        }
        final RuntimeCounters before = rt.counters();

        external.complete("x");                          // pipeToSelf path
        assertEquals(4, rt.mailboxDepth(a.id()));
        assertEquals(0, rt.publish(topic, "event"));     // publish path
        assertEquals(4, rt.mailboxDepth(a.id()));
        d.advanceTime(Duration.ofMillis(10));            // timer path (fixed-rate tick)
        assertEquals(4, rt.mailboxDepth(a.id()));

        final RuntimeCounters after = rt.counters();
        assertEquals(before.accepted(), after.accepted(), "nothing may be accepted beyond capacity");
        assertEquals(before.rejectedFull() + 2, after.rejectedFull(), "refused pipeToSelf result and tick");
        assertEquals(before.droppedEvents() + 1, after.droppedEvents(), "refused event");

        rt.resume(a.id());
        d.runUntilIdle();
        assertEquals(List.of("arm", "fill0", "fill1", "fill2", "fill3"), seen);
        d.advanceTime(Duration.ofMillis(10));            // the timer itself still works
        assertEquals("tick", seen.get(seen.size() - 1));
        assertConservation(rt.counters());
    }

    @Test
    void spec_2_9_terminatedSignalDoesNotNeedMailboxCapacity() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final AgentRef<String> watched = rt.spawn(String.class, () -> (m, ctx) -> { });
        final List<Object> seen = new ArrayList<>();
        final AgentRef<String> watcher = rt.spawn(String.class, () -> new Agent<String>() {
            @Override
            public void onStart(final AgentContext<String> ctx) {
                ctx.watch(watched.id());
            }

            @Override
            public void onMessage(final String m, final AgentContext<String> ctx) {
                seen.add(m);
            }

            @Override
            public void onSignal(final Signal s, final AgentContext<String> ctx) {
                seen.add(s);
            }
        }, SpawnOptions.defaults().withMailboxCapacity(2));
        d.runUntilIdle();
        pauseAndSettle(rt, d, watcher.id());
        watcher.tell("m0");
        watcher.tell("m1");
        assertThrows(MailboxFullException.class, () -> watcher.tell("m2"));

        rt.stop(watched.id());
        d.runUntilIdle();
        assertTrue(rt.state(watched.id()).isEmpty());
        assertEquals(2, rt.mailboxDepth(watcher.id()), "the signal must not take a mailbox slot");

        rt.resume(watcher.id());
        d.runUntilIdle();
        assertEquals(3, seen.size(), "two messages and one signal: " + seen);
        assertTrue(seen.contains("m0") && seen.contains("m1"));
        assertTrue(seen.contains(new Signal.Terminated(watched.id(), TerminationCause.STOPPED)), seen.toString());
    }

    @Test
    void spec_2_2_concurrentSendersNeverOverfillABusyMailbox() throws Exception {
        final AgentRuntime rt = runtimes.pool(2);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger processed = new AtomicInteger();
        final AgentRef<Integer> a = rt.spawn(Integer.class, () -> (m, ctx) -> {
            release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            processed.incrementAndGet();
        }, SpawnOptions.defaults().withMailboxCapacity(16));
        final LongAdder accepted = new LongAdder();
        try (Concurrent threads = Concurrent.start(4, s -> {
            for (int i = 0; i < 1_000; i++) {
                try {
                    a.tell(i);
                    accepted.increment();
                } catch (MailboxFullException e) {
                    // expected: the handler is blocked
                }
            }
        })) {
            threads.await();
        } finally {
            release.countDown();
        }
        // at most one taken by the blocked handler plus 16 waiting
        assertTrue(accepted.sum() <= 17, "accepted " + accepted.sum() + " with capacity 16");
        Poll.until(() -> processed.get() == accepted.sum(), WAIT);
        assertEquals(4_000 - accepted.sum(), rt.counters().rejectedFull());
    }
}

package dev.flin.conformance.simple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.AskTimeoutException;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.MessageTypeException;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.Signal;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Timers;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sanity checks of {@link ThreadPerAgentRuntime}. No sleeps: tests wait on queues, futures and
 * deadline-bounded polling, and assert outcomes, never durations (except the lower bound of 7.2).
 * Agents report to the test through test-owned thread-safe queues.
 */
class ThreadPerAgentRuntimeSmokeTest {

    private static final long WAIT_SECONDS = 10;

    private ThreadPerAgentRuntime runtime;

    @BeforeEach
    void setUp() {
        runtime = ThreadPerAgentRuntime.create();
    }

    @AfterEach
    void tearDown() {
        runtime.shutdown(Duration.ofSeconds(5)); // idempotent if a test already shut it down
    }

    // ------------------------------------------------------------------ messages used below

    sealed interface Cmd permits Add, Get {
    }

    record Add(int value) implements Cmd {
    }

    record Get(Reply<List<Integer>> reply) implements Cmd {
    }

    /** Keeps the values it was told; answers Get with them. */
    static final class Collector implements Agent<Cmd> {
        private final List<Integer> values = new ArrayList<>();

        @Override
        public void onMessage(final Cmd message, final AgentContext<Cmd> context) {
            if (message instanceof Add add) {
                values.add(add.value());
            } else if (message instanceof Get get) {
                get.reply().reply(List.copyOf(values));
            }
        }
    }

    // ------------------------------------------------------------------ 2.x, 5.x

    @Test
    void tellIsFifoAndAskReplies_andSendByIdIsChecked() throws Exception {
        final AgentRef<Cmd> ref = runtime.spawn(Cmd.class, Collector::new);
        for (int i = 0; i < 100; i++) {
            ref.tell(new Add(i));
        }
        final List<Integer> seen = ref.<List<Integer>>ask(Get::new, Duration.ofSeconds(WAIT_SECONDS))
                .toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        final List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen); // rule 2.3

        assertThrows(NullPointerException.class, () -> ref.tell(null));
        assertThrows(MessageTypeException.class, () -> runtime.send(ref.id(), "not a Cmd"));
        assertThrows(AgentNotFoundException.class, () -> runtime.send(new AgentId(999_999), new Add(1)));
        runtime.send(ref.id(), new Add(100));
        assertEquals(256, runtime.mailboxCapacity(ref.id()));

        final var terminated = runtime.whenTerminated(ref.id()).toCompletableFuture(); // before it can be gone
        runtime.stop(ref.id());
        assertEquals(TerminationCause.STOPPED, terminated.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertThrows(AgentNotFoundException.class, () -> ref.tell(new Add(1)));
        assertTrue(runtime.state(ref.id()).isEmpty());
        final RuntimeCounters c = runtime.counters();
        assertEquals(102, c.accepted());
        assertIdentities(c);
        assertEquals(1, c.terminated());
    }

    @Test
    void askTimeoutNamesTargetAndType_andLateReplyIsCounted() throws Exception {
        final BlockingQueue<Object> probe = new LinkedBlockingQueue<>();
        record Hold(Reply<String> reply) {
        }
        final AgentRef<Object> ref = runtime.spawn(Object.class, () -> new Agent<>() {
            private Reply<String> held;

            @Override
            public void onMessage(final Object message, final AgentContext<Object> context) {
                if (message instanceof Hold hold) {
                    held = hold.reply();
                } else {
                    probe.add(held.reply("too late"));
                }
            }
        });
        final ExecutionException failure = assertThrows(ExecutionException.class,
                () -> ref.<String>ask(Hold::new, Duration.ofMillis(50)).toCompletableFuture()
                        .get(WAIT_SECONDS, TimeUnit.SECONDS));
        final AskTimeoutException timeout = assertInstanceOf(AskTimeoutException.class, failure.getCause());
        assertEquals(ref.id(), timeout.target());
        assertEquals(Hold.class, timeout.requestType());

        ref.tell("release");
        assertEquals(false, take(probe)); // rule 5.4: refused
        assertEquals(1, runtime.counters().lateReplies());
        assertEquals(0, runtime.counters().deadLetters());
    }

    // ------------------------------------------------------------------ 3.4, 3.5, 2.2

    @Test
    void pausedAgentAcceptsUpToCapacityThenResumesInOrder() throws Exception {
        final BlockingQueue<Object> probe = new LinkedBlockingQueue<>();
        final AgentRef<Integer> ref = runtime.spawn(Integer.class, () -> (m, ctx) -> probe.add(m),
                SpawnOptions.defaults().withMailboxCapacity(4));
        runtime.pause(ref.id());
        awaitState(ref.id(), AgentState.PAUSED);
        for (int i = 0; i < 4; i++) {
            ref.tell(i);
        }
        final MailboxFullException full = assertThrows(MailboxFullException.class, () -> ref.tell(99));
        assertEquals(4, full.capacity());
        assertEquals(4, runtime.mailboxDepth(ref.id())); // nothing taken while paused
        assertEquals(1, runtime.counters().rejectedFull());

        runtime.resume(ref.id());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, take(probe));
        }
        assertEquals(0, runtime.mailboxDepth(ref.id()));
    }

    // ------------------------------------------------------------------ 2.4, 3.3, 3.6

    @Test
    void stopRacingManySendersLosesNothing() throws Exception {
        final AtomicLong handled = new AtomicLong();
        final AtomicInteger stops = new AtomicInteger();
        final CountDownLatch warm = new CountDownLatch(200);
        final AgentRef<Long> ref = runtime.spawn(Long.class, () -> new Agent<>() {
            @Override
            public void onMessage(final Long message, final AgentContext<Long> context) {
                handled.incrementAndGet();
                warm.countDown();
            }

            @Override
            public void onStop(final AgentContext<Long> context) {
                stops.incrementAndGet();
            }
        }, SpawnOptions.defaults().withMailboxCapacity(64));

        final AtomicLong acceptedByTell = new AtomicLong();
        final List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            final Thread sender = new Thread(() -> {
                long n = 0;
                while (true) {
                    try {
                        ref.tell(n++);
                        acceptedByTell.incrementAndGet();
                    } catch (MailboxFullException e) {
                        Thread.onSpinWait();
                    } catch (AgentNotFoundException e) {
                        return; // the stop closed the door
                    }
                }
            }, "smoke-sender-" + s);
            senders.add(sender);
            sender.start();
        }
        assertTrue(warm.await(WAIT_SECONDS, TimeUnit.SECONDS));
        final var terminated = runtime.whenTerminated(ref.id()).toCompletableFuture(); // while surely alive
        runtime.stop(ref.id());
        try {
            runtime.stop(ref.id()); // idempotent while it is stopping ...
        } catch (AgentNotFoundException alreadyTerminated) {
            // ... and NotFound once it has terminated (rule 3.10), which may happen in between
        }
        assertEquals(TerminationCause.STOPPED, terminated.get(WAIT_SECONDS, TimeUnit.SECONDS));
        for (final Thread sender : senders) {
            sender.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(sender.isAlive());
        }
        final RuntimeCounters c = runtime.counters();
        assertEquals(acceptedByTell.get(), c.accepted());
        assertEquals(acceptedByTell.get(), handled.get()); // rule 3.6: all accepted before the stop
        assertEquals(0, c.deadLetters());
        assertEquals(1, stops.get()); // rule 3.3
        assertIdentities(c);
    }

    // ------------------------------------------------------------------ 4.x

    @Test
    void restartKeepsMailboxOrderAndCallsOnStopOncePerInstance() throws Exception {
        final BlockingQueue<Object> probe = new LinkedBlockingQueue<>();
        final BlockingQueue<AgentFailure> failures = new LinkedBlockingQueue<>();
        final AgentRef<AgentFailure> failureWatcher = runtime.spawn(AgentFailure.class, () -> (m, ctx) -> failures.add(m));
        runtime.subscribe(SystemTopics.FAILURES, failureWatcher);

        final AtomicInteger instances = new AtomicInteger();
        final AgentRef<String> ref = runtime.spawn(String.class, () -> new Agent<>() {
            private final int n = instances.incrementAndGet();

            @Override
            public void onStart(final AgentContext<String> context) {
                probe.add("start" + n + "/" + context.restartCount());
            }

            @Override
            public void onMessage(final String message, final AgentContext<String> context) {
                if (message.equals("boom")) {
                    throw new IllegalStateException("boom");
                }
                probe.add(message + "@" + n);
            }

            @Override
            public void onStop(final AgentContext<String> context) {
                probe.add("stop" + n);
            }
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        assertEquals("start1/0", take(probe));
        runtime.pause(ref.id());
        awaitState(ref.id(), AgentState.PAUSED);
        for (final String m : List.of("a", "boom", "b", "c")) {
            ref.tell(m);
        }
        runtime.resume(ref.id());
        for (final String expected : List.of("a@1", "stop1", "start2/1", "b@2", "c@2")) {
            assertEquals(expected, take(probe)); // boom not retried (4.3), rest kept in order
        }
        final AgentFailure failure = failures.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(failure);
        assertEquals(ref.id(), failure.agent());
        assertEquals(AgentFailure.Phase.MESSAGE, failure.phase());
        assertEquals(String.class, failure.messageType());
        assertEquals(AgentFailure.Decision.RESTART, failure.decision());
        assertEquals(1, runtime.counters().restarts());
        assertEquals(1, runtime.counters().failures());
        ref.tell("d");
        assertEquals("d@2", take(probe));
    }

    @Test
    void neverPolicyStopsWithFailedAndDeadLettersTheRest() throws Exception {
        final BlockingQueue<DeadLetter> letters = new LinkedBlockingQueue<>();
        final AgentRef<DeadLetter> dlWatcher = runtime.spawn(DeadLetter.class, () -> (m, ctx) -> letters.add(m));
        runtime.subscribe(SystemTopics.DEAD_LETTERS, dlWatcher);
        final AgentRef<String> ref = runtime.spawn(String.class, () -> (m, ctx) -> {
            throw new IllegalArgumentException(m);
        });
        runtime.pause(ref.id());
        awaitState(ref.id(), AgentState.PAUSED);
        final var terminated = runtime.whenTerminated(ref.id()).toCompletableFuture(); // while surely alive
        ref.tell("boom");
        ref.tell("x");
        ref.tell("y");
        runtime.resume(ref.id());
        assertEquals(TerminationCause.FAILED,
                terminated.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("x", letters.poll(WAIT_SECONDS, TimeUnit.SECONDS).message());
        assertEquals("y", letters.poll(WAIT_SECONDS, TimeUnit.SECONDS).message());
        final RuntimeCounters c = runtime.counters();
        assertEquals(2, c.deadLetters());
        assertEquals(1, c.failures());
        assertIdentities(c);
    }

    // ------------------------------------------------------------------ 7.x

    @Test
    void timersAreNeverEarly_cancelIsExact_andAgentThreadOnly() throws Exception {
        final BlockingQueue<Object> probe = new LinkedBlockingQueue<>();
        final AtomicReference<Timers<String>> leakedTimers = new AtomicReference<>();
        final AgentRef<String> ref = runtime.spawn(String.class, () -> new Agent<>() {
            private long armedAt;
            private int ticks;

            @Override
            public void onStart(final AgentContext<String> context) {
                leakedTimers.set(context.timers());
                armedAt = System.nanoTime();
                context.timers().startSingle("once", "fired", Duration.ofMillis(30));
                context.timers().startFixedRate("tick", "tick", Duration.ZERO, Duration.ofMillis(2));
            }

            @Override
            public void onMessage(final String message, final AgentContext<String> context) {
                switch (message) {
                    case "fired" -> probe.add(System.nanoTime() - armedAt >= TimeUnit.MILLISECONDS.toNanos(30));
                    case "tick" -> {
                        if (++ticks == 3) {
                            probe.add(context.timers().cancel("tick") && !context.timers().isActive("tick"));
                        }
                    }
                    case "exact" -> {
                        context.timers().startSingle("k", "late", Duration.ZERO);
                        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                        // wait (in the handler, as a test device) until the timer message is queued
                        while (!queuedLate(context) && System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                        }
                        context.timers().cancel("k"); // rule 7.3: now it must never arrive
                        context.self().tell("done");
                    }
                    default -> probe.add(message);
                }
            }

            private boolean queuedLate(final AgentContext<String> context) {
                return context.runtime().mailboxDepth(context.self().id()) > 0;
            }
        });
        final List<Object> first = List.of(take(probe), take(probe));
        assertTrue(first.stream().allMatch(Boolean.TRUE::equals), "one-shot late enough and tick cancelled: " + first);
        assertThrows(IllegalStateException.class, () -> leakedTimers.get().startSingle("x", "y", Duration.ZERO));
        assertThrows(IllegalStateException.class, () -> leakedTimers.get().cancel("once"));

        final long staleBefore = runtime.counters().staleTimerMessages();
        ref.tell("exact");
        assertEquals("done", take(probe)); // "late" would have come first: the timer was queued before "done"
        awaitTrue(() -> runtime.counters().staleTimerMessages() >= staleBefore + 1);
        runtime.stop(ref.id());
        runtime.whenTerminated(ref.id()).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertFalse(probe.contains("late"));
        assertIdentities(runtime.counters());
    }

    // ------------------------------------------------------------------ 6.x

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"}) // the raw ref is the point: a type error the compiler cannot see
    void pubSubReachesEachSubscriberInOrder_unsubscribe_typeCheck_fullDrops_removal() throws Exception {
        final Topic<Integer> topic = Topic.of("numbers", Integer.class);
        final BlockingQueue<Object> p1 = new LinkedBlockingQueue<>();
        final BlockingQueue<Object> p2 = new LinkedBlockingQueue<>();
        final AgentRef<Number> s1 = runtime.spawn(Number.class, () -> (m, ctx) -> p1.add(m));
        final AgentRef<Integer> s2 = runtime.spawn(Integer.class, () -> (m, ctx) -> p2.add(m));
        runtime.subscribe(topic, s1);
        runtime.subscribe(topic, s2);
        runtime.subscribe(topic, s2); // idempotent
        assertEquals(2, runtime.subscriberCount(topic));
        for (int i = 0; i < 50; i++) {
            assertEquals(2, runtime.publish(topic, i));
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(i, take(p1));
            assertEquals(i, take(p2));
        }
        assertTrue(runtime.unsubscribe(topic, s2.id()));
        assertEquals(1, runtime.publish(topic, 50));
        assertEquals(50, take(p1));

        final AgentRef<String> wrong = runtime.spawn(String.class, () -> (m, ctx) -> { });
        assertThrows(MessageTypeException.class, () -> runtime.subscribe(Topic.of("n", Integer.class), (AgentRef) wrong));

        final AgentRef<Integer> slow = runtime.spawn(Integer.class, () -> (m, ctx) -> { },
                SpawnOptions.defaults().withMailboxCapacity(1));
        runtime.pause(slow.id());
        awaitState(slow.id(), AgentState.PAUSED);
        runtime.subscribe(topic, slow);
        assertEquals(2, runtime.publish(topic, 51)); // s1 and slow
        assertEquals(1, runtime.publish(topic, 52)); // slow is full: dropped, s1 unaffected
        assertEquals(1, runtime.counters().droppedEvents());
        assertEquals(51, take(p1));
        assertEquals(52, take(p1));

        runtime.stop(s1.id());
        runtime.whenTerminated(s1.id()).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(1, runtime.subscriberCount(topic)); // rule 6.5
    }

    // ------------------------------------------------------------------ 4.7

    @Test
    void deathWatchSignalsExactlyOnce_andAtOnceForADeadTarget() throws Exception {
        final BlockingQueue<Object> probe = new LinkedBlockingQueue<>();
        final AgentRef<String> target = runtime.spawn(String.class, () -> (m, ctx) -> { });
        final AgentRef<AgentId> watcher = runtime.spawn(AgentId.class, () -> new Agent<>() {
            @Override
            public void onMessage(final AgentId message, final AgentContext<AgentId> context) {
                context.watch(message);
                context.watch(message); // no further effect
                probe.add("watching " + message);
            }

            @Override
            public void onSignal(final Signal signal, final AgentContext<AgentId> context) {
                probe.add(signal);
            }
        });
        watcher.tell(target.id());
        assertEquals("watching " + target.id(), take(probe));
        runtime.stop(target.id());
        assertEquals(new Signal.Terminated(target.id(), TerminationCause.STOPPED), take(probe));

        watcher.tell(target.id()); // a target that is not alive any more: signalled at once
        assertEquals("watching " + target.id(), take(probe));
        assertInstanceOf(Signal.Terminated.class, take(probe));
        assertTrue(probe.isEmpty());
    }

    // ------------------------------------------------------------------ 3.9

    @Test
    void lifecycleTransitionsArePublishedInOrder() throws Exception {
        final BlockingQueue<LifecycleEvent> events = new LinkedBlockingQueue<>();
        final AgentRef<LifecycleEvent> observer = runtime.spawn(LifecycleEvent.class, () -> (m, ctx) -> events.add(m));
        runtime.subscribe(SystemTopics.LIFECYCLE, observer);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AgentRef<String> ref = runtime.spawn(String.class, () -> (m, ctx) -> {
            entered.countDown();
            release.await(); // test device: holds the agent inside a callback
        });
        awaitState(ref.id(), AgentState.RUNNING);
        runtime.pause(ref.id());
        awaitState(ref.id(), AgentState.PAUSED);
        runtime.resume(ref.id());
        awaitState(ref.id(), AgentState.RUNNING);
        ref.tell("hold");
        assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS));
        runtime.stop(ref.id());
        runtime.stop(ref.id()); // idempotent (rule 3.6): it cannot have terminated, it is inside a callback
        assertThrows(AgentNotFoundException.class, () -> ref.tell("after the stop")); // rule 2.5: stopping
        release.countDown();
        runtime.whenTerminated(ref.id()).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        final List<String> seen = new ArrayList<>();
        while (seen.size() < 5) {
            final LifecycleEvent e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(e, "events so far: " + seen);
            if (e.agent().equals(ref.id())) {
                seen.add(e.from() + ">" + e.to());
            }
        }
        assertEquals(List.of("STARTING>RUNNING", "RUNNING>PAUSED", "PAUSED>RUNNING", "RUNNING>SHUTTING_DOWN",
                "SHUTTING_DOWN>TERMINATED"), seen);
    }

    // ------------------------------------------------------------------ 5.5, 5.6

    record Question(String text, Reply<String> reply) {
    }

    record Answered(Reply<String> original, String answer) {
    }

    /** Answers a question by asking its peer first (if any), via pipeToSelf: nobody blocks. */
    static final class Relay implements Agent<Object> {
        private final AtomicReference<AgentRef<Object>> peer;

        Relay(final AtomicReference<AgentRef<Object>> peer) {
            this.peer = peer;
        }

        @Override
        public void onMessage(final Object message, final AgentContext<Object> context) {
            if (message instanceof Question q && q.text().equals("outer")) {
                context.pipeToSelf(peer.get().<String>ask(r -> new Question("inner", r), Duration.ofSeconds(WAIT_SECONDS)),
                        (value, failure) -> new Answered(q.reply(), failure == null ? value : "failed " + failure));
            } else if (message instanceof Question q) {
                q.reply().reply("inner answer from " + context.self().id());
            } else if (message instanceof Answered a) {
                a.original().reply("outer got: " + a.answer());
            }
        }
    }

    @Test
    void cyclicAsksComplete() throws Exception {
        final AtomicReference<AgentRef<Object>> peerOfA = new AtomicReference<>();
        final AtomicReference<AgentRef<Object>> peerOfB = new AtomicReference<>();
        final AgentRef<Object> a = runtime.spawn(Object.class, () -> new Relay(peerOfA));
        final AgentRef<Object> b = runtime.spawn(Object.class, () -> new Relay(peerOfB));
        peerOfA.set(b);
        peerOfB.set(a);
        // A asks B and B asks A at the same time: the Orleans cycle
        final var fromA = a.<String>ask(r -> new Question("outer", r), Duration.ofSeconds(WAIT_SECONDS)).toCompletableFuture();
        final var fromB = b.<String>ask(r -> new Question("outer", r), Duration.ofSeconds(WAIT_SECONDS)).toCompletableFuture();
        assertEquals("outer got: inner answer from " + b.id(), fromA.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("outer got: inner answer from " + a.id(), fromB.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void askOfAnAgentThatTerminatesFirstFailsWithAgentTerminated() throws Exception {
        final AgentRef<Object> ref = runtime.spawn(Object.class, () -> (m, ctx) -> ctx.stop()); // never replies
        final var stage = ref.<String>ask(r -> new Question("?", r), Duration.ofSeconds(60)).toCompletableFuture();
        final CompletionException e = assertThrows(CompletionException.class, stage::join);
        assertInstanceOf(dev.flin.runtime.AgentTerminatedException.class, e.getCause());
        final var refused = ref.<String>ask(r -> new Question("?", r), Duration.ofSeconds(60)).toCompletableFuture();
        assertInstanceOf(AgentNotFoundException.class, assertThrows(CompletionException.class, refused::join).getCause());
    }

    // ------------------------------------------------------------------ 8.6, 8.7

    @Test
    void gracefulShutdownStopsEverythingAndRefusesNewWork() throws Exception {
        final BlockingQueue<Thread> threads = new LinkedBlockingQueue<>();
        final AtomicInteger stops = new AtomicInteger();
        final List<AgentRef<String>> refs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            refs.add(runtime.spawn(String.class, () -> new Agent<>() {
                @Override
                public void onStart(final AgentContext<String> context) {
                    threads.add(Thread.currentThread());
                    context.timers().startFixedRate("t", "tick", Duration.ZERO, Duration.ofMillis(1));
                }

                @Override
                public void onMessage(final String message, final AgentContext<String> context) {
                }

                @Override
                public void onStop(final AgentContext<String> context) {
                    stops.incrementAndGet();
                }
            }));
        }
        for (final AgentRef<String> ref : refs) {
            ref.tell("hello");
        }
        final List<Thread> agentThreads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            agentThreads.add(threads.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        }
        assertTrue(runtime.shutdown(Duration.ofSeconds(WAIT_SECONDS)));
        assertTrue(runtime.isShutdown());
        assertEquals(5, stops.get());
        final Set<String> expectedNames = new HashSet<>();
        final Set<String> actualNames = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            expectedNames.add("simple-agent-" + refs.get(i).id().value());
            final Thread t = agentThreads.get(i); // in onStart order, not spawn order
            actualNames.add(t.getName());
            assertTrue(t.isDaemon());
            assertFalse(t.isAlive());
            assertTrue(runtime.state(refs.get(i).id()).isEmpty());
        }
        assertEquals(expectedNames, actualNames);
        assertTrue(runtime.scheduler.isTerminated());
        assertThrows(RuntimeStoppedException.class, () -> runtime.spawn(String.class, () -> (m, ctx) -> { }));
        assertThrows(RuntimeStoppedException.class, () -> refs.get(0).tell("late"));
        assertThrows(RuntimeStoppedException.class, () -> runtime.send(refs.get(0).id(), "late"));
        assertThrows(RuntimeStoppedException.class, () -> runtime.publish(Topic.of("t", String.class), "late"));
        final RuntimeCounters c = runtime.counters();
        assertEquals(5, c.terminated());
        assertIdentities(c);
        assertTrue(runtime.shutdown(Duration.ZERO)); // idempotent: the first result
    }

    @Test
    void forcedShutdownInterruptsAndDeadLettersTheMailbox() throws Exception {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch never = new CountDownLatch(1);
        final AtomicReference<Thread> agentThread = new AtomicReference<>();
        final AgentRef<String> ref = runtime.spawn(String.class, () -> (m, ctx) -> {
            agentThread.set(Thread.currentThread());
            entered.countDown();
            never.await(); // a callback that blocks: a user error the deadline must survive
        });
        ref.tell("block");
        assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS));
        ref.tell("a");
        ref.tell("b");
        ref.tell("c");
        assertFalse(runtime.shutdown(Duration.ofMillis(100)));
        assertFalse(agentThread.get().isAlive());
        final RuntimeCounters c = runtime.counters();
        assertEquals(3, c.deadLetters());
        assertEquals(1, c.processed());
        assertEquals(1, c.terminated());
        assertIdentities(c);
    }

    // ------------------------------------------------------------------ helpers

    private static void assertIdentities(final RuntimeCounters c) {
        assertEquals(c.spawned(), c.alive() + c.terminated(), c.toString());
        assertEquals(c.accepted(), c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued(), c.toString());
    }

    private static Object take(final BlockingQueue<?> queue) throws InterruptedException {
        final Object value = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (value == null) {
            fail("nothing arrived within " + WAIT_SECONDS + " s");
        }
        return value;
    }

    private void awaitState(final AgentId id, final AgentState state) {
        awaitTrue(() -> runtime.state(id).orElse(null) == state);
    }

    private static void awaitTrue(final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("condition not met within " + WAIT_SECONDS + " s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}

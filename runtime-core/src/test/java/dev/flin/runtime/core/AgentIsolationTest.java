package dev.flin.runtime.core;

import static dev.flin.runtime.core.Await.await;
import static dev.flin.runtime.core.Await.awaitTrue;
import static dev.flin.runtime.core.Await.join;
import static dev.flin.runtime.core.Await.tellRetrying;
import static dev.flin.runtime.core.Await.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.Signal;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Section 1 of the spec: agents and isolation. */
class AgentIsolationTest extends RuntimeTestSupport {

    // ---------------------------------------------------------------------------------------
    // 1.1 One message at a time
    // ---------------------------------------------------------------------------------------

    sealed interface Work permits Num, WatchIt {}

    record Num(long value) implements Work {}

    record WatchIt(AgentId target) implements Work {}

    /**
     * Many threads send to one agent while another thread keeps pausing and resuming it and
     * short-lived watched agents terminate (signals arrive from yet other threads): every one of
     * these schedules the agent concurrently. The handler counts how many invocations are inside
     * it at once; that count must never exceed one, for messages and signals alike.
     */
    @Test
    void spec_1_1_handlerInvocationsNeverOverlapUnderConcurrentSendsControlAndSignals() throws Exception {
        final AgentRuntime rt = workerPool(4, uniquePrefix("overlap"), RuntimeOptions.defaults().withBatchSize(1));
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger maxInside = new AtomicInteger();
        final AtomicLong sum = new AtomicLong();
        final AtomicLong handled = new AtomicLong();
        final AtomicInteger signals = new AtomicInteger();
        final AgentRef<Work> target = rt.spawn(Work.class, () -> new Agent<>() {
            private void enter() {
                maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                for (int i = 0; i < 20; i++) {
                    Thread.onSpinWait(); // widen the window in which an overlap would be seen
                }
            }

            @Override
            public void onMessage(final Work message, final AgentContext<Work> ctx) {
                enter();
                try {
                    if (message instanceof Num num) {
                        sum.addAndGet(num.value());
                        handled.incrementAndGet();
                    } else if (message instanceof WatchIt watch) {
                        ctx.watch(watch.target());
                    }
                } finally {
                    inside.decrementAndGet();
                }
            }

            @Override
            public void onSignal(final Signal signal, final AgentContext<Work> ctx) {
                enter();
                signals.incrementAndGet();
                inside.decrementAndGet();
            }
        }, SpawnOptions.defaults().withMailboxCapacity(64));

        final int senders = 4;
        final int perSender = 5_000;
        final AtomicBoolean sending = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            threads.add(new Thread(() -> {
                for (int i = 1; i <= perSender; i++) {
                    tellRetrying(target, new Num(i));
                }
            }, "overlap-sender-" + s));
        }
        final Thread control = new Thread(() -> {
            while (sending.get()) {
                rt.pause(target.id());
                rt.resume(target.id());
            }
        }, "overlap-control");
        final int watched = 50;
        final Thread watcher = new Thread(() -> {
            for (int i = 0; i < watched; i++) {
                final AgentRef<String> victim = rt.spawn(String.class, () -> (m, c) -> { });
                tellRetrying(target, new WatchIt(victim.id()));
                rt.stop(victim.id());
            }
        }, "overlap-watch");
        threads.forEach(Thread::start);
        control.start();
        watcher.start();
        for (final Thread t : threads) {
            join(t);
        }
        join(watcher);
        sending.set(false);
        join(control);
        rt.resume(target.id());

        final long expected = (long) senders * perSender;
        awaitTrue(() -> "handled " + handled.get() + " of " + expected + ", signals " + signals.get(),
                () -> handled.get() == expected && signals.get() == watched, Await.TIMEOUT);
        assertEquals(1, maxInside.get(), "handler invocations of one agent overlapped (rule 1.1)");
        assertEquals(senders * (long) perSender * (perSender + 1) / 2, sum.get());
    }

    // ---------------------------------------------------------------------------------------
    // 1.2 Happens-before
    // ---------------------------------------------------------------------------------------

    record Add(long value) {}

    record Totals(long sum, int count, long[] histogram, int listSize, long listSum) {}

    /**
     * The agent keeps its state in plain, non-volatile fields (a long, an int, an array and an
     * ArrayList) while the messages that update them run on whichever of four workers picks the
     * agent up (batch size 1: every message is a separate run). An ask then reads the final values:
     * any lost or stale write between consecutive invocations shows up as a wrong total.
     */
    @Test
    void spec_1_2_plainFieldsNeedNoSynchronizationAcrossInvocations() throws Exception {
        final AgentRuntime rt = workerPool(4, uniquePrefix("hb"), RuntimeOptions.defaults().withBatchSize(1));
        final AgentRef<Object> agent = rt.spawn(Object.class, () -> new Agent<>() {
            long sum;                                  // plain
            int count;                                 // plain
            final long[] histogram = new long[8];      // plain elements
            final List<Long> values = new ArrayList<>(); // not thread-safe

            @Override
            @SuppressWarnings("unchecked")
            public void onMessage(final Object message, final AgentContext<Object> ctx) {
                if (message instanceof Add add) {
                    sum += add.value();
                    count++;
                    histogram[(int) (add.value() & 7)]++;
                    values.add(add.value());
                } else {
                    long listSum = 0;
                    for (final long v : values) {
                        listSum += v;
                    }
                    ((Reply<Totals>) message).reply(new Totals(sum, count, histogram.clone(), values.size(), listSum));
                }
            }
        });

        final int senders = 2;
        final int perSender = 20_000;
        final List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            threads.add(new Thread(() -> {
                for (int i = 1; i <= perSender; i++) {
                    tellRetrying(agent, new Add(i));
                }
            }));
        }
        threads.forEach(Thread::start);
        threads.forEach(Await::join);

        // the ask is sent after every Add was accepted: it is processed after all of them
        final Totals totals = value(agent.<Totals>ask(reply -> reply, Duration.ofSeconds(10)));
        final long n = (long) senders * perSender;
        final long expectedSum = senders * ((long) perSender * (perSender + 1) / 2);
        assertEquals(n, totals.count());
        assertEquals(expectedSum, totals.sum());
        assertEquals(n, totals.listSize());
        assertEquals(expectedSum, totals.listSum());
        final long[] expectedHistogram = new long[8];
        for (int s = 0; s < senders; s++) {
            for (int i = 1; i <= perSender; i++) {
                expectedHistogram[i & 7]++;
            }
        }
        assertArrayEquals(expectedHistogram, totals.histogram());
    }

    /** A mutable carrier written with plain stores before the send and never after. */
    static final class Carrier {
        int value;
        long check;
        int[] payload;
    }

    /**
     * Whatever the sender wrote (plainly) before an accepted tell is visible to the handler that
     * processes the message.
     */
    @Test
    void spec_1_2_acceptedSendHappensBeforeItsProcessing() {
        final AgentRuntime rt = workerPool(2, uniquePrefix("hb-send"), RuntimeOptions.defaults().withBatchSize(4));
        final AtomicInteger seen = new AtomicInteger();
        final AtomicInteger stale = new AtomicInteger();
        final AgentRef<Carrier> agent = rt.spawn(Carrier.class, () -> (c, ctx) -> {
            if (c.value == 0 || c.check != c.value * 31L || c.payload == null || c.payload.length != 3
                    || c.payload[2] != c.value) {
                stale.incrementAndGet();
            }
            seen.incrementAndGet();
        });
        final int n = 30_000;
        final Thread sender = new Thread(() -> {
            for (int i = 1; i <= n; i++) {
                final Carrier carrier = new Carrier();
                carrier.value = i;
                carrier.check = i * 31L;
                carrier.payload = new int[] {0, 0, i};
                tellRetrying(agent, carrier);
            }
        });
        sender.start();
        join(sender);
        awaitTrue(() -> "seen " + seen.get(), () -> seen.get() == n, Await.TIMEOUT);
        assertEquals(0, stale.get(), "handler saw writes made before the send incompletely (rule 1.2)");
    }

    // ---------------------------------------------------------------------------------------
    // 1.3 Spawn takes a factory
    // ---------------------------------------------------------------------------------------

    /** The factory makes a fresh instance at spawn and at each restart. */
    @Test
    void spec_1_3_factoryMakesAFreshInstanceAtSpawnAndAtEachRestart() {
        final AgentRuntime rt = deterministic(1);
        final List<Agent<String>> made = new ArrayList<>();
        final List<String> handledBy = new ArrayList<>();
        final AgentRef<String> ref = rt.spawn(String.class, () -> {
            final Agent<String> agent = new Agent<>() {
                @Override
                public void onMessage(final String message, final AgentContext<String> ctx) {
                    handledBy.add(message + "@" + made.indexOf(this) + "/r" + ctx.restartCount());
                    if (message.startsWith("boom")) {
                        throw new IllegalStateException(message);
                    }
                }
            };
            made.add(agent);
            return agent;
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        assertEquals(0, made.size(), "the instance is created on the agent thread, not in spawn");
        for (final String m : List.of("a", "boom1", "b", "boom2", "c")) {
            ref.tell(m);
        }
        runUntilIdle();

        assertEquals(3, made.size(), "one instance at spawn and one per restart");
        final Set<Agent<String>> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(made);
        assertEquals(3, distinct.size(), "every instance is a new object");
        assertEquals(List.of("a@0/r0", "boom1@0/r0", "b@1/r1", "boom2@1/r1", "c@2/r2"), handledBy);
    }

    /** A factory that returns null is a start failure, handled by the restart policy. */
    @Test
    void spec_1_3_factoryReturningNullIsAStartFailure() throws Exception {
        final AgentRuntime rt = deterministic(2);
        final Recorder<AgentFailure> failures = Recorder.on(rt, SystemTopics.FAILURES);
        final Recorder<DeadLetter> dead = Recorder.on(rt, SystemTopics.DEAD_LETTERS);
        final AtomicInteger calls = new AtomicInteger();
        final AgentRef<String> ref = rt.spawn(String.class, () -> {
            calls.incrementAndGet();
            return null;
        });
        final var terminated = rt.whenTerminated(ref.id()).toCompletableFuture();
        ref.tell("x");
        ref.tell("y");
        runUntilIdle();

        assertEquals(1, calls.get());
        assertEquals(TerminationCause.FAILED, terminated.getNow(null));
        assertEquals(1, failures.all().size());
        final AgentFailure failure = failures.all().get(0);
        assertEquals(ref.id(), failure.agent());
        assertEquals(AgentFailure.Phase.START, failure.phase());
        assertNull(failure.messageType());
        assertEquals(AgentFailure.Decision.STOP, failure.decision());
        assertEquals(List.of("x", "y"), dead.matching(d -> d.recipient().equals(ref.id())).stream()
                .map(DeadLetter::message).toList(), "messages of a never-started agent are dead letters");
    }

    /**
     * A factory that returns null, or the instance it returned before, is a start failure; under
     * {@code always} the agent is restarted with the next (good) instance, which processes the
     * rest of the mailbox.
     */
    @Test
    void spec_1_3_factoryReturningNullOrThePreviousInstanceIsAStartFailureThenRestarted() {
        final AgentRuntime rt = deterministic(3);
        final Recorder<AgentFailure> failures = Recorder.on(rt, SystemTopics.FAILURES);
        final List<String> log = new ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicReference<Agent<String>> first = new AtomicReference<>();
        final AgentRef<String> ref = rt.spawn(String.class, () -> {
            final int call = calls.incrementAndGet();
            if (call == 1 || call == 2) {
                // the same instance twice: the second time is the "previous instance"
                first.compareAndSet(null, new Agent<>() {
                    @Override
                    public void onMessage(final String m, final AgentContext<String> ctx) {
                        log.add("first:" + m);
                        throw new IllegalStateException("fail " + m);
                    }

                    @Override
                    public void onStop(final AgentContext<String> ctx) {
                        log.add("first:stop");
                    }
                });
                return first.get();
            }
            if (call == 3) {
                return null;
            }
            return (m, ctx) -> log.add("fresh" + call + ":" + m);
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        ref.tell("a");
        ref.tell("b");
        runUntilIdle();

        assertEquals(4, calls.get());
        assertEquals(List.of("first:a", "first:stop", "fresh4:b"), log);
        final List<AgentFailure> mine = failures.matching(f -> f.agent().equals(ref.id()));
        assertEquals(List.of(AgentFailure.Phase.MESSAGE, AgentFailure.Phase.START, AgentFailure.Phase.START),
                mine.stream().map(AgentFailure::phase).toList());
        assertTrue(mine.stream().allMatch(f -> f.decision() == AgentFailure.Decision.RESTART));
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()));
    }

    // ---------------------------------------------------------------------------------------
    // 1.4 Registry holds mailbox handles only
    // ---------------------------------------------------------------------------------------

    /**
     * Neither a ref (from spawn or from the registry) nor the runtime offers any way to reach
     * the agent instance: no ref is an Agent or an AgentContext, and no public method returns an
     * Agent.
     */
    @Test
    void spec_1_4_refsAndRegistryExposeNoAgentState() {
        final AgentRuntime rt = deterministic(4);
        final AtomicReference<Agent<String>> instance = new AtomicReference<>();
        final AgentRef<String> ref = rt.spawn(String.class, () -> {
            final Agent<String> agent = (m, ctx) -> { };
            instance.set(agent);
            return agent;
        }, SpawnOptions.defaults().withName("isolated"));
        runUntilIdle();
        assertTrue(instance.get() != null);

        final AgentRef<String> looked = rt.ref(rt.lookup("isolated").orElseThrow(), String.class).orElseThrow();
        for (final AgentRef<String> handle : List.of(ref, looked)) {
            assertFalse(handle instanceof Agent, "a ref must not be the agent");
            assertNotSame(instance.get(), handle);
            for (final Method method : handle.getClass().getMethods()) {
                assertFalse(Agent.class.isAssignableFrom(method.getReturnType()),
                        "ref method " + method + " returns an agent");
            }
            // rule 1.4 (0.3): the context is a separate object; a ref cannot be cast to one
            assertFalse(handle instanceof AgentContext, "a ref must not be a context: " + handle.getClass());
        }
        for (final Method method : rt.getClass().getMethods()) {
            assertFalse(Agent.class.isAssignableFrom(method.getReturnType()),
                    "runtime method " + method + " returns an agent");
        }
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()), "probing the ref changed nothing");
    }

    // ---------------------------------------------------------------------------------------
    // 1.5 Messages are immutable values, delivered by reference
    // ---------------------------------------------------------------------------------------

    record Payload(int[] numbers, List<String> words) {}

    record ArmTimer(Payload payload) {}

    record PipeIt(Payload payload) {}

    record Asked(Payload payload, Reply<Payload> reply) {}

    /**
     * The same reference the sender passed arrives, for every send path (tell, send by id,
     * publish, timer, pipeToSelf, ask), and its contents are untouched.
     */
    @Test
    void spec_1_5_runtimeDeliversTheSameReferenceUncopiedAndUnmutated() {
        final AgentRuntime rt = deterministic(5);
        final List<Object> received = new ArrayList<>();
        final AgentRef<Object> agent = rt.spawn(Object.class, () -> (m, ctx) -> {
            if (m instanceof ArmTimer arm) {
                ctx.timers().startSingle("t", arm.payload(), Duration.ofMillis(5));
            } else if (m instanceof PipeIt pipe) {
                ctx.pipeToSelf(CompletableFuture.completedFuture(pipe.payload()), (v, t) -> v);
            } else if (m instanceof Asked asked) {
                received.add(asked.payload());
                asked.reply().reply(asked.payload());
            } else {
                received.add(m);
            }
        });
        final Topic<Object> topic = Topic.of("payloads", Object.class);
        rt.subscribe(topic, agent);

        final Payload viaTell = new Payload(new int[] {1, 2, 3}, List.of("a"));
        final Payload viaSend = new Payload(new int[] {4}, List.of("b"));
        final Payload viaPublish = new Payload(new int[] {5}, List.of("c"));
        final Payload viaTimer = new Payload(new int[] {6}, List.of("d"));
        final Payload viaPipe = new Payload(new int[] {7}, List.of("e"));
        final Payload viaAsk = new Payload(new int[] {8}, List.of("f"));
        agent.tell(viaTell);
        rt.send(agent.id(), viaSend);
        assertEquals(1, rt.publish(topic, viaPublish));
        agent.tell(new ArmTimer(viaTimer));
        agent.tell(new PipeIt(viaPipe));
        final CompletableFuture<Payload> answer =
                agent.<Payload>ask(reply -> new Asked(viaAsk, reply), Duration.ofSeconds(5)).toCompletableFuture();
        runUntilIdle();
        dispatcher.advanceTime(Duration.ofMillis(5));

        final List<Payload> sent = List.of(viaTell, viaSend, viaPublish, viaPipe, viaAsk, viaTimer);
        assertEquals(sent.size(), received.size(), "received " + received);
        for (final Payload p : sent) {
            assertTrue(received.stream().anyMatch(r -> r == p), "not delivered by reference: " + p);
        }
        assertSame(viaAsk, answer.getNow(null));
        assertArrayEquals(new int[] {1, 2, 3}, viaTell.numbers(), "the runtime mutated a message");
        assertEquals(List.of("a"), viaTell.words());
    }

    // ---------------------------------------------------------------------------------------
    // 1.6 Independent progress
    // ---------------------------------------------------------------------------------------

    record Echo(int n, Reply<Integer> reply) {}

    /**
     * On a two-thread pool, an agent blocked inside its handler (on a latch released only at the
     * end of the test) does not stop other agents: they keep answering asks and draining
     * messages, and the blocked agent still accepts messages.
     */
    @Test
    void spec_1_6_blockedHandlerDoesNotStopOtherAgentsOnATwoThreadPool() {
        final AgentRuntime rt = workerPool(2, uniquePrefix("progress"), RuntimeOptions.defaults());
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean returned = new AtomicBoolean();
        beforeShutdown(release::countDown);
        try {
            final AgentRef<String> blocked = rt.spawn(String.class, () -> (m, ctx) -> {
                entered.countDown();
                release.await();
                returned.set(true);
            });
            blocked.tell("block");
            await(entered);

            final List<AgentRef<Echo>> others = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                others.add(rt.spawn(Echo.class, () -> (m, ctx) -> m.reply().reply(m.n() * 2)));
            }
            for (int round = 0; round < 50; round++) {
                final List<CompletableFuture<Integer>> answers = new CopyOnWriteArrayList<>();
                for (final AgentRef<Echo> other : others) {
                    final int n = round;
                    answers.add(other.<Integer>ask(r -> new Echo(n, r), Duration.ofSeconds(10)).toCompletableFuture());
                }
                for (final CompletableFuture<Integer> answer : answers) {
                    assertEquals(round * 2, value(answer));
                }
            }
            blocked.tell("still accepted while blocked");
            assertEquals(1, rt.mailboxDepth(blocked.id()));
            assertFalse(returned.get(), "the blocked handler stayed blocked throughout");
        } finally {
            release.countDown();
        }
    }

    @org.junit.jupiter.api.Test
    void spec_1_3_statelessInstanceMayBeReusedAcrossRestarts() {
        final AgentRuntime runtime = deterministic(13);
        final java.util.List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        // A non-capturing lambda has no fields: returning it again carries no state over (rule 1.3).
        final Agent<Integer> stateless = (m, ctx) -> {
            if (m < 0) {
                throw new IllegalStateException("negative");
            }
        };
        // Bounded policy: were the reuse refused, the restart's start failures would end the agent.
        final AgentRef<Integer> ref = runtime.spawn(Integer.class, () -> stateless, SpawnOptions.defaults()
                .withRestartPolicy(RestartPolicy.onFailure(2, java.time.Duration.ofMinutes(1), Backoff.NONE)));
        final AgentRef<Integer> probe = runtime.spawn(Integer.class, () -> new Agent<>() {
            @Override
            public void onMessage(final Integer m, final AgentContext<Integer> ctx) {
                seen.add(m);
            }
        });
        ref.tell(-1);
        ref.tell(5);
        dispatcher.runUntilIdle();
        assertEquals(java.util.Optional.of(AgentState.RUNNING), runtime.state(ref.id()),
                "a stateless instance handed out again must restart, not fail to start");
        assertEquals(1, runtime.counters().restarts());
        assertEquals(1, runtime.counters().failures(), "only the negative message failed; no start failure");
        probe.tell(1);
        dispatcher.runUntilIdle();
        assertEquals(java.util.List.of(1), seen);
    }

    @org.junit.jupiter.api.Test
    void spec_1_4_refIsNotATaskAnyoneCanRun() {
        final AgentRuntime runtime = deterministic(14);
        final AgentRef<Integer> ref = runtime.spawn(Integer.class, () -> (m, ctx) -> { });
        assertFalse(ref instanceof Runnable, "a ref that is a Runnable lets any thread run the agent's callbacks");
    }
}

package dev.flin.runtime.core;

import static dev.flin.runtime.core.Await.await;
import static dev.flin.runtime.core.Await.awaitTrue;
import static dev.flin.runtime.core.Await.liveThreadsNamed;
import static dev.flin.runtime.core.Await.tellRetrying;
import static dev.flin.runtime.core.Await.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.DuplicateAgentNameException;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Section 8 of the spec: registry and runtime. */
class RegistryAndRuntimeTest extends RuntimeTestSupport {

    private static void assertConservation(final RuntimeCounters c) {
        assertEquals(c.accepted(), c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued(),
                "accepted == processed + deadLetters + staleTimerMessages + queued: " + c);
    }

    /** Blocks until the latch opens, ignoring interrupts: a handler that is truly stuck. */
    private static void awaitUninterruptibly(final CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------
    // 8.1 Spawn returns a typed ref with a fresh id; state empty after termination
    // ---------------------------------------------------------------------------------------

    @Test
    void spec_8_1_spawnReturnsATypedRefWithAFreshIdAndStateIsEmptyAfterTermination() {
        final AgentRuntime rt = deterministic(81);
        final AgentRef<String> strings = rt.spawn(String.class, () -> (m, ctx) -> { });
        final AgentRef<Integer> ints = rt.spawn(Integer.class, () -> (m, ctx) -> {
            throw new IllegalStateException("dies");
        });
        assertNotEquals(strings.id(), ints.id());
        assertEquals(String.class, strings.messageType());
        assertEquals(Integer.class, ints.messageType());
        assertEquals(Optional.of(AgentState.STARTING), rt.state(strings.id()), "spawn returns before the start");
        assertEquals(strings.id(), rt.ref(strings.id(), String.class).orElseThrow().id());
        assertEquals(Optional.empty(), rt.ref(strings.id(), Object.class), "declared type must match exactly");
        assertEquals(Optional.empty(), rt.ref(strings.id(), Integer.class));
        runUntilIdle();
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(strings.id()));

        rt.stop(strings.id());
        ints.tell(1);
        runUntilIdle();
        for (final AgentId id : List.of(strings.id(), ints.id())) {
            assertEquals(Optional.empty(), rt.state(id), "state of terminated " + id);
            assertEquals(Optional.empty(), rt.ref(id, Object.class));
        }
        assertEquals(Optional.empty(), rt.ref(strings.id(), String.class));
        assertEquals(Optional.empty(), rt.state(new AgentId(777_777)));
    }

    /** On a worker pool, state() is empty as soon as whenTerminated has completed. */
    @Test
    void spec_8_1_stateIsEmptyOnceWhenTerminatedCompletes() {
        final AgentRuntime rt = workerPool(2);
        for (int i = 0; i < 50; i++) {
            final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> (m, ctx) -> { });
            final CompletableFuture<TerminationCause> end = rt.whenTerminated(ref.id()).toCompletableFuture();
            ref.tell(i);
            rt.stop(ref.id());
            assertEquals(TerminationCause.STOPPED, value(end));
            assertEquals(Optional.empty(), rt.state(ref.id()));
        }
    }

    /**
     * Rule 8.1, the window itself: the terminating thread completes a pending pause stage after the
     * agent became TERMINATED and before it left the registry. A whenTerminated asked from that
     * stage's callback must not be complete yet (an early completion let a waiter find state()
     * still TERMINATED: the conformance kit's 3.1 check saw it once in CI).
     */
    @Test
    void spec_8_1_whenTerminatedAskedInsideTheTerminationWindowCompletesOnlyAfterTheRemoval() {
        final AgentRuntime rt = deterministic(811);
        final List<String> seen = new ArrayList<>();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> new Agent<Integer>() {
            @Override
            public void onMessage(final Integer message, final AgentContext<Integer> context) {
            }

            @Override
            public void onStop(final AgentContext<Integer> context) {
                // registered while SHUTTING_DOWN: only the termination can complete it
                final AgentId id = context.self().id();
                rt.pause(id).thenAccept(state -> {
                    final boolean done = rt.whenTerminated(id).toCompletableFuture().isDone();
                    seen.add(state + " done=" + done + " state=" + rt.state(id));
                });
            }
        });
        runUntilIdle();
        rt.stop(ref.id());
        runUntilIdle();
        assertEquals(List.of("TERMINATED done=false state=Optional[TERMINATED]"), seen,
                "the pause stage completes inside the window; whenTerminated must wait for the removal");
        assertEquals(Optional.empty(), rt.state(ref.id()));
    }

    // ---------------------------------------------------------------------------------------
    // 8.2 Unique names; lookup; freed at termination
    // ---------------------------------------------------------------------------------------

    @Test
    void spec_8_2_namesAreUniqueAmongLiveAgentsAndFreedAtTermination() {
        final AgentRuntime rt = deterministic(82);
        final AgentRef<String> first = rt.spawn(String.class, () -> (m, ctx) -> { },
                SpawnOptions.defaults().withName("svc"));
        assertEquals(Optional.of(first.id()), rt.lookup("svc"));
        final long spawned = rt.counters().spawned();
        assertThrows(DuplicateAgentNameException.class,
                () -> rt.spawn(String.class, () -> (m, ctx) -> { }, SpawnOptions.defaults().withName("svc")));
        assertEquals(spawned, rt.counters().spawned(), "a refused spawn spawned nothing");

        rt.stop(first.id());
        assertThrows(DuplicateAgentNameException.class,
                () -> rt.spawn(String.class, () -> (m, ctx) -> { }, SpawnOptions.defaults().withName("svc")),
                "the name is held until termination");
        runUntilIdle();
        assertEquals(Optional.empty(), rt.lookup("svc"));
        final AgentRef<String> second = rt.spawn(String.class, () -> (m, ctx) -> { },
                SpawnOptions.defaults().withName("svc"));
        assertNotEquals(first.id(), second.id());
        assertEquals(Optional.of(second.id()), rt.lookup("svc"));

        final AgentRef<String> crashing = rt.spawn(String.class, () -> (m, ctx) -> {
            throw new IllegalStateException();
        }, SpawnOptions.defaults().withName("crash"));
        crashing.tell("x");
        runUntilIdle();
        assertEquals(Optional.empty(), rt.lookup("crash"), "a failed agent frees its name");
        assertEquals(Optional.empty(), rt.lookup("never-used"));
    }

    /** Eight threads race to spawn the same name: exactly one wins, the others get DuplicateAgentName. */
    @Test
    void spec_8_2_concurrentSpawnsOfOneNameHaveExactlyOneWinner() {
        final AgentRuntime rt = workerPool(2);
        for (int round = 0; round < 20; round++) {
            final String name = "only-" + round;
            final CountDownLatch go = new CountDownLatch(1);
            final List<AgentId> winners = new CopyOnWriteArrayList<>();
            final AtomicInteger duplicates = new AtomicInteger();
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                threads.add(new Thread(() -> {
                    await(go);
                    try {
                        winners.add(rt.spawn(String.class, () -> (m, ctx) -> { }, SpawnOptions.defaults().withName(name))
                                .id());
                    } catch (DuplicateAgentNameException expected) {
                        duplicates.incrementAndGet();
                    }
                }));
            }
            threads.forEach(Thread::start);
            go.countDown();
            threads.forEach(Await::join);
            assertEquals(1, winners.size(), "winners for " + name);
            assertEquals(7, duplicates.get());
            assertEquals(Optional.of(winners.get(0)), rt.lookup(name));
        }
    }

    // ---------------------------------------------------------------------------------------
    // 8.3 Counters add up
    // ---------------------------------------------------------------------------------------

    /**
     * Agents that are stopped, that fail (with messages left behind) and that keep running: at
     * quiescence the counters agree with what the test observed from outside: spawned is the
     * number of spawns, alive is the number of ids with a state, and every accepted message is
     * processed or dead-lettered.
     */
    @Test
    void spec_8_3_countersAddUpAtQuiescence() {
        final AgentRuntime rt = workerPool(2);
        final int agents = 30;
        final AtomicLong handled = new AtomicLong();
        final List<AgentRef<Integer>> refs = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            refs.add(rt.spawn(Integer.class, () -> (m, ctx) -> {
                handled.incrementAndGet();
                if (m < 0) {
                    throw new IllegalStateException("poison");
                }
            }, SpawnOptions.defaults().withMailboxCapacity(32)));
        }
        long accepted = 0;
        final List<CompletableFuture<TerminationCause>> ends = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            final AgentRef<Integer> ref = refs.get(i);
            for (int m = 0; m < 60; m++) {
                final int message = (i % 3 == 1 && m == 20) ? -1 : m; // every third agent is poisoned
                try {
                    tellRetrying(ref, message);
                    accepted++;
                } catch (AgentNotFoundException poisoned) {
                    break;
                }
            }
            if (i % 3 == 2) {
                rt.stop(ref.id());
            }
            if (i % 3 != 0) {
                ends.add(rt.whenTerminated(ref.id()).toCompletableFuture());
            }
        }
        ends.forEach(Await::value);
        awaitTrue(() -> "quiescence: " + rt.counters(), () -> {
            final RuntimeCounters c = rt.counters();
            return c.queued() == 0 && c.processed() + c.deadLetters() == c.accepted();
        }, Await.TIMEOUT);

        final RuntimeCounters c = rt.counters();
        long alive = 0;
        for (final AgentRef<Integer> ref : refs) {
            if (rt.state(ref.id()).isPresent()) {
                alive++;
            }
        }
        assertEquals(agents, c.spawned());
        assertEquals(agents / 3 * 2, c.terminated());
        assertEquals(agents / 3, alive);
        assertEquals(c.spawned(), alive + c.terminated(), "spawned == alive + terminated");
        assertEquals(accepted, c.accepted());
        assertEquals(handled.get(), c.processed());
        assertEquals(agents / 3, c.failures());
        assertConservation(c);
    }

    // ---------------------------------------------------------------------------------------
    // 8.4 Mailbox depth readable from any thread
    // ---------------------------------------------------------------------------------------

    record DepthOf(AgentId target, Reply<Integer> reply) {}

    @Test
    void spec_8_4_mailboxDepthIsReadableFromAnyThreadWhilePaused() throws Exception {
        final AgentRuntime rt = workerPool(2);
        final AtomicInteger handled = new AtomicInteger();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> (m, ctx) -> handled.incrementAndGet());
        final AgentRef<DepthOf> prober = rt.spawn(DepthOf.class,
                () -> (m, ctx) -> m.reply().reply(ctx.runtime().mailboxDepth(m.target())));
        rt.pause(ref.id());
        awaitTrue(() -> rt.state(ref.id()).equals(Optional.of(AgentState.PAUSED)));
        assertEquals(0, rt.mailboxDepth(ref.id()));
        for (int i = 0; i < 10; i++) {
            ref.tell(i);
        }
        assertEquals(10, rt.mailboxDepth(ref.id()));

        final CompletableFuture<Integer> fromThread = new CompletableFuture<>();
        final Thread reader = new Thread(() -> fromThread.complete(rt.mailboxDepth(ref.id())));
        reader.start();
        assertEquals(10, value(fromThread));
        assertEquals(10, value(prober.<Integer>ask(r -> new DepthOf(ref.id(), r), Duration.ofSeconds(10))),
                "read from another agent's thread");
        assertEquals(0, handled.get());

        rt.resume(ref.id());
        awaitTrue(() -> handled.get() == 10);
        awaitTrue(() -> rt.mailboxDepth(ref.id()) == 0);
    }

    // ---------------------------------------------------------------------------------------
    // 8.5 Registry operations thread-safe and non-blocking
    // ---------------------------------------------------------------------------------------

    /**
     * Four threads spawn (some with clashing names), send to, pause, resume, stop, look up and
     * inspect random agents, all at once. The only exceptions allowed are the typed, expected
     * ones; afterwards everything is stopped and the counters add up.
     */
    @Test
    void spec_8_5_registryOperationsAreThreadSafeUnderConcurrentUse() {
        final AgentRuntime rt = workerPool(2);
        final CopyOnWriteArrayList<AgentId> ids = new CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong spawns = new AtomicLong();
        final AtomicLong handled = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final long seed = t;
            threads.add(new Thread(() -> {
                final SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < 400; i++) {
                    try {
                        final int op = random.nextInt(10);
                        if (op < 2 || ids.isEmpty()) {
                            final SpawnOptions options = random.nextBoolean()
                                    ? SpawnOptions.defaults().withName("n" + random.nextInt(8))
                                    : SpawnOptions.defaults();
                            ids.add(rt.spawn(Integer.class, () -> (m, ctx) -> handled.incrementAndGet(),
                                    options.withMailboxCapacity(16)).id());
                            spawns.incrementAndGet();
                            continue;
                        }
                        final AgentId id = ids.get(random.nextInt(ids.size()));
                        switch (op) {
                            case 2, 3, 4 -> {
                                rt.send(id, i);
                                accepted.incrementAndGet();
                            }
                            case 5 -> rt.pause(id);
                            case 6 -> rt.resume(id);
                            case 7 -> rt.stop(id);
                            case 8 -> {
                                rt.lookup("n" + random.nextInt(8)).ifPresent(rt::state);
                                rt.mailboxDepth(id);
                                rt.mailboxCapacity(id);
                            }
                            default -> {
                                rt.state(id);
                                rt.ref(id, Integer.class).ifPresent(ref -> {
                                    ref.tell(-1);
                                    accepted.incrementAndGet();
                                });
                                rt.counters();
                            }
                        }
                    } catch (AgentNotFoundException | MailboxFullException | DuplicateAgentNameException expected) {
                        // typed outcomes of racing with other threads
                    } catch (Throwable other) {
                        unexpected.add(other);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        threads.forEach(Await::join);
        assertEquals(List.of(), new ArrayList<>(unexpected));
        assertTrue(spawns.get() > 100 && accepted.get() > 100, "the workload did too little to mean anything");

        final List<CompletableFuture<TerminationCause>> ends = new ArrayList<>();
        for (final AgentId id : ids) {
            ends.add(rt.whenTerminated(id).toCompletableFuture());
            try {
                rt.stop(id); // a paused agent drains, then stops
            } catch (AgentNotFoundException alreadyGone) {
                // stopped by a worker thread already
            }
        }
        ends.forEach(Await::value);
        final RuntimeCounters c = rt.counters();
        assertEquals(spawns.get(), c.spawned());
        assertEquals(c.spawned(), c.terminated());
        assertEquals(accepted.get(), c.accepted());
        assertEquals(handled.get(), c.processed());
        assertEquals(0, c.queued());
        assertConservation(c);
    }

    // ---------------------------------------------------------------------------------------
    // 8.6 After shutdown starts: spawn/send/publish -> RuntimeStoppedException
    // ---------------------------------------------------------------------------------------

    @Test
    void spec_8_6_spawnSendAndPublishAfterShutdownThrowRuntimeStopped() {
        final AgentRuntime rt = workerPool(2);
        final Topic<String> topic = Topic.of("after", String.class);
        final AgentRef<String> ref = rt.spawn(String.class, () -> (m, ctx) -> { });
        rt.subscribe(topic, ref);
        assertFalse(rt.isShutdown());
        assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        assertTrue(rt.isShutdown());

        assertThrows(RuntimeStoppedException.class, () -> rt.spawn(String.class, () -> (m, ctx) -> { }));
        assertThrows(RuntimeStoppedException.class, () -> rt.send(ref.id(), "x"));
        assertThrows(RuntimeStoppedException.class, () -> rt.send(new AgentId(123_456), "x"));
        assertThrows(RuntimeStoppedException.class, () -> ref.tell("x"));
        assertThrows(RuntimeStoppedException.class, () -> rt.publish(topic, "x"));
        assertTrue(rt.shutdown(Duration.ofSeconds(1)), "shutdown is idempotent");
    }

    /** Inside the shutdown (from an agent's onStop), spawn, send and publish are already refused. */
    @Test
    void spec_8_6_operationsDuringShutdownAreRefused() {
        final AgentRuntime rt = deterministic(86);
        final Topic<String> topic = Topic.of("during", String.class);
        final AgentRef<String> peer = rt.spawn(String.class, () -> (m, ctx) -> { });
        final List<String> outcomes = new ArrayList<>();
        rt.spawn(String.class, () -> new Agent<String>() {
            @Override
            public void onMessage(final String m, final AgentContext<String> ctx) {
            }

            @Override
            public void onStop(final AgentContext<String> ctx) {
                outcomes.add(attempt(() -> ctx.runtime().spawn(String.class, () -> (m, c) -> { })));
                outcomes.add(attempt(() -> ctx.runtime().send(peer.id(), "x")));
                outcomes.add(attempt(() -> peer.tell("x")));
                outcomes.add(attempt(() -> ctx.runtime().publish(topic, "x")));
            }
        });
        runUntilIdle();
        assertTrue(rt.shutdown(Duration.ofSeconds(5)));
        assertEquals(List.of("RuntimeStoppedException", "RuntimeStoppedException", "RuntimeStoppedException",
                "RuntimeStoppedException"), outcomes);
    }

    private static String attempt(final Runnable action) {
        try {
            action.run();
            return "accepted";
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    // ---------------------------------------------------------------------------------------
    // 8.7 Graceful shutdown within a timeout, then forced; all TERMINATED; threads exited
    // ---------------------------------------------------------------------------------------

    /**
     * Paused agents with full mailboxes, and a running agent whose mailbox is full when the
     * shutdown starts: the shutdown drains every accepted message, every agent reaches TERMINATED,
     * and when it returns no thread of the runtime is alive.
     */
    @Test
    void spec_8_7_shutdownWithFullMailboxesAndPausedAgentsTerminatesAllAndExitsEveryThread() {
        final String prefix = uniquePrefix("shutdown");
        final AgentRuntime rt = workerPool(2, prefix, RuntimeOptions.defaults());
        final AtomicInteger handled = new AtomicInteger();
        final List<AgentRef<Integer>> refs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> (m, ctx) -> handled.incrementAndGet(),
                    SpawnOptions.defaults().withMailboxCapacity(16));
            rt.pause(ref.id());
            refs.add(ref);
        }
        final CountDownLatch gate = new CountDownLatch(1);
        beforeShutdown(gate::countDown);
        final CountDownLatch busy = new CountDownLatch(1);
        final AgentRef<Integer> running = rt.spawn(Integer.class, () -> (m, ctx) -> {
            busy.countDown();
            gate.await(); // held until the shutdown has started
            handled.incrementAndGet();
        }, SpawnOptions.defaults().withMailboxCapacity(16));
        refs.add(running);
        running.tell(0);
        await(busy);
        int accepted = 1;
        for (final AgentRef<Integer> ref : refs) {
            if (ref != running) {
                awaitTrue(() -> rt.state(ref.id()).equals(Optional.of(AgentState.PAUSED)));
            }
            for (int m = 1; m <= 16; m++) {
                ref.tell(m);
                accepted++;
            }
            assertThrows(MailboxFullException.class, () -> ref.tell(99), "mailbox should be full");
        }
        // an ask starts the runtime's timer thread (for its timeout): it must exit too
        final AgentRef<Echo> echo = rt.spawn(Echo.class, () -> (m, ctx) -> m.reply().reply(m.n()));
        assertEquals(7, value(echo.<Integer>ask(r -> new Echo(7, r), Duration.ofSeconds(10))));
        final List<String> names = liveThreadsNamed(prefix + "-").stream().map(Thread::getName).sorted().toList();
        assertEquals(List.of(prefix + "-timer", prefix + "-worker-0", prefix + "-worker-1"), names);
        final List<CompletableFuture<TerminationCause>> ends = new ArrayList<>();
        refs.forEach(r -> ends.add(rt.whenTerminated(r.id()).toCompletableFuture()));
        ends.add(rt.whenTerminated(echo.id()).toCompletableFuture());
        final Thread opener = new Thread(() -> {
            awaitTrue(rt::isShutdown);
            gate.countDown();
        });
        opener.start();

        assertTrue(rt.shutdown(Duration.ofSeconds(10)), "graceful shutdown");

        assertEquals(List.of(), liveThreadsNamed(prefix + "-"), "runtime threads still alive after shutdown");
        Await.join(opener);
        for (final CompletableFuture<TerminationCause> end : ends) {
            assertTrue(end.isDone(), "an agent was not terminated when shutdown returned");
            assertEquals(TerminationCause.RUNTIME_SHUTDOWN, end.getNow(null));
        }
        for (final AgentRef<Integer> ref : refs) {
            assertEquals(Optional.empty(), rt.state(ref.id()));
        }
        assertEquals(Optional.empty(), rt.state(echo.id()));
        assertEquals(accepted, handled.get(), "graceful shutdown processes every accepted message");
        assertEquals(accepted + 1, rt.counters().processed());
        final RuntimeCounters c = rt.counters();
        assertEquals(0, c.deadLetters());
        assertEquals(c.spawned(), c.terminated());
        assertConservation(c);
    }

    record Echo(int n, Reply<Integer> reply) {}

    /**
     * Many short-lived runtimes, each of which has started its workers and its timer thread (an
     * ask): when shutdown returns, none of their threads is alive. (The timer pool signals its
     * termination just before its thread ends; a shutdown that only awaits the pool returns with
     * that thread still alive now and then.)
     */
    @Test
    void spec_8_7_noRuntimeThreadIsAliveWhenShutdownReturns() {
        for (int i = 0; i < 250; i++) {
            final String prefix = uniquePrefix("exit");
            final AgentRuntime rt = workerPool(2, prefix, RuntimeOptions.defaults());
            final AgentRef<Echo> echo = rt.spawn(Echo.class, () -> (m, ctx) -> m.reply().reply(m.n()));
            final int n = i;
            assertEquals(n, value(echo.<Integer>ask(r -> new Echo(n, r), Duration.ofSeconds(10))));
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
            assertEquals(List.of(), liveThreadsNamed(prefix + "-"), "run " + i);
        }
    }

    /**
     * An agent stuck in its handler (on a latch that is released only after shutdown returns)
     * beyond the timeout: shutdown reports a non-graceful stop; the agent is forced, so once its
     * handler returns its remaining messages are dead letters, it reaches TERMINATED and every
     * runtime thread exits. A well-behaved agent in the same runtime stops gracefully.
     */
    @Test
    void spec_8_7_agentBlockedBeyondTheTimeoutIsForcedAndItsMailboxDeadLettered() {
        final String prefix = uniquePrefix("forced");
        final AgentRuntime rt = workerPool(2, prefix, RuntimeOptions.defaults());
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        beforeShutdown(release::countDown);
        final AtomicInteger stuckHandled = new AtomicInteger();
        final AtomicInteger fineHandled = new AtomicInteger();
        final AgentRef<Integer> stuck = rt.spawn(Integer.class, () -> (m, ctx) -> {
            stuckHandled.incrementAndGet();
            if (m == 0) {
                entered.countDown();
                awaitUninterruptibly(release);
            }
        });
        final AgentRef<Integer> fine = rt.spawn(Integer.class, () -> (m, ctx) -> fineHandled.incrementAndGet());
        final CompletableFuture<TerminationCause> stuckEnd = rt.whenTerminated(stuck.id()).toCompletableFuture();
        final CompletableFuture<TerminationCause> fineEnd = rt.whenTerminated(fine.id()).toCompletableFuture();
        stuck.tell(0);
        await(entered);
        for (int i = 1; i <= 5; i++) {
            stuck.tell(i);
        }
        for (int i = 1; i <= 10; i++) {
            fine.tell(i);
        }

        assertFalse(rt.shutdown(Duration.ofMillis(200)), "shutdown must report that it was not graceful");
        assertTrue(rt.isShutdown());
        assertEquals(TerminationCause.RUNTIME_SHUTDOWN, value(fineEnd));
        assertEquals(10, fineHandled.get());

        release.countDown();
        assertEquals(TerminationCause.RUNTIME_SHUTDOWN, value(stuckEnd));
        assertEquals(1, stuckHandled.get(), "a forced agent processes nothing more");
        awaitTrue(() -> "dead letters " + rt.counters().deadLetters(), () -> rt.counters().deadLetters() == 5,
                Await.TIMEOUT);
        assertEquals(Optional.empty(), rt.state(stuck.id()));
        awaitTrue(() -> "threads " + liveThreadsNamed(prefix + "-"), () -> liveThreadsNamed(prefix + "-").isEmpty(),
                Await.TIMEOUT);
        final RuntimeCounters c = rt.counters();
        assertEquals(c.spawned(), c.terminated());
        assertConservation(c);
    }

    /** Shutdown of a deterministic runtime stops every agent in the calling thread. */
    @Test
    void spec_8_7_deterministicShutdownTerminatesEveryAgent() {
        final AgentRuntime rt = deterministic(87);
        final List<String> stops = Collections.synchronizedList(new ArrayList<>());
        final List<CompletableFuture<TerminationCause>> ends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            final int n = i;
            final AgentRef<String> ref = rt.spawn(String.class, () -> new Agent<String>() {
                @Override
                public void onMessage(final String m, final AgentContext<String> ctx) {
                }

                @Override
                public void onStop(final AgentContext<String> ctx) {
                    stops.add("stop" + n);
                }
            });
            ref.tell("queued");
            if (n == 0) {
                rt.pause(ref.id());
            }
            ends.add(rt.whenTerminated(ref.id()).toCompletableFuture());
        }
        assertTrue(rt.shutdown(Duration.ofSeconds(5)));
        assertEquals(5, stops.size());
        for (final CompletableFuture<TerminationCause> end : ends) {
            assertEquals(TerminationCause.RUNTIME_SHUTDOWN, end.getNow(null));
        }
        assertEquals(5, rt.counters().processed());
        assertConservation(rt.counters());
    }
}

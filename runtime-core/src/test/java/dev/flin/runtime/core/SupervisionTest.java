package dev.flin.runtime.core;

import static dev.flin.runtime.core.Await.awaitTrue;
import static dev.flin.runtime.core.Await.tellRetrying;
import static dev.flin.runtime.core.Await.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.Signal;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Section 4 of the spec: failure and supervision. */
class SupervisionTest extends RuntimeTestSupport {

    /** A user message that succeeds. */
    record Ok(int n) {}

    /** A user message whose handling throws. */
    record Fail(int n) {}

    /** An Error, not an Exception: also only a failure of the agent that throws it. */
    static final class SimulatedError extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedError(final String message) {
            super(message);
        }
    }

    /**
     * A factory of agents that log "n:Ok(k)" for Ok, throw for Fail, and count instances; "n" is
     * the instance number (1 for the first).
     */
    static final class Counted {
        final AtomicInteger instances = new AtomicInteger();
        final List<String> log = Collections.synchronizedList(new ArrayList<>());

        Agent<Object> make() {
            final int n = instances.incrementAndGet();
            return new Agent<Object>() {
                @Override
                public void onMessage(final Object m, final AgentContext<Object> ctx) {
                    log.add(n + ":" + m);
                    if (m instanceof Fail) {
                        throw new IllegalStateException("failing on " + m);
                    }
                }
            };
        }
    }

    private static SpawnOptions policy(final RestartPolicy policy) {
        return SpawnOptions.defaults().withRestartPolicy(policy);
    }

    // ---------------------------------------------------------------------------------------
    // 4.1 Failure isolation
    // ---------------------------------------------------------------------------------------

    record Echo(int n, Reply<Integer> reply) {}

    /**
     * On a single worker thread, an agent that throws (exceptions and Errors) on every message
     * shares the thread with a healthy agent: the healthy one answers every ask, is never
     * restarted, and the worker survives.
     */
    @Test
    void spec_4_1_aThrowingHandlerAffectsOnlyItsOwnAgent() {
        final AgentRuntime rt = workerPool(1, uniquePrefix("isolation"), RuntimeOptions.defaults());
        final AtomicInteger badCalls = new AtomicInteger();
        final AgentRef<Integer> bad = rt.spawn(Integer.class, () -> new Agent<Integer>() {
            @Override
            public void onMessage(final Integer m, final AgentContext<Integer> ctx) {
                badCalls.incrementAndGet();
                if (m % 2 == 0) {
                    throw new SimulatedError("error " + m);
                }
                throw new IllegalStateException("exception " + m);
            }
        }, policy(RestartPolicy.always(Backoff.NONE)));
        final AtomicInteger goodInstances = new AtomicInteger();
        final AgentRef<Echo> good = rt.spawn(Echo.class, () -> {
            goodInstances.incrementAndGet();
            return (m, ctx) -> m.reply().reply(m.n() + 1);
        });
        final AgentRef<Integer> badNever = rt.spawn(Integer.class, () -> (m, ctx) -> {
            throw new SimulatedError("fatal");
        });
        final CompletableFuture<TerminationCause> badNeverEnd = rt.whenTerminated(badNever.id()).toCompletableFuture();
        badNever.tell(1);

        for (int i = 0; i < 200; i++) {
            tellRetrying(bad, i);
            if (i % 10 == 0) {
                final int n = i;
                assertEquals(n + 1, value(good.<Integer>ask(r -> new Echo(n, r), Duration.ofSeconds(10))));
            }
        }
        awaitTrue(() -> badCalls.get() == 200);
        assertEquals(TerminationCause.FAILED, value(badNeverEnd));
        assertEquals(42, value(good.<Integer>ask(r -> new Echo(41, r), Duration.ofSeconds(10))));
        assertEquals(1, goodInstances.get(), "the healthy agent was restarted");
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(good.id()));
        assertEquals(201, rt.counters().failures());
    }

    // ---------------------------------------------------------------------------------------
    // 4.2 Restart policies
    // ---------------------------------------------------------------------------------------

    @Test
    void spec_4_2_neverIsTheDefaultAndStopsTheAgentOnItsFirstFailure() {
        assertSame(RestartPolicy.never(), SpawnOptions.defaults().restartPolicy());
        final AgentRuntime rt = deterministic(420);
        final Recorder<AgentFailure> failures = Recorder.on(rt, SystemTopics.FAILURES);
        final Counted counted = new Counted();
        final AgentRef<Object> ref = rt.spawn(Object.class, counted::make);
        final CompletableFuture<TerminationCause> end = rt.whenTerminated(ref.id()).toCompletableFuture();
        ref.tell(new Ok(1));
        ref.tell(new Fail(2));
        ref.tell(new Ok(3));
        runUntilIdle();
        assertEquals(TerminationCause.FAILED, end.getNow(null));
        assertEquals(1, counted.instances.get());
        assertEquals(List.of("1:Ok[n=1]", "1:Fail[n=2]"), counted.log);
        assertEquals(0, rt.counters().restarts());
        assertEquals(List.of(AgentFailure.Decision.STOP),
                failures.matching(f -> f.agent().equals(ref.id())).stream().map(AgentFailure::decision).toList());
    }

    @Test
    void spec_4_2_alwaysRestartsAfterEveryFailure() {
        final AgentRuntime rt = deterministic(421);
        final Counted counted = new Counted();
        final AgentRef<Object> ref = rt.spawn(Object.class, counted::make, policy(RestartPolicy.always(Backoff.NONE)));
        for (int i = 1; i <= 10; i++) {
            ref.tell(new Fail(i));
        }
        ref.tell(new Ok(11));
        runUntilIdle();
        assertEquals(11, counted.instances.get());
        assertEquals("11:Ok[n=11]", counted.log.get(counted.log.size() - 1));
        assertEquals(10, rt.counters().restarts());
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()));
    }

    /** onFailure(3, 1 min): three restarts, then the fourth failure within the window stops the agent. */
    @Test
    void spec_4_2_onFailureStopsWhenMoreThanMaxRestartsFallWithinTheWindow() {
        final AgentRuntime rt = deterministic(422);
        final Recorder<AgentFailure> failures = Recorder.on(rt, SystemTopics.FAILURES);
        final Counted counted = new Counted();
        final AgentRef<Object> ref = rt.spawn(Object.class, counted::make,
                policy(RestartPolicy.onFailure(3, Duration.ofMinutes(1), Backoff.NONE)));
        final CompletableFuture<TerminationCause> end = rt.whenTerminated(ref.id()).toCompletableFuture();
        for (int i = 1; i <= 4; i++) {
            ref.tell(new Fail(i));
            dispatcher.advanceTime(Duration.ofSeconds(1));
        }
        assertThrows(AgentNotFoundException.class, () -> ref.tell(new Ok(5)), "the agent gave up and terminated");
        assertEquals(TerminationCause.FAILED, end.getNow(null));
        assertEquals(4, counted.instances.get());
        assertEquals(List.of(AgentFailure.Decision.RESTART, AgentFailure.Decision.RESTART,
                        AgentFailure.Decision.RESTART, AgentFailure.Decision.STOP),
                failures.matching(f -> f.agent().equals(ref.id())).stream().map(AgentFailure::decision).toList());
        assertEquals(3, rt.counters().restarts());
    }

    /**
     * A window beyond the clock's range (rule 8.10: it means "for ever") is accepted at spawn, so a
     * failure must not overflow converting it: onFailure(1, Long.MAX_VALUE s) restarts once, then
     * stops. Before the restart window moved into the API, the second failure's decision threw
     * ArithmeticException inside the failure handling.
     */
    @Test
    void spec_4_2_aWindowBeyondTheClockNeverForgetsARestart() {
        final AgentRuntime rt = deterministic(425);
        final Recorder<AgentFailure> failures = Recorder.on(rt, SystemTopics.FAILURES);
        final Counted counted = new Counted();
        final AgentRef<Object> ref = rt.spawn(Object.class, counted::make,
                policy(RestartPolicy.onFailure(1, Duration.ofSeconds(Long.MAX_VALUE), Backoff.NONE)));
        final CompletableFuture<TerminationCause> end = rt.whenTerminated(ref.id()).toCompletableFuture();
        ref.tell(new Fail(1));
        runUntilIdle();
        dispatcher.advanceTime(Duration.ofDays(365));
        ref.tell(new Fail(2));
        runUntilIdle();
        assertEquals(TerminationCause.FAILED, end.getNow(null));
        assertEquals(List.of(AgentFailure.Decision.RESTART, AgentFailure.Decision.STOP),
                failures.matching(f -> f.agent().equals(ref.id())).stream().map(AgentFailure::decision).toList());
        assertEquals(2, counted.instances.get());
    }

    /**
     * The window slides on the dispatcher clock: with onFailure(2, 10 s), failures at 0 s and 1 s
     * restart; at 10.5 s the first has left the window, so it restarts again; at 10.6 s two
     * restarts (1 s, 10.5 s) are within the window and the agent stops.
     */
    @Test
    void spec_4_2_onFailureWindowSlidesWithTheClock() {
        final AgentRuntime rt = deterministic(423);
        final Recorder<AgentFailure> failures = Recorder.on(rt, SystemTopics.FAILURES);
        final Counted counted = new Counted();
        final AgentRef<Object> ref = rt.spawn(Object.class, counted::make,
                policy(RestartPolicy.onFailure(2, Duration.ofSeconds(10), Backoff.NONE)));
        final CompletableFuture<TerminationCause> end = rt.whenTerminated(ref.id()).toCompletableFuture();
        final long[] advancesMillis = {0, 1_000, 9_500, 100};
        for (int i = 0; i < advancesMillis.length; i++) {
            dispatcher.advanceTime(Duration.ofMillis(advancesMillis[i]));
            ref.tell(new Fail(i));
            runUntilIdle();
            if (i < 3) {
                assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()), "after failure " + i);
            }
        }
        assertEquals(TerminationCause.FAILED, end.getNow(null));
        assertEquals(List.of(AgentFailure.Decision.RESTART, AgentFailure.Decision.RESTART,
                        AgentFailure.Decision.RESTART, AgentFailure.Decision.STOP),
                failures.matching(f -> f.agent().equals(ref.id())).stream().map(AgentFailure::decision).toList());
    }

    /** Failures spaced wider than the window never exhaust onFailure(1, window). */
    @Test
    void spec_4_2_onFailureNeverGivesUpWhenFailuresAreSpacedBeyondTheWindow() {
        final AgentRuntime rt = deterministic(424);
        final Counted counted = new Counted();
        final AgentRef<Object> ref = rt.spawn(Object.class, counted::make,
                policy(RestartPolicy.onFailure(1, Duration.ofSeconds(5), Backoff.NONE)));
        for (int i = 0; i < 10; i++) {
            ref.tell(new Fail(i));
            runUntilIdle();
            assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()));
            dispatcher.advanceTime(Duration.ofSeconds(5));
        }
        assertEquals(11, counted.instances.get());
    }

    /** A requested stop, external or self, is never restarted, whatever the policy. */
    @Test
    void spec_4_2_aRequestedStopIsNeverRestarted() {
        final AgentRuntime rt = deterministic(425);
        final Counted counted = new Counted();
        final AgentRef<Object> external = rt.spawn(Object.class, counted::make, policy(RestartPolicy.always(Backoff.NONE)));
        final CompletableFuture<TerminationCause> externalEnd = rt.whenTerminated(external.id()).toCompletableFuture();
        final AtomicInteger selfInstances = new AtomicInteger();
        final AgentRef<String> self = rt.spawn(String.class, () -> {
            selfInstances.incrementAndGet();
            return new Agent<String>() {
                @Override
                public void onMessage(final String m, final AgentContext<String> ctx) {
                    ctx.stop();
                }
            };
        }, policy(RestartPolicy.always(Backoff.NONE)));
        final CompletableFuture<TerminationCause> selfEnd = rt.whenTerminated(self.id()).toCompletableFuture();
        runUntilIdle();
        rt.stop(external.id());
        self.tell("stop yourself");
        runUntilIdle();
        assertEquals(TerminationCause.STOPPED, externalEnd.getNow(null));
        assertEquals(TerminationCause.STOPPED, selfEnd.getNow(null));
        assertEquals(1, counted.instances.get());
        assertEquals(1, selfInstances.get());
        assertEquals(0, rt.counters().restarts());
    }

    // ---------------------------------------------------------------------------------------
    // 4.3 Failing message reported, not retried; rest of mailbox kept
    // ---------------------------------------------------------------------------------------

    @Test
    void spec_4_3_failingMessageIsNotRetriedAndTheRestOfTheMailboxIsKept() {
        final AgentRuntime rt = deterministic(430);
        final Recorder<AgentFailure> failures = Recorder.on(rt, SystemTopics.FAILURES);
        final Counted counted = new Counted();
        final AgentRef<Object> ref = rt.spawn(Object.class, counted::make, policy(RestartPolicy.always(
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0))));
        ref.tell(new Ok(1));
        ref.tell(new Fail(2));
        ref.tell(new Ok(3));
        ref.tell(new Ok(4));
        runUntilIdle();
        assertEquals(List.of("1:Ok[n=1]", "1:Fail[n=2]"), counted.log);
        assertEquals(2, rt.mailboxDepth(ref.id()), "the rest of the mailbox is kept during the backoff");
        dispatcher.advanceTime(Duration.ofSeconds(1));
        assertEquals(List.of("1:Ok[n=1]", "1:Fail[n=2]", "2:Ok[n=3]", "2:Ok[n=4]"), counted.log,
                "the failing message was retried or the rest was lost");
        final List<AgentFailure> mine = failures.matching(f -> f.agent().equals(ref.id()));
        assertEquals(1, mine.size());
        assertEquals(Fail.class, mine.get(0).messageType());
        assertEquals(0, rt.counters().deadLetters());
    }

    // ---------------------------------------------------------------------------------------
    // 4.4 Exponential backoff
    // ---------------------------------------------------------------------------------------

    /**
     * Backoff(100 ms, 1 s, x2): consecutive failures wait 100, 200, 400, 800, then 1000 ms
     * (capped). During each wait the agent is STARTING, accepts messages and processes none; one
     * millisecond early nothing happens. After a successful message the next failure waits 100 ms
     * again.
     */
    @Test
    void spec_4_4_backoffIsExponentialCappedAndMessagesWaitInStarting() {
        final AgentRuntime rt = deterministic(440);
        final Counted counted = new Counted();
        final AgentRef<Object> ref = rt.spawn(Object.class, counted::make, policy(RestartPolicy.always(
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0))));
        for (int i = 1; i <= 5; i++) {
            ref.tell(new Fail(i));
        }
        ref.tell(new Ok(6));
        runUntilIdle();
        final long[] expectedDelays = {100, 200, 400, 800, 1_000};
        for (int i = 0; i < expectedDelays.length; i++) {
            assertEquals(i + 1, counted.log.size(), "failures so far");
            assertEquals(Optional.of(AgentState.STARTING), rt.state(ref.id()), "backing off after failure " + (i + 1));
            ref.tell(new Ok(100 + i)); // accepted during the backoff, waits
            final int depth = rt.mailboxDepth(ref.id());
            dispatcher.advanceTime(Duration.ofMillis(expectedDelays[i] - 1));
            assertEquals(Optional.of(AgentState.STARTING), rt.state(ref.id()),
                    "restarted before its backoff of " + expectedDelays[i] + " ms");
            assertEquals(i + 1, counted.instances.get());
            assertEquals(depth, rt.mailboxDepth(ref.id()), "processed during the backoff");
            dispatcher.advanceTime(Duration.ofMillis(1));
            assertEquals(i + 2, counted.instances.get(), "not restarted after its backoff of " + expectedDelays[i] + " ms");
        }
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()));
        assertEquals(List.of("6:Ok[n=6]", "6:Ok[n=100]", "6:Ok[n=101]", "6:Ok[n=102]", "6:Ok[n=103]", "6:Ok[n=104]"),
                counted.log.subList(5, counted.log.size()));

        // a success resets the sequence: the next failure waits the initial 100 ms again
        ref.tell(new Fail(7));
        runUntilIdle();
        dispatcher.advanceTime(Duration.ofMillis(99));
        assertEquals(Optional.of(AgentState.STARTING), rt.state(ref.id()));
        dispatcher.advanceTime(Duration.ofMillis(1));
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()));
        assertEquals(7, counted.instances.get());
    }

    @Test
    void spec_4_4_backoffDelayFormula() {
        final Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), 3.0);
        assertEquals(10_000_000L, backoff.delayNanos(0));
        assertEquals(30_000_000L, backoff.delayNanos(1));
        assertEquals(90_000_000L, backoff.delayNanos(2));
        assertEquals(100_000_000L, backoff.delayNanos(3));
        assertEquals(100_000_000L, backoff.delayNanos(1_000));
        assertEquals(0L, Backoff.NONE.delayNanos(5));
    }

    // ---------------------------------------------------------------------------------------
    // 4.5 Failures published
    // ---------------------------------------------------------------------------------------

    /** Each kind of failure is published with its agent, phase, message type, the cause itself and the decision. */
    @Test
    void spec_4_5_failuresArePublishedWithAgentPhaseMessageTypeCauseAndDecision() {
        final AgentRuntime rt = deterministic(450);
        final Recorder<AgentFailure> failures = Recorder.on(rt, SystemTopics.FAILURES);
        final AtomicReference<Throwable> messageCause = new AtomicReference<>();
        final AtomicReference<Throwable> startCause = new AtomicReference<>();
        final AtomicReference<Throwable> stopCause = new AtomicReference<>();
        final AtomicReference<Throwable> signalCause = new AtomicReference<>();

        final AgentRef<Object> onMessage = rt.spawn(Object.class, () -> new Agent<Object>() {
            @Override
            public void onMessage(final Object m, final AgentContext<Object> ctx) {
                final RuntimeException e = new IllegalStateException("message");
                messageCause.set(e);
                throw e;
            }
        }, policy(RestartPolicy.always(Backoff.NONE)));
        final AgentRef<Object> onStart = rt.spawn(Object.class, () -> new Agent<Object>() {
            @Override
            public void onStart(final AgentContext<Object> ctx) throws Exception {
                final Exception e = new java.io.IOException("start");
                startCause.set(e);
                throw e;
            }

            @Override
            public void onMessage(final Object m, final AgentContext<Object> ctx) {
            }
        });
        final AgentRef<Object> onStop = rt.spawn(Object.class, () -> new Agent<Object>() {
            @Override
            public void onMessage(final Object m, final AgentContext<Object> ctx) {
            }

            @Override
            public void onStop(final AgentContext<Object> ctx) {
                final RuntimeException e = new IllegalStateException("stop");
                stopCause.set(e);
                throw e;
            }
        });
        final CompletableFuture<TerminationCause> onStopEnd = rt.whenTerminated(onStop.id()).toCompletableFuture();
        final AgentRef<Object> onSignal = rt.spawn(Object.class, () -> new Agent<Object>() {
            @Override
            public void onMessage(final Object m, final AgentContext<Object> ctx) {
                ctx.watch(new AgentId(Long.MAX_VALUE - 1)); // unknown: signals at once
            }

            @Override
            public void onSignal(final Signal signal, final AgentContext<Object> ctx) {
                final RuntimeException e = new IllegalStateException("signal");
                signalCause.set(e);
                throw e;
            }
        });

        onMessage.tell(new Ok(1));
        onStop.tell("hello");
        onSignal.tell("watch");
        runUntilIdle();
        rt.stop(onStop.id());
        runUntilIdle();

        assertFailure(failures, onMessage.id(), AgentFailure.Phase.MESSAGE, Ok.class, messageCause.get(),
                AgentFailure.Decision.RESTART);
        assertFailure(failures, onStart.id(), AgentFailure.Phase.START, null, startCause.get(),
                AgentFailure.Decision.STOP);
        assertFailure(failures, onStop.id(), AgentFailure.Phase.STOP, null, stopCause.get(),
                AgentFailure.Decision.IGNORE);
        assertFailure(failures, onSignal.id(), AgentFailure.Phase.SIGNAL, Signal.Terminated.class, signalCause.get(),
                AgentFailure.Decision.STOP);
        assertEquals(TerminationCause.STOPPED, onStopEnd.getNow(null), "a failing onStop does not change the cause");
        assertEquals(4, rt.counters().failures());
        assertEquals(4, failures.all().size());
    }

    private static void assertFailure(final Recorder<AgentFailure> failures, final AgentId agent,
                                      final AgentFailure.Phase phase, final Class<?> messageType,
                                      final Throwable cause, final AgentFailure.Decision decision) {
        final List<AgentFailure> mine = failures.matching(f -> f.agent().equals(agent));
        assertEquals(1, mine.size(), "failures of " + agent + ": " + mine);
        final AgentFailure failure = mine.get(0);
        assertEquals(phase, failure.phase());
        assertEquals(messageType, failure.messageType());
        assertTrue(cause != null && failure.cause() == cause, "the published cause is not the thrown one");
        assertEquals(decision, failure.decision());
    }

    // ---------------------------------------------------------------------------------------
    // 4.6 onStart failure follows the policy
    // ---------------------------------------------------------------------------------------

    /** Never: the agent terminates FAILED, its accepted messages are dead letters, no onStop. */
    @Test
    void spec_4_6_onStartFailureUnderNeverTerminatesTheAgent() {
        final AgentRuntime rt = deterministic(460);
        final Recorder<DeadLetter> dead = Recorder.on(rt, SystemTopics.DEAD_LETTERS);
        final List<String> log = new ArrayList<>();
        final AgentRef<String> ref = rt.spawn(String.class, () -> new Agent<String>() {
            @Override
            public void onStart(final AgentContext<String> ctx) {
                log.add("start");
                throw new IllegalStateException("no");
            }

            @Override
            public void onMessage(final String m, final AgentContext<String> ctx) {
                log.add(m);
            }

            @Override
            public void onStop(final AgentContext<String> ctx) {
                log.add("stop");
            }
        });
        final CompletableFuture<TerminationCause> end = rt.whenTerminated(ref.id()).toCompletableFuture();
        ref.tell("a");
        ref.tell("b");
        runUntilIdle();
        assertEquals(TerminationCause.FAILED, end.getNow(null));
        assertEquals(List.of("start"), log);
        assertEquals(List.of("a", "b"),
                dead.matching(d -> d.recipient().equals(ref.id())).stream().map(DeadLetter::message).toList());
    }

    /** Always: instances whose onStart fails are replaced until one starts; it gets the messages. */
    @Test
    void spec_4_6_onStartFailureUnderAlwaysRestartsUntilAStartSucceeds() {
        final AgentRuntime rt = deterministic(461);
        final List<String> log = new ArrayList<>();
        final AtomicInteger instances = new AtomicInteger();
        final AgentRef<String> ref = rt.spawn(String.class, () -> {
            final int n = instances.incrementAndGet();
            return new Agent<String>() {
                @Override
                public void onStart(final AgentContext<String> ctx) {
                    log.add("start" + n);
                    if (n < 3) {
                        throw new IllegalStateException("not yet");
                    }
                }

                @Override
                public void onMessage(final String m, final AgentContext<String> ctx) {
                    log.add(n + ":" + m);
                }

                @Override
                public void onStop(final AgentContext<String> ctx) {
                    log.add("stop" + n);
                }
            };
        }, policy(RestartPolicy.always(Backoff.NONE)));
        ref.tell("a");
        ref.tell("b");
        runUntilIdle();
        rt.stop(ref.id());
        runUntilIdle();
        assertEquals(List.of("start1", "start2", "start3", "3:a", "3:b", "stop3"), log);
        assertEquals(2, rt.counters().restarts());
    }

    /** onFailure(1, ...): start failures count against the limit like message failures. */
    @Test
    void spec_4_6_onStartFailuresCountAgainstTheOnFailureLimit() {
        final AgentRuntime rt = deterministic(462);
        final Recorder<AgentFailure> failures = Recorder.on(rt, SystemTopics.FAILURES);
        final AtomicInteger instances = new AtomicInteger();
        final AgentRef<String> ref = rt.spawn(String.class, () -> {
            instances.incrementAndGet();
            return new Agent<String>() {
                @Override
                public void onStart(final AgentContext<String> ctx) {
                    throw new IllegalStateException("never starts");
                }

                @Override
                public void onMessage(final String m, final AgentContext<String> ctx) {
                }
            };
        }, policy(RestartPolicy.onFailure(1, Duration.ofMinutes(1), Backoff.NONE)));
        final CompletableFuture<TerminationCause> end = rt.whenTerminated(ref.id()).toCompletableFuture();
        runUntilIdle();
        assertEquals(TerminationCause.FAILED, end.getNow(null));
        assertEquals(2, instances.get());
        final List<AgentFailure> mine = failures.matching(f -> f.agent().equals(ref.id()));
        assertEquals(List.of(AgentFailure.Phase.START, AgentFailure.Phase.START),
                mine.stream().map(AgentFailure::phase).toList());
        assertEquals(List.of(AgentFailure.Decision.RESTART, AgentFailure.Decision.STOP),
                mine.stream().map(AgentFailure::decision).toList());
    }

    /** A start failure under a policy with backoff waits the backoff before the next attempt. */
    @Test
    void spec_4_6_onStartFailureWaitsTheBackoff() {
        final AgentRuntime rt = deterministic(463);
        final AtomicInteger instances = new AtomicInteger();
        final AgentRef<String> ref = rt.spawn(String.class, () -> {
            final int n = instances.incrementAndGet();
            return new Agent<String>() {
                @Override
                public void onStart(final AgentContext<String> ctx) {
                    if (n == 1) {
                        throw new IllegalStateException("first start fails");
                    }
                }

                @Override
                public void onMessage(final String m, final AgentContext<String> ctx) {
                }
            };
        }, policy(RestartPolicy.always(new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(2), 1.0))));
        runUntilIdle();
        assertEquals(1, instances.get());
        dispatcher.advanceTime(Duration.ofMillis(1_999));
        assertEquals(1, instances.get());
        assertEquals(Optional.of(AgentState.STARTING), rt.state(ref.id()));
        dispatcher.advanceTime(Duration.ofMillis(1));
        assertEquals(2, instances.get());
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()));
    }

    // ---------------------------------------------------------------------------------------
    // 4.7 Death watch
    // ---------------------------------------------------------------------------------------

    record Watch(AgentId target) {}

    record Unwatch(AgentId target) {}

    /** Watches, unwatches and logs every other message and every signal. */
    static Agent<Object> watcher(final List<Object> log) {
        return new Agent<Object>() {
            @Override
            public void onMessage(final Object m, final AgentContext<Object> ctx) {
                if (m instanceof Watch w) {
                    ctx.watch(w.target());
                } else if (m instanceof Unwatch u) {
                    ctx.unwatch(u.target());
                } else {
                    log.add(m);
                }
            }

            @Override
            public void onSignal(final Signal signal, final AgentContext<Object> ctx) {
                log.add(signal);
            }
        };
    }

    @Test
    void spec_4_7_terminatedIsDeliveredExactlyOnceWithTheCause() {
        final AgentRuntime rt = deterministic(470);
        final List<Object> log = new ArrayList<>();
        final AgentRef<Object> watcher = rt.spawn(Object.class, () -> watcher(log));
        final AgentRef<String> stopped = rt.spawn(String.class, () -> (m, ctx) -> { });
        final AgentRef<String> failing = rt.spawn(String.class, () -> (m, ctx) -> {
            throw new IllegalStateException(m);
        });
        watcher.tell(new Watch(stopped.id()));
        watcher.tell(new Watch(stopped.id())); // twice: no further effect
        watcher.tell(new Watch(failing.id()));
        runUntilIdle();
        assertEquals(List.of(), log);
        rt.stop(stopped.id());
        failing.tell("die");
        runUntilIdle();
        watcher.tell("later");
        runUntilIdle();
        assertEquals(3, log.size(), "log: " + log);
        assertTrue(log.contains(new Signal.Terminated(stopped.id(), TerminationCause.STOPPED)), "log: " + log);
        assertTrue(log.contains(new Signal.Terminated(failing.id(), TerminationCause.FAILED)), "log: " + log);
        assertEquals("later", log.get(2));
    }

    @Test
    void spec_4_7_watchingADeadOrUnknownIdSignalsAtOnce() {
        final AgentRuntime rt = deterministic(471);
        final List<Object> log = new ArrayList<>();
        final AgentRef<Object> watcher = rt.spawn(Object.class, () -> watcher(log));
        final AgentRef<String> dead = rt.spawn(String.class, () -> (m, ctx) -> { });
        runUntilIdle();
        rt.stop(dead.id());
        runUntilIdle();
        assertEquals(Optional.empty(), rt.state(dead.id()));
        final AgentId unknown = new AgentId(9_999_999);
        watcher.tell(new Watch(dead.id()));
        watcher.tell(new Watch(unknown));
        runUntilIdle();
        assertEquals(List.of(dead.id(), unknown),
                log.stream().map(s -> ((Signal.Terminated) s).agent()).toList());
    }

    /** unwatch before the target terminates: no signal; a second watcher (control) still gets one. */
    @Test
    void spec_4_7_unwatchBeforeTerminationSuppressesTheSignal() {
        final AgentRuntime rt = deterministic(472);
        final List<Object> unwatched = new ArrayList<>();
        final List<Object> control = new ArrayList<>();
        final AgentRef<Object> w1 = rt.spawn(Object.class, () -> watcher(unwatched));
        final AgentRef<Object> w2 = rt.spawn(Object.class, () -> watcher(control));
        final AgentRef<String> target = rt.spawn(String.class, () -> (m, ctx) -> { });
        w1.tell(new Watch(target.id()));
        w2.tell(new Watch(target.id()));
        runUntilIdle();
        w1.tell(new Unwatch(target.id()));
        runUntilIdle();
        rt.stop(target.id());
        runUntilIdle();
        w1.tell("probe");
        runUntilIdle();
        assertEquals(List.of("probe"), unwatched);
        assertEquals(List.of(new Signal.Terminated(target.id(), TerminationCause.STOPPED)), control);
    }

    record WatchStopAwaitUnwatch(AgentId target) {}

    /**
     * On a two-thread pool: the watcher's handler watches the target, stops it, waits (blocking its
     * own thread) until it has terminated, so the signal is already queued, then unwatches. The
     * queued signal must not be delivered.
     */
    @Test
    void spec_4_7_unwatchSuppressesASignalAlreadyQueued() {
        final AgentRuntime rt = workerPool(2);
        final List<Object> log = Collections.synchronizedList(new ArrayList<>());
        final List<Object> control = Collections.synchronizedList(new ArrayList<>());
        final AgentRef<String> target = rt.spawn(String.class, () -> (m, ctx) -> { });
        final AgentRef<Object> controlWatcher = rt.spawn(Object.class, () -> watcher(control));
        controlWatcher.tell(new Watch(target.id()));
        final AgentRef<Object> watcher = rt.spawn(Object.class, () -> new Agent<Object>() {
            @Override
            public void onMessage(final Object m, final AgentContext<Object> ctx) {
                if (m instanceof WatchStopAwaitUnwatch cmd) {
                    ctx.watch(cmd.target());
                    ctx.runtime().stop(cmd.target());
                    value(ctx.runtime().whenTerminated(cmd.target())); // the signal is queued by now
                    ctx.unwatch(cmd.target());
                    log.add("unwatched");
                } else {
                    log.add(m);
                }
            }

            @Override
            public void onSignal(final Signal signal, final AgentContext<Object> ctx) {
                log.add(signal);
            }
        });
        watcher.tell(new WatchStopAwaitUnwatch(target.id()));
        awaitTrue(() -> log.contains("unwatched"));
        watcher.tell("probe");
        awaitTrue(() -> log.contains("probe"));
        awaitTrue(() -> control.size() == 1);
        assertEquals(List.of("unwatched", "probe"), log);
        assertEquals(List.of(new Signal.Terminated(target.id(), TerminationCause.STOPPED)), control);
    }

    // ---------------------------------------------------------------------------------------
    // 4.8 Restart keeps identity
    // ---------------------------------------------------------------------------------------

    /**
     * Across a restart: same id, the queued messages are kept, the topic subscription and the
     * death watch made by the old instance still work for the new one, the old instance's timers
     * (one-shot and fixed-rate) never fire, and the instance is new.
     */
    @Test
    void spec_4_8_restartKeepsIdMailboxSubscriptionsAndWatchesButCancelsTimers() {
        final AgentRuntime rt = deterministic(480);
        final Topic<Object> news = Topic.of("news", Object.class);
        final AgentRef<String> watched = rt.spawn(String.class, () -> (m, ctx) -> { });
        final List<String> log = new ArrayList<>();
        final List<Object> instancesMade = new ArrayList<>();
        final AgentRef<Object> ref = rt.spawn(Object.class, () -> {
            final int n = instancesMade.size() + 1;
            final Agent<Object> agent = new Agent<Object>() {
                @Override
                public void onStart(final AgentContext<Object> ctx) {
                    log.add("start" + n + " " + ctx.self().id() + " r" + ctx.restartCount());
                }

                @Override
                public void onMessage(final Object m, final AgentContext<Object> ctx) {
                    if (m.equals("setup")) {
                        ctx.subscribe(news);
                        ctx.watch(watched.id());
                        ctx.timers().startSingle("once", "tick", Duration.ofSeconds(5));
                        ctx.timers().startFixedRate("rate", "rate-tick", Duration.ofSeconds(1), Duration.ofSeconds(1));
                    } else if (m.equals("boom")) {
                        throw new IllegalStateException("boom");
                    } else {
                        log.add(n + ":" + m);
                    }
                }

                @Override
                public void onSignal(final Signal signal, final AgentContext<Object> ctx) {
                    log.add(n + ":signal " + ((Signal.Terminated) signal).agent());
                }
            };
            instancesMade.add(agent);
            return agent;
        }, policy(RestartPolicy.always(Backoff.NONE)));
        ref.tell("setup");
        ref.tell("boom");
        ref.tell("m1");
        ref.tell("m2");
        runUntilIdle();
        assertEquals(List.of("start1 " + ref.id() + " r0", "start2 " + ref.id() + " r1", "2:m1", "2:m2"), log);
        assertEquals(2, instancesMade.size());
        assertFalse(instancesMade.get(0) == instancesMade.get(1));

        assertEquals(1, rt.subscriberCount(news));
        assertEquals(1, rt.publish(news, "event"));
        rt.send(ref.id(), "by-id");
        runUntilIdle();
        rt.stop(watched.id());
        runUntilIdle();
        dispatcher.advanceTime(Duration.ofSeconds(30));
        assertEquals(List.of("start1 " + ref.id() + " r0", "start2 " + ref.id() + " r1", "2:m1", "2:m2",
                "2:event", "2:by-id", "2:signal " + watched.id()), log);
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()));
    }

    /** A timer message already in the mailbox when the agent restarts is never delivered (counted stale). */
    @Test
    void spec_4_8_timerMessageAlreadyQueuedAtRestartIsNeverDelivered() {
        final AgentRuntime rt = deterministic(481);
        final List<String> log = new ArrayList<>();
        final AgentRef<String> ref = rt.spawn(String.class, fresh((m, ctx) -> {
            log.add(m);
            if (m.equals("arm")) {
                ctx.timers().startSingle("t", "tick", Duration.ZERO);
            } else if (m.equals("boom")) {
                throw new IllegalStateException("boom");
            }
        }), policy(RestartPolicy.always(Backoff.NONE)));
        ref.tell("arm");
        runUntilIdle();
        rt.pause(ref.id());
        runUntilIdle();
        ref.tell("boom");
        dispatcher.advanceTime(Duration.ZERO); // the timer fires: "tick" is queued behind "boom"
        assertEquals(2, rt.mailboxDepth(ref.id()));
        rt.resume(ref.id());
        ref.tell("after");
        runUntilIdle();
        assertEquals(List.of("arm", "boom", "after"), log);
        final RuntimeCounters c = rt.counters();
        assertEquals(1, c.staleTimerMessages());
        assertEquals(c.accepted(), c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued());
    }

    // ---------------------------------------------------------------------------------------
    // Restart storm (4.2, 4.3, 4.8 with 2.4 conservation), on a worker pool
    // ---------------------------------------------------------------------------------------

    /**
     * Four senders stream into one agent whose handler fails on every 7th message under
     * always(NONE), on a worker pool. Every accepted message is processed exactly once (the
     * failing ones are not retried, none is lost across restarts) and the counters add up.
     */
    @Test
    void spec_4_2_restartStormUnderConcurrentLoadConservesEveryMessage() {
        final AgentRuntime rt = workerPool(2, uniquePrefix("storm"), RuntimeOptions.defaults().withBatchSize(8));
        final int k = 7;
        final AtomicLong handled = new AtomicLong();
        final AtomicLong thrown = new AtomicLong();
        final AtomicInteger duplicates = new AtomicInteger();
        final Set<Long> seen = ConcurrentHashMap.newKeySet();
        final AgentRef<Long> ref = rt.spawn(Long.class, () -> new Agent<Long>() {
            @Override
            public void onMessage(final Long m, final AgentContext<Long> ctx) {
                if (!seen.add(m)) {
                    duplicates.incrementAndGet();
                }
                if (handled.incrementAndGet() % k == 0) {
                    thrown.incrementAndGet();
                    throw new IllegalStateException("every " + k + "th fails");
                }
            }
        }, policy(RestartPolicy.always(Backoff.NONE)).withMailboxCapacity(128));
        final int senders = 4;
        final int perSender = 5_000;
        final List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            final long base = (long) s * 1_000_000L;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perSender; i++) {
                    tellRetrying(ref, base + i);
                }
            }));
        }
        threads.forEach(Thread::start);
        threads.forEach(Await::join);
        final long total = (long) senders * perSender;
        awaitTrue(() -> "handled " + handled.get(), () -> handled.get() == total, Await.TIMEOUT);
        awaitTrue(() -> rt.counters().restarts() == thrown.get() && rt.counters().queued() == 0);

        final RuntimeCounters c = rt.counters();
        assertEquals(0, duplicates.get(), "a message was processed twice (retried?)");
        assertEquals(total, seen.size());
        assertEquals(total, c.accepted());
        assertEquals(total, c.processed());
        assertEquals(0, c.deadLetters());
        assertEquals(c.accepted(), c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued());
        assertEquals(total / k, thrown.get());
        assertEquals(thrown.get(), c.failures());
        assertEquals(thrown.get(), c.restarts());
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()));
    }
}

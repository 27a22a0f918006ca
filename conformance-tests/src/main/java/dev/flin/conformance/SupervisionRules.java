package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import dev.flin.runtime.DuplicateAgentNameException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Checks of section 4 of {@code docs/spec.md}: Failure and supervision. One method or more per rule, named
 * {@code required_spec_4_M_...} (MUST), {@code optional_spec_4_M_...} (SHOULD/MAY) or
 * {@code untested_spec_4_M_...} (not checkable yet: always reported as skipped).
 */
public interface SupervisionRules extends KitSupport {

    // ------------------------------------------------------------------------------------ 4.1

    /**
     * Rule 4.1: one generated agent among several fails (in a message or in onStart, policy never);
     * the others keep their state (a plain sum, read back by ask), their mailboxes and their
     * progress; the runtime keeps running and spawning.
     */
    @Property(tries = 15)
    default void required_spec_4_1_aFailureAffectsOnlyItsAgent(
            @ForAll @IntRange(min = 2, max = 5) final int agents,
            @ForAll @IntRange(min = 0, max = 4) final int victimPick,
            @ForAll @IntRange(min = 1, max = 30) final int messages,
            @ForAll @IntRange(min = 0, max = 29) final int failAtPick,
            @ForAll final boolean inStart) {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final int victim = victimPick % agents;
        final int failAt = failAtPick % messages;
        final CountDownLatch watched = new CountDownLatch(1);
        final List<AgentRef<Object>> refs = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            final boolean isVictim = a == victim;
            refs.add(rt.spawn(Object.class, () -> new Agent<Object>() {
                private long sum; // plain state that must survive a neighbour's failure

                @Override
                public void onStart(final AgentContext<Object> context) {
                    if (isVictim && inStart) {
                        kit.awaitQuietly(watched);
                        throw new IllegalStateException("planned start failure (rule 4.1 check)");
                    }
                }

                @Override
                @SuppressWarnings("unchecked")
                public void onMessage(final Object message, final AgentContext<Object> context) {
                    if (message instanceof Reply<?> reply) {
                        ((Reply<Long>) reply).reply(sum);
                        return;
                    }
                    final int value = (Integer) message;
                    if (isVictim && value == failAt) {
                        throw new IllegalStateException("planned failure (rule 4.1 check)");
                    }
                    sum += value;
                }
            }));
        }
        final CompletionStage<TerminationCause> victimEnd = rt.whenTerminated(refs.get(victim).id());
        watched.countDown();
        for (int i = 0; i < messages; i++) {
            for (final AgentRef<Object> ref : refs) {
                try {
                    ref.tell(i);
                } catch (AgentNotFoundException victimGone) {
                    assertSame(refs.get(victim), ref, "rule 4.1: a bystander refused a message: " + ref.id());
                }
            }
        }
        assertEquals(TerminationCause.FAILED, kit.await("the failing agent to terminate", victimEnd));
        final long expected = (long) messages * (messages - 1) / 2;
        for (int a = 0; a < agents; a++) {
            if (a != victim) {
                final AgentRef<Object> ref = refs.get(a);
                final Long sum = kit.await("the sum of bystander " + ref.id(),
                        ref.<Long>ask(reply -> reply, kit.waitLimit()));
                assertEquals(expected, sum, "rule 4.1: bystander " + ref.id() + " lost state or messages");
                assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()), "rule 4.1: a bystander was disturbed");
            }
        }
        assertFalse(rt.isShutdown(), "rule 4.1: the runtime stopped because of one agent's failure");
        final Recorder<Integer> newcomer = kit.recorder(Integer.class);
        newcomer.ref().tell(1);
        newcomer.awaitCount(1);
        assertEquals(1, rt.counters().failures(), "rule 4.5: exactly one failure happened");
    }

    // ------------------------------------------------------------------------------------ 4.2

    /**
     * Rule 4.2 against a model: for a generated policy (never, always, onFailure(max) with a window
     * far longer than the check) and a generated number of failing messages interleaved with good
     * ones, the runtime restarts exactly as often as the policy allows and then stops with FAILED,
     * processes exactly the messages up to the stopping failure, dead-letters the rest and counts
     * the restarts and failures.
     */
    @Property(tries = 25)
    default void required_spec_4_2_theRestartPolicyDecides(
            @ForAll @IntRange(min = 0, max = 2) final int policyKind,
            @ForAll @IntRange(min = 0, max = 3) final int maxRestarts,
            @ForAll @IntRange(min = 1, max = 6) final int failures) {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final RestartPolicy policy = switch (policyKind) {
            case 0 -> RestartPolicy.never();
            case 1 -> RestartPolicy.always(Backoff.NONE);
            default -> RestartPolicy.onFailure(maxRestarts, Duration.ofMinutes(10), Backoff.NONE);
        };
        final int allowed = policyKind == 0 ? 0 : policyKind == 1 ? Integer.MAX_VALUE : maxRestarts;
        final boolean stops = failures > allowed;
        final int expectedRestarts = Math.min(failures, allowed);
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class, SpawnOptions.defaults().withRestartPolicy(policy));
        probe.behave((m, ctx) -> {
            if (m < 0) {
                throw new IllegalStateException("planned failure " + m + " (rule 4.2 check)");
            }
        });
        final CompletionStage<TerminationCause> terminated = rt.whenTerminated(probe.id());
        final List<Integer> accepted = new ArrayList<>();
        final List<Integer> expectedProcessed = new ArrayList<>();
        boolean stopped = false;
        for (int i = 0; i < failures; i++) {
            for (final int m : new int[] {i, -1 - i}) {
                try {
                    probe.ref().tell(m);
                    accepted.add(m);
                } catch (AgentNotFoundException afterPolicyStop) {
                    assertTrue(stops, "rule 4.2: the agent stopped although its policy allows every restart");
                }
                if (!stopped) {
                    expectedProcessed.add(m);
                }
                if (m < 0 && i >= allowed) {
                    stopped = true;
                }
            }
        }
        try {
            probe.ref().tell(1000);
            accepted.add(1000);
        } catch (AgentNotFoundException afterPolicyStop) {
            assertTrue(stops, "rule 4.2: the agent stopped although its policy allows every restart");
        }
        if (!stopped) {
            expectedProcessed.add(1000);
        }
        if (stops) {
            assertEquals(TerminationCause.FAILED, kit.await("rule 4.2: the policy to give up", terminated),
                    "rule 4.2: an agent stopped by its policy terminates with cause FAILED");
        } else {
            probe.awaitCount(expectedProcessed.size());
            assertTrue(rt.state(probe.id()).isPresent(), "rule 4.2: the agent stopped although the policy restarts it");
            rt.stop(probe.id());
            assertEquals(TerminationCause.STOPPED, kit.await("the probe to stop", terminated));
        }
        assertEquals(expectedProcessed, probe.messages(), "rule 4.2/4.3: processed messages for policy " + policy);
        assertEquals(expectedRestarts + 1, probe.instances(), "rule 4.2: instances made for policy " + policy);
        final RuntimeCounters c = rt.counters();
        assertEquals(expectedRestarts, c.restarts(), "rule 4.2: restarts counted for policy " + policy);
        assertEquals(Math.min(failures, expectedRestarts + 1), c.failures(), "rule 4.5: failures counted");
        assertEquals(accepted.size() - expectedProcessed.size(), c.deadLetters(), "rule 4.3: the rest must be dead-lettered");
    }

    /**
     * Rule 4.2: onFailure(1, window) restarts again once the previous restart has left the sliding
     * window (waited for as a lower bound on the clock).
     */
    @Example
    default void required_spec_4_2_theOnFailureWindowSlides() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Duration window = Duration.ofMillis(100);
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class,
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.onFailure(1, window, Backoff.NONE)));
        probe.behave((m, ctx) -> {
            if (m < 0) {
                throw new IllegalStateException("planned failure (rule 4.2 check)");
            }
        });
        probe.ref().tell(-1);
        kit.await("the first restart", () -> probe.starts() == 2);
        final long restartedBy = System.nanoTime();
        kit.await("the window to pass", () -> System.nanoTime() - restartedBy > window.toNanos() * 3 / 2);
        probe.ref().tell(-2);
        kit.await("rule 4.2: a restart once the previous one left the window", () -> probe.starts() == 3);
        assertTrue(rt.state(probe.id()).isPresent(), "rule 4.2: the sliding window did not slide");
    }

    @Example
    default void required_spec_4_2_aStopRequestIsNeverUndoneByARestart() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class,
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        probe.behave((m, ctx) -> {
            if (m == 0) {
                entered.countDown();
                kit.awaitQuietly(release);
                throw new IllegalStateException("planned failure after the stop request (rule 4.2 check)");
            }
        });
        final var terminated = rt.whenTerminated(probe.id());
        probe.ref().tell(0);
        kit.awaitLatch("the handler to block", entered);
        rt.stop(probe.id());
        release.countDown();
        kit.await("rule 4.2: the stopped agent to terminate despite its restart policy", terminated);
        assertEquals(1, probe.instances(), "rule 4.2: a failure after a stop request restarted the agent");
        assertEquals(0, rt.counters().restarts(), "rule 4.2: a restart was counted after a stop request");
    }

    // ------------------------------------------------------------------------------------ 4.3

    /**
     * Rule 4.3: messages queue up behind a blocked handler; generated ones fail (policy always).
     * Each message is processed exactly once and in order, and a message behind a failing one is
     * processed by the next instance.
     */
    @Property(tries = 20)
    default void required_spec_4_3_theFailingMessageIsNotRetriedAndTheRestIsKept(
            @ForAll @IntRange(min = 0, max = 40) final int behind,
            @ForAll @IntRange(min = 1, max = 5) final int failEvery) {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ConcurrentLinkedQueue<int[]> log = new ConcurrentLinkedQueue<>(); // {instance, message}
        final AtomicInteger instances = new AtomicInteger();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> {
            final int number = instances.getAndIncrement();
            return new Agent<Integer>() {
                @Override
                public void onMessage(final Integer m, final AgentContext<Integer> context) {
                    log.add(new int[] {number, m});
                    if (m == 0) {
                        entered.countDown();
                        kit.awaitQuietly(release);
                    }
                    if (m % failEvery == 0) {
                        throw new IllegalStateException("planned failure on " + m + " (rule 4.3 check)");
                    }
                }
            };
        }, SpawnOptions.defaults().withMailboxCapacity(64).withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        ref.tell(0);
        kit.awaitLatch("the handler to block", entered);
        for (int i = 1; i <= behind; i++) {
            ref.tell(i);
        }
        release.countDown();
        kit.await((behind + 1) + " messages processed", () -> log.size() >= behind + 1);
        final List<int[]> seen = List.copyOf(log);
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, seen.get(i)[1], "rule 4.3: message " + i + " was retried, lost or reordered");
            if (i > 0) {
                final int expectedInstance = seen.get(i - 1)[0] + ((i - 1) % failEvery == 0 ? 1 : 0);
                assertEquals(expectedInstance, seen.get(i)[0],
                        "rule 4.3: message " + i + " must be processed by " + (expectedInstance == seen.get(i - 1)[0]
                                ? "the same instance" : "the instance made after the failure"));
            }
        }
        assertEquals(behind + 1, seen.size());
        assertEquals(0, rt.counters().deadLetters(), "rule 4.3: a restart must keep the mailbox");
    }

    /** Rule 4.3: on a policy stop, the messages behind the failing one are dead-lettered; the failing one is not. */
    @Example
    default void required_spec_4_3_onAPolicyStopTheRestIsDeadLettered() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class,
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.onFailure(0, Duration.ofMinutes(10), Backoff.NONE)));
        probe.behave((m, ctx) -> {
            if (m == 0) {
                entered.countDown();
                kit.awaitQuietly(release);
                throw new IllegalStateException("planned failure (rule 4.3 check)");
            }
        });
        final var terminated = rt.whenTerminated(probe.id());
        probe.ref().tell(0);
        kit.awaitLatch("the handler to block", entered);
        for (int i = 1; i <= 4; i++) {
            probe.ref().tell(i);
        }
        release.countDown();
        assertEquals(TerminationCause.FAILED, kit.await("the probe to fail", terminated));
        assertEquals(List.of(0), probe.messages(), "rule 4.3: nothing is processed after the stopping failure");
        assertEquals(4, rt.counters().deadLetters(), "rule 4.3: the 4 messages behind are dead letters, the failing one is not");
        assertEquals(1, probe.instances(), "rule 4.2: onFailure(0, ...) never restarts");
    }

    // ------------------------------------------------------------------------------------ 4.4

    /**
     * Rule 4.4: each restart waits at least {@code Backoff.delayNanos(n)}, n counting consecutive
     * restarts: a message failure, then a start failure of the next instance (n = 0, then 1).
     */
    @Example
    default void required_spec_4_4_restartsWaitForTheBackoff() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Backoff backoff = new Backoff(Duration.ofMillis(30), Duration.ofSeconds(1), 2.0);
        final AtomicLong failedAt = new AtomicLong();
        final List<long[]> gaps = java.util.Collections.synchronizedList(new ArrayList<>()); // {n, waited}
        final AtomicInteger instances = new AtomicInteger();
        final CountDownLatch running = new CountDownLatch(1);
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> {
            final int number = instances.getAndIncrement();
            if (number > 0) {
                gaps.add(new long[] {number - 1, System.nanoTime() - failedAt.get()});
            }
            return new Agent<Integer>() {
                @Override
                public void onStart(final AgentContext<Integer> context) {
                    if (number == 1) {
                        failedAt.set(System.nanoTime());
                        throw new IllegalStateException("planned start failure (rule 4.4 check)");
                    }
                    if (number == 2) {
                        running.countDown();
                    }
                }

                @Override
                public void onMessage(final Integer message, final AgentContext<Integer> context) {
                    if (message < 0) {
                        failedAt.set(System.nanoTime());
                        throw new IllegalStateException("planned failure (rule 4.4 check)");
                    }
                }
            };
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(backoff)));
        ref.tell(-1);
        kit.awaitLatch("the third instance to start", running);
        assertEquals(2, gaps.size());
        for (final long[] gap : gaps) {
            final long delay = backoff.delayNanos((int) gap[0]);
            assertTrue(gap[1] >= delay, "rule 4.4: restart " + gap[0] + " came after " + gap[1] / 1000 + " us, before its backoff of "
                    + delay / 1000 + " us");
        }
    }

    /**
     * Rule 4.4: while a (long) backoff runs, the agent is STARTING, messages are accepted and wait,
     * no instance is made; a stop request ends the wait at once.
     */
    @Example
    default void required_spec_4_4_whileBackingOffTheAgentIsStartingAndAStopEndsTheWait() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Duration hour = Duration.ofHours(1);
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class,
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(new Backoff(hour, hour, 1.0))));
        probe.behave((m, ctx) -> {
            if (m < 0) {
                throw new IllegalStateException("planned failure (rule 4.4 check)");
            }
        });
        final var terminated = rt.whenTerminated(probe.id());
        probe.ref().tell(-1);
        kit.await("the failure", () -> probe.stops() == 1);
        kit.await(probe.id() + " to be STARTING while it backs off", () -> rt.state(probe.id()).equals(Optional.of(AgentState.STARTING)));
        for (int i = 1; i <= 3; i++) {
            probe.ref().tell(i);
        }
        assertEquals(3, rt.mailboxDepth(probe.id()), "rule 4.4: messages sent during the backoff must wait in the mailbox");
        kit.expectNothing("rule 4.4: a restart or a message before the backoff of an hour passed",
                () -> probe.instances() > 1 || probe.count() > 1 || !rt.state(probe.id()).equals(Optional.of(AgentState.STARTING)));
        rt.stop(probe.id());
        assertEquals(TerminationCause.STOPPED, kit.await("rule 4.4: a stop request to end the backoff", terminated));
        final RuntimeCounters c = rt.counters();
        assertEquals(c.accepted(), c.processed() + c.deadLetters(), "rule 2.4: messages accepted during the backoff were lost: " + c);
    }

    // ------------------------------------------------------------------------------------ 4.5

    /**
     * Rule 4.5: a message failure (restart), a start failure (restart), a message failure the policy
     * no longer restarts (stop) and a failing onStop (ignored) are each counted.
     */
    @Example
    default void required_spec_4_5_everyFailureIsCounted() {
        final Kit kit = kit();
        final FailureScenario scenario = FailureScenario.run(kit);
        kit.await("the four failures to be counted", () -> kit.runtime().counters().failures() >= 4);
        assertEquals(4, kit.runtime().counters().failures(), "rule 4.5: every failure must be counted once");
        assertEquals(2, kit.runtime().counters().restarts(), "rule 4.2: two restarts under onFailure(2, ...)");
        assertEquals(Optional.empty(), kit.runtime().state(scenario.id));
    }

    /** Rule 4.5: the same failures are each published once with agent, phase, message type, cause and decision. */
    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_4_5_everyFailureIsPublished() {
        final Kit kit = kit();
        final Recorder<AgentFailure> failures = kit.recorder(kit.runtime(), AgentFailure.class,
                SpawnOptions.defaults().withMailboxCapacity(64));
        kit.runtime().subscribe(SystemTopics.FAILURES, failures.ref());
        final FailureScenario scenario = FailureScenario.run(kit);
        failures.awaitCount(4);
        final Map<Throwable, AgentFailure> byCause = new HashMap<>();
        for (final AgentFailure f : failures.messages()) {
            assertEquals(scenario.id, f.agent(), "rule 4.5: a failure names the wrong agent");
            assertNull(byCause.put(f.cause(), f), "rule 4.5: a failure was published twice: " + f);
        }
        final Object[][] expected = {
            {scenario.causes.get(0), AgentFailure.Phase.MESSAGE, Integer.class, AgentFailure.Decision.RESTART},
            {scenario.causes.get(1), AgentFailure.Phase.START, null, AgentFailure.Decision.RESTART},
            {scenario.causes.get(2), AgentFailure.Phase.MESSAGE, Integer.class, AgentFailure.Decision.STOP},
            {scenario.causes.get(3), AgentFailure.Phase.STOP, null, AgentFailure.Decision.IGNORE},
        };
        for (final Object[] e : expected) {
            final AgentFailure f = byCause.get((Throwable) e[0]);
            assertTrue(f != null, "rule 4.5: the failure " + e[0] + " was not published (the cause must be the thrown object)");
            assertEquals(e[1], f.phase(), "rule 4.5: phase of " + e[0]);
            assertEquals(e[2], f.messageType(), "rule 4.5: message type of " + e[0]);
            assertEquals(e[3], f.decision(), "rule 4.5: decision for " + e[0]);
        }
    }

    @Example
    @RequiresCapability({Capability.PUBSUB, Capability.DEATH_WATCH})
    default void required_spec_4_5_aSignalFailureIsPublished() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<AgentFailure> failures = kit.recorder(rt, AgentFailure.class, SpawnOptions.defaults().withMailboxCapacity(64));
        rt.subscribe(SystemTopics.FAILURES, failures.ref());
        final Recorder<Integer> target = kit.recorder(Integer.class);
        final RuntimeException boom = new IllegalStateException("planned signal failure (rule 4.5 check)");
        final AtomicInteger starts = new AtomicInteger();
        final CountDownLatch watching = new CountDownLatch(1);
        final AgentRef<Integer> watcher = rt.spawn(Integer.class, () -> new Agent<Integer>() {
            @Override
            public void onStart(final AgentContext<Integer> context) {
                starts.incrementAndGet();
            }

            @Override
            public void onMessage(final Integer message, final AgentContext<Integer> context) {
                context.watch(target.id());
                watching.countDown();
            }

            @Override
            public void onSignal(final Signal signal, final AgentContext<Integer> context) {
                throw boom;
            }
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        watcher.tell(0);
        kit.awaitLatch("the watch to be in place", watching);
        final var targetEnd = rt.whenTerminated(target.id());
        rt.stop(target.id());
        kit.await("the target to terminate", targetEnd);
        failures.awaitCount(1);
        final AgentFailure f = failures.messages().get(0);
        assertEquals(watcher.id(), f.agent());
        assertEquals(AgentFailure.Phase.SIGNAL, f.phase(), "rule 4.5: phase of a failure in onSignal");
        assertSame(boom, f.cause(), "rule 4.5: the cause must be the thrown object");
        assertEquals(AgentFailure.Decision.RESTART, f.decision());
        kit.await("the restart after the signal failure", () -> starts.get() == 2);
    }

    // ------------------------------------------------------------------------------------ 4.6

    /**
     * Rule 4.6: generated start failures (in the factory or in onStart) follow the generated policy
     * exactly like message failures: restart until an instance starts (then the messages sent
     * meanwhile are processed in order), or stop with FAILED (then they are dead letters).
     */
    @Property(tries = 20)
    default void required_spec_4_6_startFailuresFollowThePolicy(
            @ForAll @IntRange(min = 1, max = 4) final int startFailures,
            @ForAll @IntRange(min = 0, max = 2) final int policyKind,
            @ForAll final boolean inFactory,
            @ForAll @IntRange(min = 0, max = 20) final int messages) {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final RestartPolicy policy = switch (policyKind) {
            case 0 -> RestartPolicy.never();
            case 1 -> RestartPolicy.always(Backoff.NONE);
            default -> RestartPolicy.onFailure(startFailures - 1, Duration.ofMinutes(10), Backoff.NONE);
        };
        final CountDownLatch watched = new CountDownLatch(1);
        final AtomicInteger factoryCalls = new AtomicInteger();
        final ConcurrentLinkedQueue<Integer> processed = new ConcurrentLinkedQueue<>();
        final CountDownLatch startedOk = new CountDownLatch(1);
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> {
            final int number = factoryCalls.getAndIncrement();
            kit.awaitQuietly(watched);
            if (number < startFailures && inFactory) {
                throw new IllegalStateException("planned factory failure (rule 4.6 check)");
            }
            return new Agent<Integer>() {
                @Override
                public void onStart(final AgentContext<Integer> context) {
                    if (number < startFailures) {
                        throw new IllegalStateException("planned start failure (rule 4.6 check)");
                    }
                    startedOk.countDown();
                }

                @Override
                public void onMessage(final Integer message, final AgentContext<Integer> context) {
                    processed.add(message);
                }
            };
        }, SpawnOptions.defaults().withMailboxCapacity(32).withRestartPolicy(policy));
        final CompletionStage<TerminationCause> terminated = rt.whenTerminated(ref.id());
        for (int i = 0; i < messages; i++) {
            ref.tell(i); // before the first start completes or fails: accepted
        }
        watched.countDown();
        if (policyKind == 1) {
            kit.awaitLatch("an instance to start after " + startFailures + " start failures", startedOk);
            kit.await(messages + " messages processed after the restarts", () -> processed.size() >= messages);
            assertEquals(startFailures + 1, factoryCalls.get(), "rule 4.6: one instance per start attempt");
            assertEquals(startFailures, rt.counters().restarts(), "rule 4.6: each start failure restarts under policy always");
            final List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                expected.add(i);
            }
            assertEquals(expected, List.copyOf(processed), "rule 4.6: messages sent during the failing starts");
        } else {
            assertEquals(TerminationCause.FAILED, kit.await("rule 4.6: the policy to give up on the start failures", terminated));
            final int attempts = policyKind == 0 ? 1 : startFailures;
            assertEquals(attempts, factoryCalls.get(), "rule 4.6: start attempts for policy " + policy);
            assertEquals(attempts - 1, rt.counters().restarts(), "rule 4.6: restarts for policy " + policy);
            assertTrue(processed.isEmpty(), "rule 4.6: no instance started, yet messages were processed");
            assertEquals(messages, rt.counters().deadLetters(), "rule 3.7: the waiting messages must be dead letters");
        }
        assertEquals(policyKind == 1 ? startFailures : policyKind == 0 ? 1 : startFailures, rt.counters().failures(),
                "rule 4.5: start failures counted");
    }

    // ------------------------------------------------------------------------------------ 4.7

    /**
     * Rule 4.7 with generated watch graphs: watchers watch (some twice) and unwatch generated
     * targets, which then stop or fail. Each watcher receives exactly one Terminated, with the
     * right cause, per target it still watched, and none for the others.
     */
    @Property(tries = 15)
    @RequiresCapability(Capability.DEATH_WATCH)
    default void required_spec_4_7_eachWatchYieldsExactlyOneTerminated(
            @ForAll @IntRange(min = 1, max = 3) final int watcherCount,
            @ForAll @IntRange(min = 1, max = 3) final int targetCount,
            @ForAll @IntRange(min = 0, max = 511) final int watchMask,
            @ForAll @IntRange(min = 0, max = 511) final int unwatchMask,
            @ForAll final boolean watchTwice) {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final List<Recorder<Integer>> targets = new ArrayList<>();
        for (int t = 0; t < targetCount; t++) {
            targets.add(kit.recorder(Integer.class).behave((m, ctx) -> {
                throw new IllegalStateException("planned failure (rule 4.7 check)");
            }));
        }
        final List<Recorder<Integer>> watchers = new ArrayList<>();
        final List<Map<AgentId, TerminationCause>> expected = new ArrayList<>();
        for (int w = 0; w < watcherCount; w++) {
            final Recorder<Integer> watcher = kit.recorder(Integer.class).behave((m, ctx) -> {
                if (m < 0) {
                    return; // the sentinel: every command before it has returned
                }
                final AgentId target = targets.get(m % 100).id();
                if (m / 100 == 1) {
                    ctx.watch(target);
                } else {
                    ctx.unwatch(target);
                }
            });
            watchers.add(watcher);
            final Map<AgentId, TerminationCause> mine = new HashMap<>();
            int commands = 0;
            for (int t = 0; t < targetCount; t++) {
                final int bit = 1 << (w * 3 + t);
                if ((watchMask & bit) != 0) {
                    watcher.ref().tell(100 + t);
                    commands++;
                    if (watchTwice) {
                        watcher.ref().tell(100 + t);
                        commands++;
                    }
                    mine.put(targets.get(t).id(), t % 2 == 0 ? TerminationCause.STOPPED : TerminationCause.FAILED);
                }
                if ((unwatchMask & bit) != 0) {
                    watcher.ref().tell(200 + t);
                    commands++;
                    mine.remove(targets.get(t).id());
                }
            }
            watcher.ref().tell(-1);
            watcher.awaitCount(commands + 1); // the sentinel is recorded only after every watch and unwatch returned
            expected.add(mine);
        }
        for (int t = 0; t < targetCount; t++) {
            final Recorder<Integer> target = targets.get(t);
            final var end = rt.whenTerminated(target.id());
            if (t % 2 == 0) {
                rt.stop(target.id());
            } else {
                target.ref().tell(-1);
            }
            kit.await("target " + target.id() + " to terminate", end);
        }
        for (int w = 0; w < watcherCount; w++) {
            final Recorder<Integer> watcher = watchers.get(w);
            final Map<AgentId, TerminationCause> mine = expected.get(w);
            kit.await(watcher.id() + " to get " + mine.size() + " Terminated signals", () -> watcher.signals().size() >= mine.size());
            final Map<AgentId, TerminationCause> got = new HashMap<>();
            for (final Signal signal : watcher.signals()) {
                final Signal.Terminated terminated = (Signal.Terminated) signal;
                assertNull(got.put(terminated.agent(), terminated.cause()),
                        "rule 4.7: " + watcher.id() + " got two signals for " + terminated.agent());
            }
            assertEquals(mine, got, "rule 4.7: signals of " + watcher.id() + " (watched twice: " + watchTwice + ")");
        }
    }

    @Example
    @RequiresCapability(Capability.DEATH_WATCH)
    default void required_spec_4_7_aDoubleWatchSignalsOnceAndAnUnwatchSilences() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> watchedTwice = kit.recorder(Integer.class);
        final Recorder<Integer> unwatched = kit.recorder(Integer.class);
        final Recorder<Integer> watcher = kit.recorder(Integer.class).behave((m, ctx) -> {
            switch (m) {
                case 1 -> ctx.watch(watchedTwice.id());
                case 2 -> ctx.watch(unwatched.id());
                case 3 -> ctx.unwatch(unwatched.id());
                default -> { }
            }
        });
        watcher.ref().tell(1);
        watcher.ref().tell(1);
        watcher.ref().tell(2);
        watcher.ref().tell(3);
        watcher.ref().tell(4); // a sentinel: recorded only after the unwatch returned
        watcher.awaitCount(5);
        final var end1 = rt.whenTerminated(watchedTwice.id());
        final var end2 = rt.whenTerminated(unwatched.id());
        rt.stop(unwatched.id());
        rt.stop(watchedTwice.id());
        kit.await("the targets to terminate", end1);
        kit.await("the targets to terminate", end2);
        kit.await("the signal", () -> !watcher.signals().isEmpty());
        kit.expectNothing("rule 4.7: a second signal, or one after unwatch", () -> watcher.signals().size() > 1);
        assertEquals(List.of(new Signal.Terminated(watchedTwice.id(), TerminationCause.STOPPED)), watcher.signals());
    }

    /**
     * Rule 4.7: a watch of an agent that is already gone makes its Terminated signal pending at
     * once; the watcher unwatches in the same callback. After unwatch returned, that pending
     * signal must not be delivered. (A gone target keeps the check independent of rule 1.6.)
     */
    @Example
    @RequiresCapability(Capability.DEATH_WATCH)
    default void required_spec_4_7_aPendingSignalIsNotDeliveredAfterUnwatch() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> target = kit.recorder(Integer.class);
        final var end = rt.whenTerminated(target.id());
        rt.stop(target.id());
        kit.await("the target to terminate", end);
        final AgentId unknown = new AgentId(target.id().value() + 1_000_000L);
        final Recorder<Integer> watcher = kit.recorder(Integer.class).behave((m, ctx) -> {
            if (m == 1) {
                ctx.watch(target.id());
                ctx.watch(unknown);
                ctx.unwatch(target.id());
                ctx.unwatch(unknown);
            }
        });
        watcher.ref().tell(1);
        watcher.ref().tell(2);
        watcher.awaitCount(2);
        kit.expectNothing("rule 4.7: a signal delivered after unwatch returned", () -> !watcher.signals().isEmpty());
    }

    @Example
    @RequiresCapability(Capability.DEATH_WATCH)
    default void required_spec_4_7_watchingAnAgentThatIsNotAliveSignalsAtOnce() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> gone = kit.recorder(Integer.class);
        final var end = rt.whenTerminated(gone.id());
        rt.stop(gone.id());
        kit.await("the target to terminate", end);
        final AgentId unknown = new AgentId(gone.id().value() + 1_000_000L);
        final Recorder<AgentId> watcher = kit.recorder(AgentId.class).behave((m, ctx) -> ctx.watch(m));
        watcher.ref().tell(gone.id());
        watcher.ref().tell(unknown);
        kit.await("rule 4.7: signals for watches of agents that are not alive", () -> watcher.signals().size() >= 2);
        assertEquals(List.of(new Signal.Terminated(gone.id(), TerminationCause.UNKNOWN), new Signal.Terminated(unknown, TerminationCause.UNKNOWN)),
                watcher.signals(), "rule 4.7: watching a terminated or unknown agent signals at once (cause UNKNOWN)");
    }

    /** Rule 4.7: a terminated watcher's watches end with it: the target's end is no event for anybody. */
    @Example
    @RequiresCapability(Capability.DEATH_WATCH)
    default void required_spec_4_7_aWatchersWatchesEndWithIt() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> target = kit.recorder(Integer.class);
        final Recorder<Integer> watcher = kit.recorder(Integer.class).behave((m, ctx) -> ctx.watch(target.id()));
        watcher.ref().tell(0);
        watcher.awaitCount(1);
        final var watcherEnd = rt.whenTerminated(watcher.id());
        rt.stop(watcher.id());
        kit.await("the watcher to terminate", watcherEnd);
        final RuntimeCounters before = rt.counters();
        final var targetEnd = rt.whenTerminated(target.id());
        rt.stop(target.id());
        assertEquals(TerminationCause.STOPPED, kit.await("the target to terminate", targetEnd));
        final RuntimeCounters after = rt.counters();
        assertEquals(before.deadLetters(), after.deadLetters(), "rule 4.7: the end of a watch of a terminated watcher produced a dead letter");
        assertEquals(before.failures(), after.failures(), "rule 4.7: the end of a watch of a terminated watcher produced a failure");
        assertTrue(watcher.signals().isEmpty(), "rule 4.7: a terminated watcher got a signal");
    }

    // ------------------------------------------------------------------------------------ 4.8

    /**
     * Rule 4.8: after a restart the id and ref still work, the messages queued behind the failure
     * are processed, and the new instance is fresh (its field starts from zero, restartCount is 1).
     */
    @Example
    default void required_spec_4_8_aRestartKeepsIdAndMailboxAndUsesAFreshInstance() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ConcurrentLinkedQueue<int[]> reports = new ConcurrentLinkedQueue<>();
        final AtomicInteger instances = new AtomicInteger();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> {
            instances.incrementAndGet();
            return new Agent<Integer>() {
                private int total; // must start from 0 in every instance

                @Override
                public void onMessage(final Integer m, final AgentContext<Integer> context) {
                    if (m == 0) {
                        entered.countDown();
                        kit.awaitQuietly(release);
                    } else if (m == -1) {
                        throw new IllegalStateException("planned failure (rule 4.8 check)");
                    } else if (m == -2) {
                        reports.add(new int[] {total, context.restartCount()});
                    } else {
                        total += m;
                    }
                }
            };
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        ref.tell(0);
        kit.awaitLatch("the handler to block", entered);
        ref.tell(5);
        ref.tell(-1);
        ref.tell(7);
        ref.tell(-2);
        release.countDown();
        kit.await("the report of the new instance", () -> reports.size() == 1);
        ref.tell(3);
        ref.tell(-2);
        kit.await("a second report through the same ref", () -> reports.size() == 2);
        final List<int[]> seen = List.copyOf(reports);
        assertEquals(7, seen.get(0)[0], "rule 4.8/1.3: the restarted instance must start from a clean state (or the mailbox lost a message)");
        assertEquals(1, seen.get(0)[1], "restartCount of the first restarted instance");
        assertEquals(10, seen.get(1)[0], "rule 4.8: the ref must reach the restarted agent");
        assertEquals(2, instances.get(), "rule 4.8: one fresh instance per restart");
        assertTrue(rt.ref(ref.id(), Integer.class).isPresent(), "rule 4.8: the id must survive the restart");
    }

    @Example
    @RequiresCapability(Capability.NAMED_AGENTS)
    default void required_spec_4_8_aRestartKeepsTheName() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final String name = "kit-rule-4-8-" + UUID.randomUUID();
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class,
                SpawnOptions.defaults().withName(name).withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        probe.behave((m, ctx) -> {
            throw new IllegalStateException("planned failure (rule 4.8 check)");
        });
        probe.ref().tell(1);
        kit.await("the restart", () -> probe.starts() == 2);
        assertEquals(Optional.of(probe.id()), rt.lookup(name), "rule 4.8: the name must survive a restart");
        assertThrows(DuplicateAgentNameException.class, () -> rt.spawn(Integer.class, () -> (m, c) -> { },
                SpawnOptions.defaults().withName(name)), "rule 4.8/8.2: the restarted agent must still own its name");
    }

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_4_8_aRestartKeepsSubscriptions() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Topic<Integer> fromOutside = Topic.of("kit.rule-4-8.outside", Integer.class);
        final Topic<Integer> fromInside = Topic.of("kit.rule-4-8.inside", Integer.class);
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class,
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        probe.behave((m, ctx) -> {
            if (m == 1) {
                ctx.subscribe(fromInside);
            } else if (m == -1) {
                throw new IllegalStateException("planned failure (rule 4.8 check)");
            }
        });
        rt.subscribe(fromOutside, probe.ref());
        probe.ref().tell(1);
        probe.ref().tell(-1);
        kit.await("the restart", () -> probe.starts() == 2);
        assertEquals(1, rt.publish(fromOutside, 10), "rule 4.8: a subscription made by spawn's caller was lost in the restart");
        assertEquals(1, rt.publish(fromInside, 20), "rule 4.8: a subscription made by the agent was lost in the restart");
        probe.awaitCount(4);
        assertEquals(List.of(1, -1, 10, 20), probe.messages());
        assertEquals(1, rt.subscriberCount(fromOutside));
    }

    @Example
    @RequiresCapability(Capability.DEATH_WATCH)
    default void required_spec_4_8_aRestartKeepsWatches() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> target = kit.recorder(Integer.class);
        final Recorder<Integer> watcher = kit.recorder(rt, Integer.class,
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        watcher.behave((m, ctx) -> {
            if (m == 1) {
                ctx.watch(target.id());
            } else {
                throw new IllegalStateException("planned failure (rule 4.8 check)");
            }
        });
        watcher.ref().tell(1);
        watcher.ref().tell(-1);
        kit.await("the restart", () -> watcher.starts() == 2);
        rt.stop(target.id());
        kit.await("rule 4.8: the restarted watcher to get the signal of its watch", () -> watcher.signals().size() == 1);
        assertEquals(new Signal.Terminated(target.id(), TerminationCause.STOPPED), watcher.signals().get(0));
    }

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_4_8_aRestartCancelsTimers() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CompletableFuture<List<Boolean>> active = new CompletableFuture<>();
        final Recorder<String> probe = kit.recorder(rt, String.class,
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        final Duration soon = kit.shortDelay();
        probe.behave((m, ctx) -> {
            switch (m) {
                case "arm" -> {
                    ctx.timers().startSingle("once", "tick", soon);
                    ctx.timers().startFixedRate("rate", "rate", soon, soon);
                    throw new IllegalStateException("planned failure with armed timers (rule 4.8 check)");
                }
                case "look" -> active.complete(List.of(ctx.timers().isActive("once"), ctx.timers().isActive("rate")));
                default -> { }
            }
        });
        probe.ref().tell("arm");
        kit.await("the restart", () -> probe.starts() == 2);
        probe.ref().tell("look");
        assertEquals(List.of(false, false), kit.await("the new instance's view of the timers", active),
                "rule 4.8/7.4: timers must not survive a restart");
        kit.expectNothing("rule 4.8/7.4: a timer of the failed instance fired into the restarted one",
                () -> probe.messages().contains("tick") || probe.messages().contains("rate"));
    }

    /**
     * Rule 4.8 under a restart storm: senders keep sending while generated messages fail (policy
     * always). The id stays, every message is processed exactly once in each sender's order,
     * each failure makes exactly one fresh instance, callbacks never overlap, and onStop runs once
     * per replaced instance.
     */
    @Property(tries = 15)
    default void required_spec_4_8_identityOrderAndInstancesSurviveARestartStorm(
            @ForAll @IntRange(min = 1, max = 3) final int senders,
            @ForAll @IntRange(min = 1, max = 120) final int perSender,
            @ForAll @IntRange(min = 1, max = 12) final int failEvery,
            @ForAll @IntRange(min = 4, max = 64) final int capacity) throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class,
                SpawnOptions.defaults().withMailboxCapacity(capacity).withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        probe.behave((m, ctx) -> {
            if (m % 100_000 % failEvery == failEvery - 1) {
                throw new IllegalStateException("planned failure on " + m + " (rule 4.8 check)");
            }
        });
        final AgentId id = probe.id();
        final List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            final int sender = s;
            futures.add(kit.fork(() -> {
                for (int i = 0; i < perSender; i++) {
                    assertTrue(kit.tellPatiently(probe.ref(), sender * 100_000 + i), "rule 4.8: the agent vanished during restarts");
                }
            }));
        }
        for (final Future<?> f : futures) {
            kit.join("a sender to send during the restarts", f, 2);
        }
        final int failures = senders * (perSender / failEvery);
        probe.awaitCount(senders * perSender);
        kit.await((failures + 1) + " instances to start", () -> probe.starts() >= failures + 1);
        final int[] next = new int[senders];
        for (final int m : probe.messages()) {
            assertEquals(next[m / 100_000]++, m % 100_000, "rule 4.8/2.3: order of sender " + m / 100_000 + " broken by a restart");
        }
        assertEquals(failures + 1, probe.instances(), "rule 4.8: one fresh instance per restart");
        assertEquals(failures, rt.counters().restarts(), "rule 4.2: restarts counted");
        assertEquals(id, probe.ref().id());
        assertTrue(rt.ref(id, Integer.class).isPresent(), "rule 4.8: the id must survive the restarts");
        final var terminated = rt.whenTerminated(id);
        rt.stop(id);
        kit.await("the probe to stop", terminated);
        assertEquals(probe.starts(), probe.stops(), "rule 3.3: onStop once per started instance");
        assertFalse(probe.overlapSeen(), "rule 1.1: callbacks overlapped during the restarts");
    }

    // ------------------------------------------------------------------------------------ 4.9

    /**
     * Rule 4.9: an agent first overflows its stack (the agent's own failure: restarted), then its
     * new instance runs out of memory: that error goes to the runtime's {@code FatalErrorHandler},
     * the stack overflow does not. Both are thrown on purpose; no memory is exhausted.
     */
    @Example
    @RequiresCapability(Capability.FATAL_ERROR_HANDLER)
    default void required_spec_4_9_aFatalErrorGoesToTheFatalErrorHandlerAndAStackOverflowDoesNot() {
        final Kit kit = kit();
        final ConcurrentLinkedQueue<Throwable> fatal = new ConcurrentLinkedQueue<>();
        final AgentRuntime rt = kit.newRuntime((thread, error) -> fatal.add(error));
        final OutOfMemoryError oom = new OutOfMemoryError("kit: simulated, rule 4.9");
        final AgentRef<String> agent = rt.spawn(String.class, () -> (message, context) -> {
            if (message.equals("overflow")) {
                throw new StackOverflowError("kit: simulated, rule 4.9");
            }
            throw oom;
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        agent.tell("overflow");
        agent.tell("out of memory");
        kit.await("rule 4.9: the OutOfMemoryError thrown by a handler reaches the runtime's FatalErrorHandler",
                () -> fatal.contains(oom));
        assertTrue(fatal.stream().noneMatch(e -> e instanceof StackOverflowError),
                "rule 4.9: a StackOverflowError is the agent's own failure, not a fatal error; the handler got " + fatal);
    }

    // ------------------------------------------------------------------------------------ helpers




    @Example
    default void required_spec_4_2_aPolicyRestrictedToSomeFailuresStopsOnTheOthersWithoutCountingThem() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<AgentFailure> failures = kit.recorder(AgentFailure.class);
        rt.subscribe(SystemTopics.FAILURES, failures.ref());
        // one restart allowed in the window, for IllegalStateException only
        final RestartPolicy policy = RestartPolicy.onFailure(1, Duration.ofHours(1), Backoff.NONE)
                .restartingOnly(IllegalStateException.class);
        final AgentRef<String> agent = rt.spawn(String.class, () -> (m, ctx) -> {
            if (m.equals("transient")) {
                throw new IllegalStateException("planned transient failure");
            }
            if (m.equals("defect")) {
                throw new IllegalArgumentException("planned defect");
            }
        }, SpawnOptions.defaults().withRestartPolicy(policy));
        final CompletionStage<TerminationCause> terminated = rt.whenTerminated(agent.id());
        agent.tell("transient");
        kit.await("the transient failure", () -> failures.messages().stream().anyMatch(f -> f.agent().equals(agent.id())));
        assertEquals(AgentFailure.Decision.RESTART, failures.messages().stream().filter(f -> f.agent().equals(agent.id()))
                .findFirst().orElseThrow().decision(), "a failure of a listed type restarts");
        agent.tell("defect");
        assertEquals(TerminationCause.FAILED, kit.await("the defect to stop the agent", terminated));
        kit.await("both failures published", () -> failures.messages().stream().filter(f -> f.agent().equals(agent.id())).count() == 2);
        final List<AgentFailure> mine = failures.messages().stream().filter(f -> f.agent().equals(agent.id())).toList();
        assertEquals(2, mine.size(), String.valueOf(mine));
        assertEquals(AgentFailure.Decision.STOP, mine.get(1).decision(), "a failure of another type stops the agent");
        assertEquals(1L, rt.counters().restarts(), "only the transient failure restarted it");
    }

    @Example
    default void required_spec_4_2_restartingOnlyNamesTheTypesAndTheirSubtypes() {
        final RestartPolicy policy = RestartPolicy.always(Backoff.NONE).restartingOnly(IllegalStateException.class);
        assertTrue(policy.restartsOn(new IllegalStateException()), "a listed type");
        assertTrue(policy.restartsOn(new IllegalStateException() { }), "a subtype of a listed type");
        assertFalse(policy.restartsOn(new IllegalArgumentException()), "another type");
        assertFalse(new dev.flin.runtime.RestartWindow(RestartPolicy.never().restartingOnly(IllegalStateException.class))
                .tryRestartAt(new IllegalStateException(), 0), "restricting never still never restarts");
        assertThrows(IllegalArgumentException.class, () -> RestartPolicy.always(Backoff.NONE).restartingOnly(List.of()));
    }
}

/**
 * Four failures of one agent under onFailure(2, ...): a message failure (restart), a start failure
 * of the next instance (restart), a message failure of the third instance (the policy stops it) and
 * a failure in that instance's onStop (ignored). Used by {@link SupervisionRules} only.
 */
final class FailureScenario {
    final AgentId id;
    final List<Throwable> causes;

    private FailureScenario(final AgentId id, final List<Throwable> causes) {
        this.id = id;
        this.causes = causes;
    }

    static FailureScenario run(final Kit kit) {
        final AgentRuntime rt = kit.runtime();
        final List<Throwable> causes = List.of(
                new IllegalStateException("planned message failure, restarted (rule 4.5 check)"),
                new IllegalStateException("planned start failure, restarted (rule 4.5 check)"),
                new IllegalStateException("planned message failure, stopped (rule 4.5 check)"),
                new IllegalStateException("planned onStop failure, ignored (rule 4.5 check)"));
        final AtomicInteger instances = new AtomicInteger();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> {
            final int number = instances.getAndIncrement();
            return new Agent<Integer>() {
                @Override
                public void onStart(final AgentContext<Integer> context) {
                    if (number == 1) {
                        throw (IllegalStateException) causes.get(1);
                    }
                }

                @Override
                public void onMessage(final Integer message, final AgentContext<Integer> context) {
                    throw (IllegalStateException) causes.get(number == 0 ? 0 : 2);
                }

                @Override
                public void onStop(final AgentContext<Integer> context) {
                    if (number == 2) {
                        throw (IllegalStateException) causes.get(3);
                    }
                }
            };
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.onFailure(2, Duration.ofMinutes(10), Backoff.NONE)));
        final CompletionStage<TerminationCause> terminated = rt.whenTerminated(ref.id());
        ref.tell(1);
        ref.tell(2);
        if (!TerminationCause.FAILED.equals(kit.await("the scenario agent to be stopped by its policy", terminated))) {
            throw new AssertionError("rule 4.2: an agent stopped by its policy terminates with cause FAILED");
        }
        return new FailureScenario(ref.id(), causes);
    }
}

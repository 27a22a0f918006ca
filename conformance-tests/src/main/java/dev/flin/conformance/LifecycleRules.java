package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.Signal;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Checks of section 3 of {@code docs/spec.md}: Lifecycle. One method or more per rule, named
 * {@code required_spec_3_M_...} (MUST), {@code optional_spec_3_M_...} (SHOULD/MAY) or
 * {@code untested_spec_3_M_...} (not checkable yet: always reported as skipped).
 */
public interface LifecycleRules extends KitSupport {

    // ------------------------------------------------------------------------------------ 3.1

    /**
     * Rule 3.1 with generated action sequences (sends, failing sends, pause, resume; then a stop)
     * under a generated policy and start failures: the transitions published on LIFECYCLE form one
     * chain of legal edges from STARTING to a single final TERMINATED, every state seen by polling
     * {@code state(id)} lies on that chain in order, PAUSED appears only if a pause was requested,
     * and a restart edge only if the policy restarts.
     */
    @Property(tries = 25)
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_3_1_observedTransitionsFollowTheLegalEdges(
            @ForAll @Size(min = 1, max = 10) final List<@IntRange(min = 0, max = 3) Integer> actions,
            @ForAll @IntRange(min = 0, max = 2) final int policyKind,
            @ForAll @IntRange(min = 0, max = 2) final int startFailures) throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final boolean canPause = kit.has(Capability.PAUSE);
        final Recorder<LifecycleEvent> events = lifecycleObserver(kit);
        final RestartPolicy policy = switch (policyKind) {
            case 0 -> RestartPolicy.never();
            case 1 -> RestartPolicy.always(Backoff.NONE);
            default -> RestartPolicy.onFailure(2, Duration.ofMinutes(10), Backoff.NONE);
        };
        final AtomicInteger instances = new AtomicInteger();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> {
            final int number = instances.getAndIncrement();
            return new Agent<Integer>() {
                @Override
                public void onStart(final AgentContext<Integer> context) {
                    if (number < startFailures) {
                        throw new IllegalStateException("planned start failure (rule 3.1 check)");
                    }
                }

                @Override
                public void onMessage(final Integer message, final AgentContext<Integer> context) {
                    if (message < 0) {
                        throw new IllegalStateException("planned failure (rule 3.1 check)");
                    }
                }
            };
        }, SpawnOptions.defaults().withRestartPolicy(policy));
        final AgentId id = ref.id();
        final StatePoller poller = StatePoller.start(kit, id);
        boolean paused = false;
        for (final int action : actions) {
            try {
                switch (action) {
                    case 0 -> ref.tell(1);
                    case 1 -> ref.tell(-1);
                    case 2 -> {
                        if (canPause) {
                            rt.pause(id);
                            paused = true;
                        } else {
                            ref.tell(2);
                        }
                    }
                    default -> {
                        if (canPause) {
                            rt.resume(id);
                        } else {
                            ref.tell(3);
                        }
                    }
                }
            } catch (AgentNotFoundException | MailboxFullException refused) {
                // the agent may have stopped after a failure
            }
        }
        final CompletionStage<TerminationCause> terminated = rt.whenTerminated(id);
        try {
            rt.stop(id);
        } catch (AgentNotFoundException alreadyGone) {
            // terminated by its policy
        }
        kit.await("the agent to terminate", terminated);
        kit.await("the TERMINATED event of " + id, () -> eventsOf(events, id).stream().anyMatch(e -> e.to() == AgentState.TERMINATED));
        final List<AgentState> polled = poller.stop();
        final List<LifecycleEvent> chain = eventsOf(events, id);
        assertLegalChain(chain, id);
        final List<AgentState> path = new ArrayList<>();
        path.add(AgentState.STARTING);
        chain.forEach(e -> path.add(e.to()));
        assertOnPath(polled, path, id);
        if (!paused) {
            assertFalse(path.contains(AgentState.PAUSED), "rule 3.1: " + id + " became PAUSED without a pause: " + chain);
        }
        if (policyKind == 0) {
            assertTrue(chain.stream().noneMatch(e -> e.to() == AgentState.STARTING),
                    "rule 3.1: " + id + " restarted although its policy is never: " + chain);
        }
    }

    /**
     * Rule 3.1 by polling only: a known scenario (start, one failure with restart, stop) and every
     * state {@code state(id)} reports lies on its path in order; once gone, the agent stays gone.
     */
    @Example
    default void required_spec_3_1_polledStatesFollowTheLegalPath() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class,
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        probe.behave((m, ctx) -> {
            if (m < 0) {
                throw new IllegalStateException("planned failure (rule 3.1 check)");
            }
        });
        final StatePoller poller = StatePoller.start(kit, probe.id());
        awaitState(kit, probe.id(), AgentState.RUNNING);
        probe.ref().tell(-1);
        kit.await("the restart", () -> probe.starts() == 2);
        awaitState(kit, probe.id(), AgentState.RUNNING);
        final var terminated = rt.whenTerminated(probe.id());
        rt.stop(probe.id());
        kit.await("the probe to terminate", terminated);
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), rt.state(probe.id()), "rule 3.1/8.1: a terminated agent came back");
        }
        final List<AgentState> polled = poller.stop();
        assertOnPath(polled, List.of(AgentState.STARTING, AgentState.RUNNING, AgentState.STARTING, AgentState.RUNNING,
                AgentState.SHUTTING_DOWN, AgentState.TERMINATED), probe.id());
    }

    // ------------------------------------------------------------------------------------ 3.2

    /**
     * Rule 3.2 with generated start failures (policy always): messages sent from spawn on wait
     * while onStart runs (state STARTING, nothing processed); no instance gets a message before its
     * own onStart returned; an instance whose onStart failed gets none; order is kept.
     */
    @Property(tries = 15)
    default void required_spec_3_2_noMessageReachesAnInstanceBeforeItsOnStartReturned(
            @ForAll @IntRange(min = 0, max = 3) final int startFailures,
            @ForAll @IntRange(min = 1, max = 60) final int messages) {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CountDownLatch allSent = new CountDownLatch(1);
        final AtomicInteger violations = new AtomicInteger();
        final AtomicInteger instances = new AtomicInteger();
        final ConcurrentLinkedQueue<int[]> seen = new ConcurrentLinkedQueue<>();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> {
            final int number = instances.getAndIncrement();
            return new Agent<Integer>() {
                private boolean started; // plain: rule 1.2

                @Override
                public void onStart(final AgentContext<Integer> context) {
                    if (number < startFailures) {
                        throw new IllegalStateException("planned start failure (rule 3.2 check)");
                    }
                    kit.awaitQuietly(allSent);
                    started = true;
                }

                @Override
                public void onMessage(final Integer message, final AgentContext<Integer> context) {
                    if (!started) {
                        violations.incrementAndGet();
                    }
                    seen.add(new int[] {number, message});
                }
            };
        }, SpawnOptions.defaults().withMailboxCapacity(64).withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        try {
            for (int i = 0; i < messages; i++) {
                ref.tell(i);
            }
            assertEquals(Optional.of(AgentState.STARTING), rt.state(ref.id()), "rule 3.2: onStart has not returned, yet the agent is not STARTING");
            assertTrue(seen.isEmpty(), "rule 3.2: a message was processed while onStart was running");
        } finally {
            allSent.countDown();
        }
        kit.await(messages + " messages processed", () -> seen.size() >= messages);
        assertEquals(0, violations.get(), "rule 3.2: a message reached an instance before its onStart returned");
        int expected = 0;
        for (final int[] entry : seen) {
            assertEquals(startFailures, entry[0], "rule 3.2: a message reached an instance whose onStart failed");
            assertEquals(expected++, entry[1], "rule 3.2: the waiting messages were not processed in order");
        }
    }

    @Example
    default void required_spec_3_2_messagesWaitWhileOnStartRuns() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean startReturned = new AtomicBoolean();
        final ConcurrentLinkedQueue<Integer> seen = new ConcurrentLinkedQueue<>();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> new Agent<>() {
            @Override
            public void onStart(final AgentContext<Integer> context) {
                entered.countDown();
                kit.awaitQuietly(release);
                startReturned.set(true);
            }

            @Override
            public void onMessage(final Integer message, final AgentContext<Integer> context) {
                seen.add(startReturned.get() ? message : -message);
            }
        });
        try {
            kit.awaitLatch("onStart to run", entered);
            for (int i = 1; i <= 5; i++) {
                ref.tell(i);
            }
            kit.expectNothing("rule 3.2: a message processed while onStart runs", () -> !seen.isEmpty());
            assertEquals(Optional.of(AgentState.STARTING), rt.state(ref.id()), "rule 3.2: state while onStart runs");
        } finally {
            release.countDown();
        }
        kit.await("the waiting messages", () -> seen.size() == 5);
        assertEquals(List.of(1, 2, 3, 4, 5), List.copyOf(seen), "rule 3.2: messages sent during onStart");
    }

    /**
     * Rule 3.2 for signals: onStart watches an agent that is already gone, so its Terminated signal
     * is pending at once; it must not be delivered before onStart returned. (A gone target keeps
     * the check independent of rule 1.6: nothing else has to run while onStart blocks.)
     */
    @Example
    @RequiresCapability(Capability.DEATH_WATCH)
    default void required_spec_3_2_noSignalBeforeOnStartReturned() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> target = kit.recorder(Integer.class);
        final var terminated = rt.whenTerminated(target.id());
        rt.stop(target.id());
        kit.await("the target to terminate", terminated);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean startReturned = new AtomicBoolean();
        final ConcurrentLinkedQueue<Signal> early = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Signal> signals = new ConcurrentLinkedQueue<>();
        rt.spawn(Integer.class, () -> new Agent<Integer>() {
            @Override
            public void onStart(final AgentContext<Integer> context) {
                context.watch(target.id()); // not alive: signals at once (rule 4.7)
                entered.countDown();
                kit.awaitQuietly(release);
                startReturned.set(true);
            }

            @Override
            public void onMessage(final Integer message, final AgentContext<Integer> context) {
            }

            @Override
            public void onSignal(final Signal signal, final AgentContext<Integer> context) {
                (startReturned.get() ? signals : early).add(signal);
            }
        });
        try {
            kit.awaitLatch("onStart to watch the target", entered);
            kit.expectNothing("rule 3.2: a signal delivered while onStart runs", () -> !early.isEmpty() || !signals.isEmpty());
        } finally {
            release.countDown();
        }
        kit.await("the Terminated signal after onStart", () -> !signals.isEmpty());
        assertTrue(early.isEmpty(), "rule 3.2: a signal was delivered before onStart returned");
    }

    // ------------------------------------------------------------------------------------ 3.3

    /**
     * Rule 3.3 with generated start failures, message failures (policy restarts) and endings
     * (external stop, self stop, policy gives up): every instance whose onStart completed gets
     * exactly one onStop, after its last message; an instance whose onStart failed gets none.
     */
    @Property(tries = 25)
    default void required_spec_3_3_onStopRunsExactlyOncePerStartedInstance(
            @ForAll @IntRange(min = 0, max = 2) final int startFailures,
            @ForAll @IntRange(min = 0, max = 4) final int messageFailures,
            @ForAll @IntRange(min = 0, max = 2) final int ending) {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final RestartPolicy policy = ending == 2
                ? RestartPolicy.onFailure(startFailures + messageFailures, Duration.ofMinutes(10), Backoff.NONE)
                : RestartPolicy.always(Backoff.NONE);
        final ConcurrentLinkedQueue<int[]> log = new ConcurrentLinkedQueue<>(); // {instance, kind, message}
        final int started = 1;
        final int startFailed = 2;
        final int message = 3;
        final int stopped = 4;
        final AtomicInteger instances = new AtomicInteger();
        final CountDownLatch watched = new CountDownLatch(1);
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> {
            final int number = instances.getAndIncrement();
            return new Agent<Integer>() {
                @Override
                public void onStart(final AgentContext<Integer> context) {
                    kit.awaitQuietly(watched);
                    if (number < startFailures) {
                        log.add(new int[] {number, startFailed, 0});
                        throw new IllegalStateException("planned start failure (rule 3.3 check)");
                    }
                    log.add(new int[] {number, started, 0});
                }

                @Override
                public void onMessage(final Integer m, final AgentContext<Integer> context) {
                    log.add(new int[] {number, message, m});
                    if (m == -1) {
                        throw new IllegalStateException("planned failure (rule 3.3 check)");
                    }
                    if (m == -2) {
                        context.stop();
                    }
                }

                @Override
                public void onStop(final AgentContext<Integer> context) {
                    log.add(new int[] {number, stopped, 0});
                }
            };
        }, SpawnOptions.defaults().withRestartPolicy(policy));
        final CompletionStage<TerminationCause> terminated = rt.whenTerminated(ref.id());
        watched.countDown();
        int sent = 0;
        for (int k = 0; k < messageFailures; k++) {
            ref.tell(k);
            ref.tell(-1);
            sent += 2;
        }
        ref.tell(999);
        sent++;
        if (ending == 1) {
            ref.tell(-2);
            sent++;
        } else if (ending == 2) {
            ref.tell(-1);
            sent++;
        }
        final int total = sent;
        kit.await(total + " messages handled", () -> log.stream().filter(e -> e[1] == message).count() >= total);
        if (ending == 0) {
            rt.stop(ref.id());
        }
        assertEquals(ending == 2 ? TerminationCause.FAILED : TerminationCause.STOPPED, kit.await("the agent to terminate", terminated));
        final Map<Integer, List<int[]>> byInstance = new HashMap<>();
        for (final int[] entry : log) {
            byInstance.computeIfAbsent(entry[0], k -> new ArrayList<>()).add(entry);
        }
        int startedInstances = 0;
        for (final Map.Entry<Integer, List<int[]>> instance : byInstance.entrySet()) {
            final List<int[]> entries = instance.getValue();
            if (entries.get(0)[1] == startFailed) {
                assertEquals(1, entries.size(), "rule 3.3: instance " + instance.getKey() + " whose onStart failed got more callbacks");
                continue;
            }
            startedInstances++;
            assertEquals(started, entries.get(0)[1]);
            final long stops = entries.stream().filter(e -> e[1] == stopped).count();
            assertEquals(1, stops, "rule 3.3: instance " + instance.getKey() + " got onStop " + stops + " times");
            assertEquals(stopped, entries.get(entries.size() - 1)[1],
                    "rule 3.3: instance " + instance.getKey() + " processed a message after its onStop");
        }
        assertEquals(messageFailures + 1, startedInstances, "started instances");
        assertEquals(startFailures + messageFailures + 1, instances.get(), "instances made");
    }

    // ------------------------------------------------------------------------------------ 3.4

    @Example
    @RequiresCapability(Capability.PAUSE)
    default void required_spec_3_4_aPausedAgentProcessesNothingButAcceptsUpToCapacity() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class, SpawnOptions.defaults().withMailboxCapacity(8));
        probe.ref().tell(0);
        probe.awaitCount(1);
        rt.pause(probe.id());
        awaitState(kit, probe.id(), AgentState.PAUSED);
        final int capacity = rt.mailboxCapacity(probe.id());
        for (int i = 1; i <= capacity; i++) {
            try {
                probe.ref().tell(i);
            } catch (MailboxFullException e) {
                fail("rule 3.4: a paused agent must accept up to its capacity " + capacity + ", refused send " + i);
            }
        }
        final MailboxFullException full = kit.within("tell to a paused, full mailbox",
                () -> assertThrows(MailboxFullException.class, () -> probe.ref().tell(-1), "rule 3.4: beyond capacity"));
        assertEquals(capacity, full.capacity());
        kit.expectNothing("rule 3.4: a paused agent processed a message", () -> probe.count() > 1);
        assertEquals(Optional.of(AgentState.PAUSED), rt.state(probe.id()), "rule 3.4: the pause did not hold");
        rt.resume(probe.id());
        probe.awaitCount(capacity + 1);
        assertEquals(sequence(0, capacity + 1), probe.messages(), "rule 3.5: resume continues with the oldest message, in order");
    }

    /** Rule 3.4: a pause requested while a handler runs takes effect before the next message. */
    @Example
    @RequiresCapability(Capability.PAUSE)
    default void required_spec_3_4_aPauseTakesEffectBeforeTheNextMessage() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Recorder<Integer> probe = kit.recorder(Integer.class).behave((m, ctx) -> {
            if (m == 0) {
                entered.countDown();
                kit.awaitQuietly(release);
            }
        });
        probe.ref().tell(0);
        kit.awaitLatch("the handler to run", entered);
        probe.ref().tell(1);
        probe.ref().tell(2);
        rt.pause(probe.id());
        release.countDown();
        kit.expectNothing("rule 3.4: a message processed after pause() was requested during the previous one", () -> probe.count() > 1);
        awaitState(kit, probe.id(), AgentState.PAUSED);
        rt.resume(probe.id());
        probe.awaitCount(3);
        assertEquals(List.of(0, 1, 2), probe.messages(), "rule 3.5");
    }

    /**
     * Rule 3.4: a message sent after pause() returned to an idle agent is not processed (the pause
     * takes effect at the latest before the next message), even before the state shows PAUSED.
     */
    @Example
    @RequiresCapability(Capability.PAUSE)
    default void required_spec_3_4_aMessageSentAfterPauseReturnedWaits() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> probe = kit.recorder(Integer.class);
        probe.ref().tell(0);
        probe.awaitCount(1);
        rt.pause(probe.id());
        probe.ref().tell(1);
        kit.expectNothing("rule 3.4: a message sent after pause() returned was processed", () -> probe.count() > 1);
        rt.resume(probe.id());
        probe.awaitCount(2);
    }

    @Example
    @RequiresCapability({Capability.PAUSE, Capability.DEATH_WATCH})
    default void required_spec_3_4_aPausedAgentProcessesNoSignals() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> target = kit.recorder(Integer.class);
        final Recorder<Integer> watcher = kit.recorder(Integer.class).behave((m, ctx) -> ctx.watch(target.id()));
        watcher.ref().tell(0);
        watcher.awaitCount(1);
        rt.pause(watcher.id());
        awaitState(kit, watcher.id(), AgentState.PAUSED);
        final var terminated = rt.whenTerminated(target.id());
        rt.stop(target.id());
        kit.await("the target to terminate", terminated);
        kit.expectNothing("rule 3.4: a paused agent processed a signal", () -> !watcher.signals().isEmpty());
        rt.resume(watcher.id());
        kit.await("the signal after resume", () -> watcher.signals().size() == 1);
    }

    // ------------------------------------------------------------------------------------ 3.5

    /**
     * Rule 3.5: senders keep sending (retrying on full) while another thread pauses and resumes the
     * agent again and again: every message is processed once and each sender's order holds.
     */
    @Property(tries = 15)
    @RequiresCapability(Capability.PAUSE)
    default void required_spec_3_5_pausesAndResumesKeepPerSenderOrder(
            @ForAll @IntRange(min = 1, max = 3) final int senders,
            @ForAll @IntRange(min = 1, max = 200) final int perSender,
            @ForAll @IntRange(min = 1, max = 6) final int toggles,
            @ForAll @IntRange(min = 4, max = 64) final int capacity) throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class, SpawnOptions.defaults().withMailboxCapacity(capacity));
        final List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            final int sender = s;
            futures.add(kit.fork(() -> {
                for (int i = 0; i < perSender; i++) {
                    assertTrue(kit.tellPatiently(probe.ref(), sender * 100_000 + i), "probe vanished");
                }
            }));
        }
        for (int t = 0; t < toggles; t++) {
            rt.pause(probe.id());
            awaitState(kit, probe.id(), AgentState.PAUSED);
            rt.resume(probe.id());
        }
        for (final Future<?> f : futures) {
            kit.join("a sending thread of the check", f, 2);
        }
        probe.awaitCount(senders * perSender);
        final int[] next = new int[senders];
        for (final int m : probe.messages()) {
            assertEquals(next[m / 100_000]++, m % 100_000, "rule 3.5: order of sender " + m / 100_000 + " broken across a pause");
        }
        for (int s = 0; s < senders; s++) {
            assertEquals(perSender, next[s], "rule 3.5: sender " + s + " lost messages across a pause");
        }
    }

    // ------------------------------------------------------------------------------------ 3.6

    /**
     * Rule 3.6: messages queued before a stop request, and racing senders' messages whose tell
     * returned before the stop was requested, are all processed, in order, before the single
     * onStop; after stop() returned, sends are refused; what raced the stop is processed or
     * dead-lettered, never lost.
     */
    @Property(tries = 20)
    default void required_spec_3_6_everyMessageAcceptedBeforeTheStopIsProcessedBeforeOnStop(
            @ForAll @IntRange(min = 0, max = 60) final int queued,
            @ForAll @IntRange(min = 0, max = 2) final int racers,
            @ForAll final boolean blockFirst) throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final int stopMark = Integer.MIN_VALUE;
        final int block = Integer.MIN_VALUE + 1;
        final ConcurrentLinkedQueue<Integer> log = new ConcurrentLinkedQueue<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> new Agent<>() {
            @Override
            public void onMessage(final Integer m, final AgentContext<Integer> context) {
                log.add(m);
                if (m == block) {
                    entered.countDown();
                    kit.awaitQuietly(release);
                }
            }

            @Override
            public void onStop(final AgentContext<Integer> context) {
                log.add(stopMark);
            }
        }, SpawnOptions.defaults().withMailboxCapacity(128));
        final CompletionStage<TerminationCause> terminated = rt.whenTerminated(ref.id());
        if (blockFirst) {
            ref.tell(block);
            kit.awaitLatch("the handler to block", entered);
        }
        for (int i = 0; i < queued; i++) {
            ref.tell(i);
        }
        final AtomicBoolean stopStarted = new AtomicBoolean();
        final Set<Integer> mustBeProcessed = ConcurrentHashMap.newKeySet();
        final List<Future<?>> futures = new ArrayList<>();
        final AtomicInteger racerSends = new AtomicInteger();
        for (int r = 0; r < racers; r++) {
            final int base = (r + 1) * 1_000_000;
            futures.add(kit.fork(() -> {
                for (int i = 0; ; i++) {
                    if (!kit.tellPatiently(ref, base + i)) {
                        return;
                    }
                    racerSends.incrementAndGet();
                    if (!stopStarted.get()) {
                        mustBeProcessed.add(base + i); // its tell returned before the stop was requested
                    }
                }
            }));
        }
        kit.await("racers to send a little", () -> racerSends.get() >= Math.min(racers, 1) * 5);
        stopStarted.set(true);
        rt.stop(ref.id());
        assertThrows(AgentNotFoundException.class, () -> ref.tell(-5), "rule 3.6/2.5: a send after stop() returned");
        release.countDown();
        for (final Future<?> f : futures) {
            kit.join("a sending thread of the check", f, 2);
        }
        assertEquals(TerminationCause.STOPPED, kit.await("the agent to terminate", terminated));
        final List<Integer> seen = List.copyOf(log);
        assertTrue(!seen.isEmpty() && seen.get(seen.size() - 1) == stopMark, () -> "rule 3.6: onStop must come after every"
                + " processed message: the kit " + (blockFirst ? "blocked the handler, " : "") + "queued " + queued
                + " messages, let " + racers + " racing senders send, then stopped the agent; it expected the log to end"
                + " with onStop, but " + (seen.contains(stopMark) ? "the agent processed messages after onStop"
                : "onStop never ran") + ": " + KitFailures.render(seen, Map.of(stopMark, "onStop", block, "BLOCK"), 12));
        assertEquals(1, seen.stream().filter(m -> m == stopMark).count(), "rule 3.3: onStop more than once");
        final List<Integer> mine = seen.stream().filter(m -> m >= 0 && m < 1_000_000).toList();
        assertEquals(sequence(0, queued), mine, "rule 3.6: messages accepted before the stop were lost or reordered");
        final Set<Integer> processed = new HashSet<>(seen);
        for (final int m : mustBeProcessed) {
            assertTrue(processed.contains(m), "rule 3.6: " + m + " was accepted before the stop but not processed before onStop");
        }
        final RuntimeCounters c = rt.counters();
        assertEquals(c.accepted(), c.processed() + c.deadLetters(),
                "rule 2.4/3.7: a send that raced the stop was lost: " + c);
        assertEquals(seen.size() - 1, c.processed(), "processed counter");
    }

    @Example
    default void required_spec_3_6_stopIsIdempotent() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Recorder<Integer> probe = kit.recorder(Integer.class).behave((m, ctx) -> {
            if (m == 0) {
                entered.countDown();
                kit.awaitQuietly(release);
            }
        });
        probe.ref().tell(0);
        kit.awaitLatch("the handler to block", entered);
        probe.ref().tell(1);
        final var terminated = rt.whenTerminated(probe.id());
        rt.stop(probe.id());
        rt.stop(probe.id()); // still alive (its handler blocks): must be accepted as a no-op
        release.countDown();
        assertEquals(TerminationCause.STOPPED, kit.await("the probe to terminate", terminated));
        assertEquals(1, probe.stops(), "rule 3.6/3.3: a repeated stop request ran onStop again");
        assertEquals(List.of(0, 1), probe.messages(), "rule 3.6: the message accepted before the stop");
    }

    /** Rule 3.6 for {@code AgentContext.stop()}: what was accepted before the call is processed first. */
    @Example
    default void required_spec_3_6_aSelfStopProcessesWhatWasAcceptedBefore() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Recorder<Integer> probe = kit.recorder(Integer.class).behave((m, ctx) -> {
            if (m == 0) {
                entered.countDown();
                kit.awaitQuietly(release);
            } else if (m == 1) {
                ctx.stop();
            }
        });
        final var terminated = rt.whenTerminated(probe.id());
        probe.ref().tell(0);
        kit.awaitLatch("the handler to block", entered);
        for (int i = 1; i <= 5; i++) {
            probe.ref().tell(i);
        }
        release.countDown();
        assertEquals(TerminationCause.STOPPED, kit.await("the probe to stop itself", terminated));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), probe.messages(), "rule 3.6: messages accepted before context.stop()");
        assertEquals(1, probe.stops());
    }

    @Example
    @RequiresCapability(Capability.PAUSE)
    default void required_spec_3_6_aStopEndsAPause() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> probe = kit.recorder(Integer.class);
        rt.pause(probe.id());
        awaitState(kit, probe.id(), AgentState.PAUSED);
        for (int i = 0; i < 5; i++) {
            probe.ref().tell(i);
        }
        final var terminated = rt.whenTerminated(probe.id());
        rt.stop(probe.id());
        assertEquals(TerminationCause.STOPPED, kit.await("rule 3.6: a paused agent to stop", terminated));
        assertEquals(List.of(0, 1, 2, 3, 4), probe.messages(), "rule 3.6: a stop of a paused agent processes what was accepted");
        assertEquals(1, probe.stops());
    }

    // ------------------------------------------------------------------------------------ 3.7

    @Example
    default void required_spec_3_7_theLeftoversOfAFailureStopAreDeadLettered() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Recorder<Integer> probe = kit.recorder(Integer.class).behave((m, ctx) -> {
            if (m == 0) {
                entered.countDown();
                kit.awaitQuietly(release);
                throw new IllegalStateException("planned failure (rule 3.7 check)");
            }
        });
        final var terminated = rt.whenTerminated(probe.id());
        probe.ref().tell(0);
        kit.awaitLatch("the handler to block", entered);
        for (int i = 1; i <= 6; i++) {
            probe.ref().tell(i);
        }
        release.countDown();
        assertEquals(TerminationCause.FAILED, kit.await("the probe to fail", terminated));
        assertEquals(List.of(0), probe.messages(), "rule 4.3: after a failure-stop nothing more is processed");
        assertEquals(6, rt.counters().deadLetters(), "rule 3.7: the 6 leftovers must be dead letters");
    }

    /**
     * Rule 3.7 (with 8.7): an agent blocked past the shutdown timeout is terminated; its leftovers
     * are processed or dead-lettered, never lost. The handler is released only after the shutdown
     * deadline has passed as the kit sees it (three times the timeout after {@code isShutdown()}).
     * The runtime's own deadline starts when its shutdown thread reads the clock, which a loaded
     * machine may delay past the kit's wait: a shutdown that then reports a graceful stop must have
     * processed everything, and the scenario is tried again, on a new runtime, with a longer wait
     * (three tries: 150 ms, 1.5 s, 4.5 s), so that the forced path is checked.
     */
    @Example
    default void required_spec_3_7_theLeftoversOfAForcedShutdownAreDeadLettered() throws Exception {
        final Kit kit = kit();
        ForcedShutdown.untilForced("", margin -> {
            final AgentRuntime rt = kit.newRuntime();
            final ForcedShutdown.Outcome outcome = ForcedShutdown.once(kit, rt, List.of(1, 2, 3, 4, 5, 6), margin);
            final RuntimeCounters c = rt.counters();
            assertEquals(7, c.accepted(), "rule 2.4: the kit sent 7 messages before the shutdown, all accepted; counters " + c);
            assertEquals(c.accepted(), c.processed() + c.deadLetters(),
                    "rule 3.7: leftovers of a forced shutdown were lost (accepted must equal processed + dead letters): " + c);
            if (outcome.graceful()) {
                assertEquals(7, c.processed(), "rule 8.7: shutdown reported a graceful stop, but the agent did not process"
                        + " every accepted message: " + c);
                return true;
            }
            assertEquals(TerminationCause.RUNTIME_SHUTDOWN, outcome.cause(), "rule 8.7: the agent forced to stop by the"
                    + " shutdown terminated with the wrong cause");
            return false;
        });
    }

    // ------------------------------------------------------------------------------------ 3.8

    /**
     * Rule 3.8: ids handed out concurrently from several threads, across agents that terminate in
     * between, are all distinct; a stale id answers NotFound and never reaches a newer agent.
     */
    @Property(tries = 10)
    default void required_spec_3_8_idsAreNeverReused(
            @ForAll @IntRange(min = 1, max = 3) final int threads,
            @ForAll @IntRange(min = 1, max = 25) final int perThread) throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final List<AgentId> all = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<AgentId> stopped = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Recorder<Integer>> live = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int round = 0; round < 2; round++) {
            final List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(kit.fork(() -> {
                    for (int i = 0; i < perThread; i++) {
                        final Recorder<Integer> agent = kit.recorder(Integer.class);
                        all.add(agent.id());
                        if (i % 2 == 0) {
                            rt.stop(agent.id());
                            stopped.add(agent.id());
                        } else {
                            live.add(agent);
                        }
                    }
                }));
            }
            for (final Future<?> f : futures) {
                kit.join("a spawning thread of the check", f);
            }
            for (final AgentId id : List.copyOf(stopped)) {
                kit.await(id + " to terminate", rt.whenTerminated(id));
            }
        }
        assertEquals(all.size(), Set.copyOf(all).size(), "rule 3.8: an id was given to two agents: " + all);
        for (final AgentId id : List.copyOf(stopped)) {
            assertThrows(AgentNotFoundException.class, () -> rt.send(id, -1), "rule 3.8: a stale id must answer NotFound");
        }
        for (final Recorder<Integer> agent : List.copyOf(live)) {
            agent.ref().tell(1);
        }
        for (final Recorder<Integer> agent : List.copyOf(live)) {
            agent.awaitCount(1);
            assertEquals(List.of(1), agent.messages(), "rule 3.8: a send to a stale id reached " + agent.id());
        }
    }

    // ------------------------------------------------------------------------------------ 3.9

    /**
     * Rule 3.9: a known scenario (start, [pause, resume,] failure and restart, stop) publishes
     * exactly its transitions, in order.
     */
    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_3_9_everyTransitionIsPublishedInOrder() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<LifecycleEvent> events = lifecycleObserver(kit);
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class,
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        probe.behave((m, ctx) -> {
            if (m < 0) {
                throw new IllegalStateException("planned failure (rule 3.9 check)");
            }
        });
        final AgentId id = probe.id();
        final List<LifecycleEvent> expected = new ArrayList<>();
        awaitState(kit, id, AgentState.RUNNING);
        expected.add(new LifecycleEvent(id, AgentState.STARTING, AgentState.RUNNING));
        if (kit.has(Capability.PAUSE)) {
            rt.pause(id);
            awaitState(kit, id, AgentState.PAUSED);
            rt.resume(id);
            awaitState(kit, id, AgentState.RUNNING);
            expected.add(new LifecycleEvent(id, AgentState.RUNNING, AgentState.PAUSED));
            expected.add(new LifecycleEvent(id, AgentState.PAUSED, AgentState.RUNNING));
        }
        probe.ref().tell(-1);
        kit.await("the restart", () -> probe.starts() == 2);
        awaitState(kit, id, AgentState.RUNNING);
        expected.add(new LifecycleEvent(id, AgentState.RUNNING, AgentState.STARTING));
        expected.add(new LifecycleEvent(id, AgentState.STARTING, AgentState.RUNNING));
        final var terminated = rt.whenTerminated(id);
        rt.stop(id);
        kit.await("the probe to terminate", terminated);
        expected.add(new LifecycleEvent(id, AgentState.RUNNING, AgentState.SHUTTING_DOWN));
        expected.add(new LifecycleEvent(id, AgentState.SHUTTING_DOWN, AgentState.TERMINATED));
        kit.await("all " + expected.size() + " transitions of " + id + " to be published", () -> eventsOf(events, id).size() >= expected.size());
        assertEquals(expected, eventsOf(events, id), "rule 3.9: published transitions");
    }

    /** Rule 3.9 for start failures: a restart after a failed start is STARTING to STARTING. */
    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_3_9_startFailuresArePublished() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<LifecycleEvent> events = lifecycleObserver(kit);
        final AtomicInteger instances = new AtomicInteger();
        final CountDownLatch watched = new CountDownLatch(1);
        final AgentRef<Integer> restarting = rt.spawn(Integer.class, () -> {
            final int number = instances.getAndIncrement();
            return new Agent<Integer>() {
                @Override
                public void onStart(final AgentContext<Integer> context) {
                    if (number == 0) {
                        throw new IllegalStateException("planned start failure (rule 3.9 check)");
                    }
                }

                @Override
                public void onMessage(final Integer message, final AgentContext<Integer> context) {
                }
            };
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        final AgentRef<Integer> failing = rt.spawn(Integer.class, () -> {
            kit.awaitQuietly(watched);
            return new Agent<Integer>() {
                @Override
                public void onStart(final AgentContext<Integer> context) {
                    throw new IllegalStateException("planned start failure (rule 3.9 check)");
                }

                @Override
                public void onMessage(final Integer message, final AgentContext<Integer> context) {
                }
            };
        });
        final var failed = rt.whenTerminated(failing.id());
        watched.countDown();
        kit.await("the never-restarted agent to terminate", failed);
        awaitState(kit, restarting.id(), AgentState.RUNNING);
        final var stopped = rt.whenTerminated(restarting.id());
        rt.stop(restarting.id());
        kit.await("the restarted agent to terminate", stopped);
        final AgentId r = restarting.id();
        final AgentId f = failing.id();
        final List<LifecycleEvent> expectedRestarting = List.of(
                new LifecycleEvent(r, AgentState.STARTING, AgentState.STARTING),
                new LifecycleEvent(r, AgentState.STARTING, AgentState.RUNNING),
                new LifecycleEvent(r, AgentState.RUNNING, AgentState.SHUTTING_DOWN),
                new LifecycleEvent(r, AgentState.SHUTTING_DOWN, AgentState.TERMINATED));
        final List<LifecycleEvent> expectedFailing = List.of(
                new LifecycleEvent(f, AgentState.STARTING, AgentState.SHUTTING_DOWN),
                new LifecycleEvent(f, AgentState.SHUTTING_DOWN, AgentState.TERMINATED));
        kit.await("the transitions to be published", () -> eventsOf(events, r).size() >= 4 && eventsOf(events, f).size() >= 2);
        assertEquals(expectedRestarting, eventsOf(events, r), "rule 3.9: transitions of an agent whose first start failed (policy always)");
        assertEquals(expectedFailing, eventsOf(events, f), "rule 3.9: transitions of an agent whose start failed (policy never)");
    }

    // ------------------------------------------------------------------------------------ 3.10

    @Example
    default void required_spec_3_10_controlOfAnIdThatIsNotAliveFails() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> probe = kit.recorder(Integer.class);
        final AgentId unknown = new AgentId(probe.id().value() + 1_000_000L);
        final var terminated = rt.whenTerminated(probe.id());
        rt.stop(probe.id());
        kit.await("the probe to terminate", terminated);
        for (final AgentId id : List.of(unknown, probe.id())) {
            assertEquals(id, assertThrows(AgentNotFoundException.class, () -> rt.stop(id), "rule 3.10: stop of " + id).agent(),
                    "rule 3.10: the exception must name the id");
            assertEquals(id, assertThrows(AgentNotFoundException.class, () -> rt.mailboxDepth(id), "rule 3.10: mailboxDepth of " + id).agent());
            assertEquals(id, assertThrows(AgentNotFoundException.class, () -> rt.mailboxCapacity(id), "rule 3.10: mailboxCapacity of " + id).agent());
        }
    }

    @Example
    @RequiresCapability(Capability.PAUSE)
    default void required_spec_3_10_pauseAndResumeOfAnIdThatIsNotAliveFail() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> probe = kit.recorder(Integer.class);
        final AgentId unknown = new AgentId(probe.id().value() + 1_000_000L);
        final var terminated = rt.whenTerminated(probe.id());
        rt.stop(probe.id());
        kit.await("the probe to terminate", terminated);
        for (final AgentId id : List.of(unknown, probe.id())) {
            assertEquals(id, assertThrows(AgentNotFoundException.class, () -> rt.pause(id), "rule 3.10: pause of " + id).agent());
            assertEquals(id, assertThrows(AgentNotFoundException.class, () -> rt.resume(id), "rule 3.10: resume of " + id).agent());
        }
    }

    @Example
    @RequiresCapability(Capability.PAUSE)
    default void required_spec_3_10_pauseAndResumeAreIdempotent() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Integer> probe = kit.recorder(Integer.class);
        rt.resume(probe.id()); // resume of a running agent: a no-op
        rt.pause(probe.id());
        rt.pause(probe.id());
        awaitState(kit, probe.id(), AgentState.PAUSED);
        probe.ref().tell(1);
        rt.pause(probe.id());
        assertEquals(Optional.of(AgentState.PAUSED), rt.state(probe.id()), "rule 3.10: a second pause changed the state");
        rt.resume(probe.id());
        rt.resume(probe.id());
        probe.awaitCount(1);
        awaitState(kit, probe.id(), AgentState.RUNNING);
        probe.ref().tell(2);
        probe.awaitCount(2);
        assertEquals(List.of(1, 2), probe.messages());
        assertEquals(1, probe.starts(), "rule 3.10: pause/resume must not restart the agent");
    }

    // ------------------------------------------------------------------------------------ helpers

    private static Recorder<LifecycleEvent> lifecycleObserver(final Kit kit) {
        final Recorder<LifecycleEvent> events = kit.recorder(kit.runtime(), LifecycleEvent.class,
                SpawnOptions.defaults().withMailboxCapacity(4096));
        kit.runtime().subscribe(SystemTopics.LIFECYCLE, events.ref());
        return events;
    }

    private static List<LifecycleEvent> eventsOf(final Recorder<LifecycleEvent> events, final AgentId id) {
        return events.messages().stream().filter(e -> e.agent().equals(id)).toList();
    }

    /** One chain of legal edges, from STARTING, ending in exactly one TERMINATED. */
    private static void assertLegalChain(final List<LifecycleEvent> chain, final AgentId id) {
        assertFalse(chain.isEmpty(), "rule 3.9: no transition of " + id + " published");
        AgentState current = AgentState.STARTING;
        for (final LifecycleEvent event : chain) {
            assertEquals(current, event.from(), "rule 3.1/3.9: " + id + " left " + event.from() + " while it was " + current + ": " + chain);
            assertTrue(event.from().canTransitionTo(event.to()), "rule 3.1: illegal edge " + event);
            current = event.to();
        }
        assertEquals(AgentState.TERMINATED, current, "rule 3.1: " + id + " did not end TERMINATED: " + chain);
        assertEquals(1, chain.stream().filter(e -> e.to() == AgentState.TERMINATED).count(), "rule 3.1: TERMINATED twice: " + chain);
    }

    /**
     * Every state polled (consecutive duplicates already dropped; null = gone) lies on the path in
     * order; once gone, never back.
     */
    private static void assertOnPath(final List<AgentState> polled, final List<AgentState> path, final AgentId id) {
        int at = 0;
        boolean gone = false;
        for (final AgentState state : polled) {
            if (state == null) {
                gone = true;
                continue;
            }
            assertFalse(gone, "rule 3.1/8.1: " + id + " reported state " + state + " after it was gone; polled " + polled);
            while (at < path.size() && path.get(at) != state) {
                at++;
            }
            assertTrue(at < path.size(), "rule 3.1: polled states " + polled + " of " + id + " are not a walk along " + path);
        }
    }

    private static void awaitState(final Kit kit, final AgentId id, final AgentState state) {
        kit.await(id + " to be " + state + " (is " + kit.runtime().state(id) + ")",
                () -> kit.runtime().state(id).equals(Optional.of(state)));
    }

    private static List<Integer> sequence(final int from, final int to) {
        final List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }



}

/** Polls {@code state(id)} on a kit thread, keeping each change (used by {@link LifecycleRules} only). */
final class StatePoller {
    private final AtomicBoolean done = new AtomicBoolean();
    private final List<AgentState> seen = new ArrayList<>();
    private Future<?> future;

    static StatePoller start(final Kit kit, final AgentId id) {
        final StatePoller poller = new StatePoller();
        final AgentRuntime rt = kit.runtime();
        poller.future = kit.fork(() -> {
            AgentState last = AgentState.STARTING;
            boolean first = true;
            while (!poller.done.get()) {
                final AgentState now = rt.state(id).orElse(null);
                if (first || now != last) {
                    synchronized (poller.seen) {
                        poller.seen.add(now);
                    }
                    last = now;
                    first = false;
                }
                LockSupport.parkNanos(20_000L);
            }
        });
        return poller;
    }

    List<AgentState> stop() throws Exception {
        done.set(true);
        future.get(10, TimeUnit.SECONDS);
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }
}

package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
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
import dev.flin.runtime.FlinException;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.Signal;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Example;

/**
 * Checks of the rules spec 0.2 added or clarified (marked *(0.2)* in {@code docs/spec.md}), from
 * every section; named {@code required_spec_N_M_...} like the others. They were written from the
 * gaps an independent suite found in 0.1 (issue 12): each would have failed on the 0.1 reference
 * runtime or on the faulty runtime that loses accepted messages behind derived counters.
 *
 * <p>The checks of the points spec 0.6 settled (marked *(0.6)*: 1.3, 2.7, 3.6, 3.10, 7.4, 8.3, 8.7)
 * are here too, each next to its rule's section. They were the questions an implementer writing an
 * independent runtime from the spec alone could not answer; each check fails on a runtime that
 * answers otherwise.
 */
public interface ClarifiedRules extends KitSupport {

    /** The request of these checks. */
    record Req(int n, dev.flin.runtime.Reply<Integer> reply) { }

    // =========================================================================== 1.3

    /**
     * Rule 1.3 (0.6): "the instance it returned before" is the previous instance, the last one the
     * factory returned for this agent, also when that instance's {@code onStart} failed. The factory
     * returns A, whose first {@code onStart} fails, then A again: the second A must be a start
     * failure (it would start with the state of the failed attempt), and the next instance runs.
     */
    @Example
    default void required_spec_1_3_thePreviousInstanceIsRefusedAlsoWhenItsStartFailed() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CompletableFuture<Agent<Integer>> handledBy = new CompletableFuture<>();
        final AtomicInteger factoryCalls = new AtomicInteger();
        final AtomicInteger reusedStarts = new AtomicInteger();
        final class Stateful implements Agent<Integer> {
            private final boolean failsFirstStart;
            private int starts; // state that must not survive into another start

            Stateful(final boolean failsFirstStart) {
                this.failsFirstStart = failsFirstStart;
            }

            @Override
            public void onStart(final AgentContext<Integer> context) {
                starts++;
                if (failsFirstStart) {
                    reusedStarts.incrementAndGet();
                    if (starts == 1) {
                        throw new IllegalStateException("planned start failure (rule 1.3 check)");
                    }
                }
            }

            @Override
            public void onMessage(final Integer message, final AgentContext<Integer> context) {
                handledBy.complete(this);
            }
        }
        final Stateful reused = new Stateful(true);
        final AgentRef<Integer> ref = rt.spawn(Integer.class,
                () -> factoryCalls.incrementAndGet() <= 2 ? reused : new Stateful(false),
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.onFailure(5, Duration.ofMinutes(10), Backoff.NONE)));
        ref.tell(1);
        final Agent<Integer> handler = kit.await("the message to be handled by a started instance", handledBy);
        assertNotSame(reused, handler, "rule 1.3: the factory returned again the instance whose start had just"
                + " failed, and the runtime started it (with the state of its failed start)");
        assertEquals(1, reusedStarts.get(), "rule 1.3: the previous instance got a second onStart");
        assertTrue(factoryCalls.get() >= 3, "rule 1.3: a fresh instance is made after the refused one");
        kit.await("the stop", rt.stop(ref.id()));
    }

    // =========================================================================== 2.3

    @Example
    default void required_spec_2_3_anAgentIsOneSenderWhicheverThreadItRunsOn() {
        final Kit kit = kit();
        final Recorder<Integer> sink = kit.recorder(Integer.class);
        final int total = 2_000;
        // The relay sends one message to the sink per message it gets: consecutive callbacks, and so
        // consecutive sends, may run on different threads; the sink must still see them in order.
        final AgentRef<Integer> relay = kit.runtime().spawn(Integer.class, () -> (m, ctx) -> {
            while (!sink.ref().tryTell(m)) {
                Thread.onSpinWait(); // the sink is behind: an agent may retry (never blocks on a lock)
            }
        });
        for (int i = 0; i < total; i++) {
            kit.tellPatiently(relay, i);
        }
        kit.await("the sink to get every relayed message", () -> sink.count() == total);
        final List<Integer> got = sink.messages();
        for (int i = 0; i < total; i++) {
            assertEquals(i, (int) got.get(i), "rule 2.3: an agent's sends arrived out of order at position " + i);
        }
    }

    // =========================================================================== 2.4

    @Example
    default void required_spec_2_4_acceptedCountsASendWhileItsHandlerRuns() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.newRuntime();
        final Gate gate = new Gate(kit);
        final Recorder<Integer> held = kit.recorder(rt, Integer.class, SpawnOptions.defaults());
        held.behave((m, ctx) -> gate.hold());
        final long before = rt.counters().accepted();
        try {
            held.ref().tell(1);
            gate.awaitEntered();
            assertEquals(before + 1, rt.counters().accepted(),
                    "rule 2.4: a send that returned must be counted as accepted, also while its handler runs");
        } finally {
            gate.release();
        }
        held.awaitCount(1);
    }

    @Example
    default void required_spec_2_4_acceptedEqualsTheSendsThatReturnedAndOnlyGrows() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.newRuntime();
        final List<Recorder<Integer>> agents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            agents.add(kit.recorder(rt, Integer.class, SpawnOptions.defaults().withMailboxCapacity(32)));
        }
        final RuntimeCounters c0 = rt.counters();
        final AtomicLong returned = new AtomicLong();
        final java.util.concurrent.Future<?> sender = kit.fork(() -> {
            for (int i = 0; i < 4_000; i++) {
                try {
                    if (agents.get(i % agents.size()).ref().tryTell(i)) {
                        returned.incrementAndGet();
                    }
                } catch (AgentNotFoundException stopped) {
                    // the agent was stopped meanwhile: refused, not accepted
                }
                if (i == 2_000) {
                    rt.stop(agents.get(0).id()); // a termination races the sends
                }
            }
        });
        long last = c0.accepted();
        while (!sender.isDone()) {
            final long now = rt.counters().accepted();
            assertTrue(now >= last, "rule 8.3: accepted is a counter and went down from " + last + " to " + now);
            last = now;
        }
        sender.get();
        assertTrue(rt.counters().accepted() - c0.accepted() >= returned.get(),
                "rule 2.4: accepted must include every send that has returned");
        kit.await("every message to be processed or dead-lettered", () -> {
            final RuntimeCounters c = rt.counters();
            return c.queued() == 0 && c.processed() - c0.processed() + c.deadLetters() - c0.deadLetters()
                    + c.staleTimerMessages() - c0.staleTimerMessages() >= returned.get();
        });
        final RuntimeCounters c = rt.counters();
        assertEquals(returned.get(), c.accepted() - c0.accepted(),
                "rule 2.4: accepted must be counted where sends are accepted: it must equal the sends that"
                        + " returned normally (a runtime that loses messages and derives accepted from the"
                        + " other counters cannot pass this)");
        long handled = 0;
        for (final Recorder<Integer> r : agents) {
            handled += r.count();
        }
        assertEquals(c.processed() - c0.processed(), handled, "rule 8.3: processed must equal what handlers saw");
        assertEquals(c.accepted() - c0.accepted(), handled + c.deadLetters() - c0.deadLetters()
                + c.staleTimerMessages() - c0.staleTimerMessages() + c.queued(), "rule 2.4 identity: " + c);
    }

    // =========================================================================== 2.7

    /**
     * Rule 2.7 (0.6): an ask whose request function is null or builds a null request throws
     * {@code NullPointerException} from {@code ask} itself, as {@code tell(null)} does and as a bad
     * timeout throws (rule 8.10): a caller's error is not a refusal of rule 5.3, reported through a
     * stage, and nothing is enqueued.
     */
    @Example
    @SuppressWarnings("NullAway") // the nulls are the point
    default void required_spec_2_7_anAskWithANullRequestThrowsAtOnce() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.newRuntime();
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class, SpawnOptions.defaults());
        final long accepted = rt.counters().accepted();
        final AtomicInteger built = new AtomicInteger();
        assertThrows(NullPointerException.class, () -> probe.ref().<Integer>ask(reply -> {
            built.incrementAndGet();
            return null;
        }, kit.waitLimit()), "rule 2.7: an ask whose request function returns null must throw"
                + " NullPointerException, not return a stage (failed or not)");
        assertEquals(1, built.get(), "the request function is called once");
        assertThrows(NullPointerException.class, () -> probe.ref().<Integer>ask(null, kit.waitLimit()),
                "rule 2.7: ask(null, timeout) must throw NullPointerException");
        assertEquals(accepted, rt.counters().accepted(), "rule 2.7: an ask with a null request enqueued something");
        probe.ref().tell(1);
        probe.awaitCount(1);
        kit.expectNothing("something to be delivered for a null request", () -> probe.count() > 1);
        assertEquals(List.of(1), probe.messages());
    }

    // =========================================================================== 3.6

    /**
     * Rule 3.6 (0.6): signals are ordered against a stop request as messages are. The watcher is busy
     * when its target terminates; the stop request comes after the target's termination stage
     * completed: the {@code Terminated} signal must reach {@code onSignal} before {@code onStop}.
     */
    @Example
    @RequiresCapability(Capability.DEATH_WATCH)
    default void required_spec_3_6_aSignalQueuedBeforeTheStopRequestIsDeliveredBeforeOnStop() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Gate gate = new Gate(kit);
        final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        final AgentRef<Integer> target = rt.spawn(Integer.class, () -> (m, ctx) -> { });
        final AgentRef<Integer> watcher = rt.spawn(Integer.class, () -> new Agent<Integer>() {
            @Override
            public void onMessage(final Integer m, final AgentContext<Integer> ctx) throws Exception {
                if (m == 0) {
                    ctx.watch(target.id());
                } else {
                    gate.hold();
                }
            }

            @Override
            public void onSignal(final Signal signal, final AgentContext<Integer> ctx) {
                seen.add(signal instanceof Signal.Terminated t ? "Terminated(" + t.agent() + ")" : signal.toString());
            }

            @Override
            public void onStop(final AgentContext<Integer> ctx) {
                seen.add("onStop");
            }
        });
        final CompletionStage<TerminationCause> watcherStopped;
        try {
            watcher.tell(0); // the watch
            watcher.tell(1); // then busy: the signal has to wait in its queue
            gate.awaitEntered();
            assertEquals(TerminationCause.STOPPED, kit.await("the target to stop", rt.stop(target.id())));
            watcherStopped = rt.stop(watcher.id()); // after the target terminated: the signal came first
        } finally {
            gate.release();
        }
        assertEquals(TerminationCause.STOPPED, kit.await("the watcher to stop", watcherStopped));
        assertEquals(List.of("Terminated(" + target.id() + ")", "onStop"), List.copyOf(seen),
                "rule 3.6: a signal queued before the stop request (its target had terminated) must be delivered"
                        + " before onStop, as an accepted message is");
    }

    // =========================================================================== 3.10

    @Example
    @RequiresCapability(Capability.PAUSE)
    default void required_spec_3_10_aShuttingDownAgentIsAliveForControlCalls() throws Exception {
        final Kit kit = kit();
        final Gate gate = new Gate(kit);
        // SHUTTING_DOWN lasts while onStop runs: hold it there
        final AgentRef<Integer> agent = kit.runtime().spawn(Integer.class, () -> new dev.flin.runtime.Agent<Integer>() {
            @Override
            public void onMessage(final Integer m, final dev.flin.runtime.AgentContext<Integer> ctx) {
            }

            @Override
            public void onStop(final dev.flin.runtime.AgentContext<Integer> ctx) throws Exception {
                gate.hold();
            }
        });
        final CompletionStage<TerminationCause> stopped;
        try {
            stopped = kit.runtime().stop(agent.id());
            gate.awaitEntered();
            assertEquals(AgentState.SHUTTING_DOWN, kit.runtime().state(agent.id()).orElse(null));
            kit.runtime().stop(agent.id()); // idempotent: no error while it is alive
            kit.runtime().pause(agent.id());
            kit.runtime().resume(agent.id());
            assertTrue(kit.runtime().mailboxDepth(agent.id()) >= 0, "rule 3.10: mailboxDepth answers");
            final AgentNotFoundException refused = assertInstanceOf(AgentNotFoundException.class,
                    org.junit.jupiter.api.Assertions.assertThrows(FlinException.class, () -> agent.tell(2)),
                    "rule 2.5: a stopping agent refuses sends");
            assertEquals(agent.id(), refused.agent());
        } finally {
            gate.release();
        }
        assertEquals(TerminationCause.STOPPED, kit.await("the stop", stopped));
    }

    /**
     * Rule 3.10 (0.6): on a {@code SHUTTING_DOWN} agent, {@code pause}, {@code resume},
     * {@code mailboxDepth} and {@code mailboxCapacity} answer without throwing, and the pause and
     * resume change nothing: the agent never becomes {@code PAUSED}, and their stages complete with
     * the state that superseded them (rule 8.11).
     */
    @Example
    @RequiresCapability(Capability.PAUSE)
    default void required_spec_3_10_pauseAndResumeOfAStoppingAgentAnswerAndChangeNothing() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Gate gate = new Gate(kit);
        final AgentRef<Integer> agent = rt.spawn(Integer.class, () -> new Agent<Integer>() {
            @Override
            public void onMessage(final Integer m, final AgentContext<Integer> ctx) {
            }

            @Override
            public void onStop(final AgentContext<Integer> ctx) throws Exception {
                gate.hold();
            }
        }, SpawnOptions.defaults().withMailboxCapacity(8));
        final int capacity = rt.mailboxCapacity(agent.id());
        final CompletionStage<TerminationCause> stopped;
        final CompletionStage<AgentState> paused;
        final CompletionStage<AgentState> resumed;
        try {
            stopped = rt.stop(agent.id());
            gate.awaitEntered();
            paused = rt.pause(agent.id());
            assertEquals(AgentState.SHUTTING_DOWN, rt.state(agent.id()).orElse(null),
                    "rule 3.10: a pause of a stopping agent has no effect");
            assertEquals(0, rt.mailboxDepth(agent.id()), "rule 3.10: mailboxDepth answers for a stopping agent");
            assertEquals(capacity, rt.mailboxCapacity(agent.id()), "rule 3.10: mailboxCapacity answers for a stopping agent");
            resumed = rt.resume(agent.id());
            assertEquals(AgentState.SHUTTING_DOWN, rt.state(agent.id()).orElse(null));
        } finally {
            gate.release();
        }
        assertEquals(TerminationCause.STOPPED, kit.await("the stop", stopped));
        for (final CompletionStage<AgentState> stage : List.of(paused, resumed)) {
            final AgentState state = kit.await("the pause or resume of a stopping agent", stage);
            assertTrue(state == AgentState.SHUTTING_DOWN || state == AgentState.TERMINATED,
                    "rule 3.10, 8.11: a pause or resume of a stopping agent completes with the state that superseded"
                            + " it, was " + state);
        }
    }

    // =========================================================================== 4.1

    @Example
    default void required_spec_4_1_anErrorThrownByACallbackIsThatAgentsFailureOnly() {
        final Kit kit = kit();
        final Recorder<Integer> bystander = kit.recorder(Integer.class);
        final List<Throwable> throwables = List.of(new AssertionError("an Error"), new StackOverflowError(),
                new Exception("a checked exception"), new LinkageError("a LinkageError"));
        for (final Throwable thrown : throwables) {
            final AgentRef<Integer> failing = kit.runtime().spawn(Integer.class, () -> (m, ctx) -> {
                throw sneaky(thrown);
            });
            final CompletionStage<TerminationCause> terminated = kit.runtime().whenTerminated(failing.id());
            failing.tell(1);
            assertEquals(TerminationCause.FAILED, kit.await("the agent failed by " + thrown, terminated),
                    "rule 4.1: any Throwable but a fatal VirtualMachineError is the agent's failure");
        }
        bystander.ref().tell(7);
        bystander.awaitCount(1);
        assertFalse(kit.runtime().isShutdown(), "the runtime keeps running");
    }

    /** Throws any throwable from a callback that declares only Exception. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(final Throwable t) throws T {
        throw (T) t;
    }

    // =========================================================================== 5.3

    @Example
    default void required_spec_5_3_aRefusedAskIsNeverFailedByTheTerminationItRaces() throws Exception {
        final Kit kit = kit();
        int refused = 0;
        for (int round = 0; round < 40; round++) {
            final Gate gate = new Gate(kit);
            final AgentRef<Req> agent = kit.runtime().spawn(Req.class, () -> (m, ctx) -> {
                if (m.n() < 0) {
                    gate.hold();
                } else {
                    m.reply().reply(m.n());
                }
            }, SpawnOptions.defaults().withMailboxCapacity(1));
            final List<CompletionStage<Integer>> asks = new ArrayList<>();
            try {
                agent.tell(new Req(-1, null));
                gate.awaitEntered();
                kit.runtime().stop(agent.id()); // every ask from here is refused; the release lets it terminate
            } finally {
                gate.release();
            }
            while (kit.runtime().state(agent.id()).isPresent() && asks.size() < 20_000) {
                asks.add(agent.ask(r -> new Req(1, r), Duration.ofHours(1)));
            }
            for (final CompletionStage<Integer> stage : asks) {
                final Throwable failure = kit.awaitFailure("a refused ask", stage);
                assertInstanceOf(AgentNotFoundException.class, failure, "rule 5.3: an ask refused at the send"
                        + " must complete with the refusal, not with the termination it raced (round " + round + ")");
                refused++;
            }
        }
        assertTrue(refused > 0, "the check never exercised the race");
    }

    // =========================================================================== 6.8

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_8_anAbandonedTopicIsNotKept() {
        final Kit kit = kit();
        final AgentRef<Integer> churner = kit.runtime().spawn(Integer.class, () -> (m, ctx) -> {
            final Topic<Integer> topic = new Topic<>("kit-entity-" + m, Integer.class);
            ctx.subscribe(topic);
            ctx.unsubscribe(topic);
        });
        for (int i = 0; i < 200; i++) {
            kit.tellPatiently(churner, i);
        }
        kit.await("the churner to process every message", () -> kit.runtime().mailboxDepth(churner.id()) == 0);
        for (int i = 0; i < 200; i++) {
            assertEquals(0, kit.runtime().subscriberCount(new Topic<>("kit-entity-" + i, Integer.class)));
        }
        final WeakReference<Topic<Integer>> unsubscribed = probeTopic(kit, false);
        final WeakReference<Topic<Integer>> terminated = probeTopic(kit, true);
        kit.await("rule 6.8: topics whose last subscriber unsubscribed or terminated must be collectable", () -> {
            System.gc();
            return unsubscribed.get() == null && terminated.get() == null;
        });
    }

    /**
     * Subscribes and unsubscribes a topic instance held only weakly by the kit: once the runtime
     * forgot it, the collector can take it.
     */
    private static WeakReference<Topic<Integer>> probeTopic(final Kit kit, final boolean byTermination) {
        final CompletableFuture<WeakReference<Topic<Integer>>> made = new CompletableFuture<>();
        final AgentRef<Integer> agent = kit.runtime().spawn(Integer.class, () -> (m, ctx) -> {
            final Topic<Integer> topic = new Topic<>("kit-probe-" + byTermination + "-" + System.identityHashCode(made),
                    Integer.class);
            ctx.subscribe(topic);
            if (byTermination) {
                ctx.stop(); // the last subscriber terminates (rule 6.5 removes it, rule 6.8 the topic)
            } else {
                ctx.unsubscribe(topic);
            }
            made.complete(new WeakReference<>(topic));
        });
        final CompletionStage<TerminationCause> stopped = kit.runtime().whenTerminated(agent.id());
        agent.tell(1);
        final WeakReference<Topic<Integer>> ref = kit.await("the probe topic", made);
        if (byTermination) {
            kit.await("the probe's subscriber to terminate", stopped);
        }
        return ref;
    }

    // =========================================================================== 7.4

    /**
     * Rule 7.4 (0.6): a timer message still in the mailbox when the agent terminates is the message of
     * a cancelled timer: counted as a stale timer message (rule 7.3), not as a dead letter, while the
     * ordinary message beside it is a dead letter (rule 3.7). The agent starts a timer that fires at
     * once, holds its thread until both messages wait, then fails with the default policy.
     */
    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_4_aTimerMessageLeftAtTerminationIsStaleNotADeadLetter() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.newRuntime();
        final Gate gate = new Gate(kit);
        final Recorder<String> agent = kit.recorder(rt, String.class, SpawnOptions.defaults());
        agent.behave((m, ctx) -> {
            if (m.equals("go")) {
                ctx.timers().startSingle("now", "tick", Duration.ZERO);
                gate.hold();
                throw new IllegalStateException("planned failure: what is queued is left over (rule 7.4 check)");
            }
        });
        final CompletionStage<TerminationCause> terminated = rt.whenTerminated(agent.id());
        final RuntimeCounters before;
        try {
            agent.ref().tell("go");
            gate.awaitEntered();
            agent.ref().tell("left");
            kit.await("the timer message and the other message to wait in the mailbox",
                    () -> rt.mailboxDepth(agent.id()) == 2);
            before = rt.counters();
        } finally {
            gate.release();
        }
        assertEquals(TerminationCause.FAILED, kit.await("the agent to fail", terminated));
        kit.await("the two leftovers to be counted", () -> {
            final RuntimeCounters c = rt.counters();
            return c.deadLetters() - before.deadLetters() + c.staleTimerMessages() - before.staleTimerMessages() >= 2;
        });
        final RuntimeCounters after = rt.counters();
        assertEquals(1, after.staleTimerMessages() - before.staleTimerMessages(),
                "rule 7.4: a timer message left in the mailbox at termination is a cancelled timer's: a stale timer"
                        + " message");
        assertEquals(1, after.deadLetters() - before.deadLetters(),
                "rule 7.4, 3.7: only the ordinary message left over is a dead letter, not the timer message");
        assertEquals(List.of("go"), agent.messages(), "nothing after the failing message is processed");
    }

    // =========================================================================== 8.3

    /**
     * Rule 8.3 (0.6): a publish is not a send to each subscriber's id. An event a stopping subscriber
     * cannot take is not enqueued and not counted, neither as {@code accepted} nor as
     * {@code rejectedNotFound} nor as {@code droppedEvents}; the publish does not throw and does not
     * count that subscriber in its result.
     */
    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_8_3_aPublishToAStoppingSubscriberIsNeitherRejectedNorDropped() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.newRuntime();
        final Gate gate = new Gate(kit);
        final Topic<Integer> topic = Topic.of("kit.stopping-subscriber", Integer.class);
        final Recorder<Integer> live = kit.recorder(rt, Integer.class, SpawnOptions.defaults());
        final AgentRef<Integer> stopping = rt.spawn(Integer.class, () -> new Agent<Integer>() {
            @Override
            public void onMessage(final Integer m, final AgentContext<Integer> ctx) {
            }

            @Override
            public void onStop(final AgentContext<Integer> ctx) throws Exception {
                gate.hold();
            }
        });
        rt.subscribe(topic, stopping);
        rt.subscribe(topic, live.ref());
        final CompletionStage<TerminationCause> stopped;
        try {
            stopped = rt.stop(stopping.id());
            gate.awaitEntered();
            assertEquals(AgentState.SHUTTING_DOWN, rt.state(stopping.id()).orElse(null));
            final RuntimeCounters before = rt.counters();
            final int took = rt.publish(topic, 1);
            final RuntimeCounters after = rt.counters();
            assertEquals(1, took, "rule 8.3: the publish counts only the subscriber that took the event");
            assertEquals(before.rejectedNotFound(), after.rejectedNotFound(),
                    "rule 8.3: an event a stopping subscriber cannot take is not a rejectedNotFound");
            assertEquals(before.droppedEvents(), after.droppedEvents(),
                    "rule 8.3: an event a stopping subscriber cannot take is not a dropped event (rule 6.6 is a full mailbox)");
            assertEquals(before.accepted() + 1, after.accepted(), "rule 8.3: only the live subscriber's event is accepted");
        } finally {
            gate.release();
        }
        assertEquals(TerminationCause.STOPPED, kit.await("the stop", stopped));
        live.awaitCount(1);
    }

    // =========================================================================== 8.7

    /**
     * Rule 8.7: a callback that never returns does not keep {@code shutdown} from returning false within
     * its timeout plus the documented grace, and another agent is terminated. Needs
     * {@link Capability#INDEPENDENT_PROGRESS}: on an event loop the other agent may share the stuck
     * agent's thread, and then cannot run its {@code onStop} either.
     */
    @Example
    @RequiresCapability(Capability.INDEPENDENT_PROGRESS)
    default void required_spec_8_7_shutdownIsBoundedWhenACallbackNeverReturns() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.newRuntime();
        final Gate gate = new Gate(kit);
        final AgentRef<Integer> stuck = rt.spawn(Integer.class, () -> (m, ctx) -> {
            while (true) { // a callback that ignores interrupts and never returns while the gate is shut
                try {
                    gate.hold();
                    return;
                } catch (InterruptedException ignored) {
                    // keep holding
                }
            }
        });
        final Recorder<Integer> other = kit.recorder(rt, Integer.class, SpawnOptions.defaults());
        try {
            stuck.tell(1);
            gate.awaitEntered();
            final CompletionStage<TerminationCause> otherStopped = rt.whenTerminated(other.id());
            assertFalse(shutdownReturnsWithinItsBound(kit, rt),
                    "rule 8.7: a callback that never returned: not graceful");
            assertEquals(TerminationCause.RUNTIME_SHUTDOWN, kit.await("the other agent", otherStopped),
                    "rule 8.7: every agent whose callback returned is TERMINATED");
        } finally {
            gate.release();
        }
    }

    /**
     * Rule 8.7: forks {@code shutdown(300 ms)} while a callback never returns and waits for it as
     * long as the spec bounds it: the timeout plus the grace the runtime documents (declared by the
     * provider), plus the kit's wait budget as slack for a slow machine (counted, and short once the
     * run has timed out, as every wait of the kit).
     *
     * @return what {@code shutdown} returned
     * @throws AssertionError if it did not return within that bound
     */
    private static boolean shutdownReturnsWithinItsBound(final Kit kit, final AgentRuntime rt) throws Exception {
        final Duration timeout = Duration.ofMillis(300);
        final KitWaits.Budget slack = kit.waitBudget();
        final KitWaits.Budget bound = new KitWaits.Budget(timeout.plus(kit.shutdownGrace()).plus(slack.limit()),
                slack.note());
        final CompletableFuture<Boolean> result = new CompletableFuture<>();
        final var unused = kit.fork(() -> {
            try {
                result.complete(rt.shutdown(timeout));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return kit.join("shutdown(" + timeout + ") with a callback that never returns, to return within the timeout"
                + " + the documented grace " + kit.shutdownGrace() + " (+ " + slack.limit() + " slack)", result, bound);
    }

    /**
     * Rule 8.7 (0.6), what is checkable of a callback that never returns: {@code shutdown} returns
     * false within its timeout plus the documented grace; when it returns, every other agent (idle,
     * or with messages queued) is {@code TERMINATED} and the stuck agent is not (its callback still
     * runs, so its {@code onStop} cannot have run, rule 1.1); once its callback finally returns, the
     * stuck agent processes no further message, runs its {@code onStop} once and terminates. Needs
     * independent progress: on event loops, an agent that shares the stuck callback's loop cannot run
     * its {@code onStop} either.
     */
    @Example
    @RequiresCapability(Capability.INDEPENDENT_PROGRESS) // else an agent sharing the stuck thread cannot stop either
    default void required_spec_8_7_aCallbackThatNeverReturnsLeavesOnlyItsOwnAgentUnterminated() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.newRuntime();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        final AtomicInteger handledByStuck = new AtomicInteger();
        final AtomicInteger stuckStops = new AtomicInteger();
        final AgentRef<Integer> stuck = rt.spawn(Integer.class, () -> new Agent<Integer>() {
            @Override
            public void onMessage(final Integer m, final AgentContext<Integer> ctx) {
                handledByStuck.incrementAndGet();
                entered.countDown();
                final long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1); // never strands a thread for good
                while (System.nanoTime() < giveUp) { // ignores interrupts: no runtime can end this callback
                    try {
                        if (released.await(100, TimeUnit.MILLISECONDS)) {
                            return;
                        }
                    } catch (InterruptedException ignored) {
                        // keep holding
                    }
                }
            }

            @Override
            public void onStop(final AgentContext<Integer> ctx) {
                stuckStops.incrementAndGet();
            }
        });
        final Recorder<Integer> idle = kit.recorder(rt, Integer.class, SpawnOptions.defaults());
        final Recorder<Integer> busy = kit.recorder(rt, Integer.class, SpawnOptions.defaults());
        final CompletionStage<TerminationCause> stuckTerminated = rt.whenTerminated(stuck.id());
        try {
            stuck.tell(1);
            stuck.tell(2); // queued behind the callback that never returns
            kit.awaitLatch("the stuck callback to start", entered);
            busy.ref().tell(1);
            busy.ref().tell(2);
            final List<CompletionStage<TerminationCause>> others = List.of(rt.whenTerminated(idle.id()),
                    rt.whenTerminated(busy.id()));
            assertFalse(shutdownReturnsWithinItsBound(kit, rt),
                    "rule 8.7: a callback that never returned: shutdown must return false");
            for (final AgentId other : List.of(idle.id(), busy.id())) {
                final AgentState state = rt.state(other).orElse(AgentState.TERMINATED);
                assertEquals(AgentState.TERMINATED, state, "rule 8.7: when shutdown returns, every agent whose"
                        + " callback returned is TERMINATED: " + other);
            }
            for (final CompletionStage<TerminationCause> other : others) {
                assertEquals(TerminationCause.RUNTIME_SHUTDOWN, kit.await("another agent's termination", other));
            }
            assertFalse(stuckTerminated.toCompletableFuture().isDone(), "rule 8.7: the agent whose callback never"
                    + " returned must stay un-terminated (its onStop cannot run while its callback does)");
            assertFalse(rt.state(stuck.id()).orElse(AgentState.RUNNING) == AgentState.TERMINATED,
                    "rule 8.7: the agent whose callback never returned was reported TERMINATED");
        } finally {
            released.countDown();
        }
        kit.expectNothing("the stuck agent to process a further message once its callback returned",
                () -> handledByStuck.get() > 1);
        assertEquals(TerminationCause.RUNTIME_SHUTDOWN,
                kit.await("the stuck agent to terminate once its callback returned", stuckTerminated),
                "rule 8.7, 3.3: once its callback returned, the stuck agent terminates (cause RUNTIME_SHUTDOWN)");
        assertEquals(1, stuckStops.get(), "rule 3.3: the stuck agent's onStop runs exactly once, after its callback"
                + " returned");
    }

    // =========================================================================== 8.9

    @Example
    default void required_spec_8_9_shutdownAndCloseFromAnAgentFailAtOnce() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.newRuntime();
        final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        final Recorder<String> agent = kit.recorder(rt, String.class, SpawnOptions.defaults());
        agent.behave((m, ctx) -> {
            try {
                if (m.equals("close")) {
                    ctx.runtime().close();
                } else {
                    ctx.runtime().shutdown(Duration.ofMillis(1));
                }
                errors.add(new AssertionError(m + "() from an agent returned instead of failing"));
            } catch (FlinException e) {
                errors.add(e);
            }
        });
        agent.ref().tell("close");
        agent.ref().tell("shutdown");
        kit.await("both calls to fail", () -> errors.size() == 2);
        for (final Throwable e : errors) {
            final FlinException refused = assertInstanceOf(FlinException.class, e, String.valueOf(e));
            assertEquals("8.9", refused.rule(), "rule 8.9: the error names this rule: " + e.getMessage());
            assertTrue(e.getMessage().contains(agent.id().toString()), "it names the agent: " + e.getMessage());
        }
        assertFalse(rt.isShutdown(), "rule 8.9: a refused shutdown stops nothing");
        agent.ref().tell("close-not");
        assertEquals(AgentState.RUNNING, rt.state(agent.id()).orElseThrow());
    }

    // =========================================================================== 8.10

    @Example
    default void required_spec_8_10_anAskWithAnEnormousTimeoutIsSentAndAnswered() {
        final Kit kit = kit();
        final AgentRef<Req> echo = kit.runtime().spawn(Req.class, () -> (m, ctx) -> m.reply().reply(m.n()));
        final List<Duration> forever = List.of(Duration.ofSeconds(Long.MAX_VALUE), ChronoUnit.FOREVER.getDuration(),
                Duration.ofNanos(Long.MAX_VALUE), Duration.ofDays(365L * 300));
        int n = 0;
        for (final Duration timeout : forever) {
            final int expected = ++n;
            final CompletionStage<Integer> stage = echo.ask(r -> new Req(expected, r), timeout);
            assertEquals(expected, (int) kit.await("the ask with timeout " + timeout, stage),
                    "rule 8.10: a timeout beyond the clock means never, and must not fail the ask");
        }
    }

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_8_10_timersBeyondTheClockStartAndNeverFire() {
        final Kit kit = kit();
        final AtomicReference<Throwable> failed = new AtomicReference<>();
        final Recorder<String> agent = kit.recorder(String.class);
        agent.behave((m, ctx) -> {
            if (m.equals("start")) {
                try {
                    ctx.timers().startSingle("far", "far", Duration.ofDays(365L * 300));
                    ctx.timers().startSingle("forever", "forever", ChronoUnit.FOREVER.getDuration());
                    ctx.timers().startFixedRate("rate", "tick", Duration.ZERO, Duration.ofSeconds(Long.MAX_VALUE));
                } catch (Throwable t) {
                    failed.set(t);
                }
            } else if (m.equals("cancel")) {
                if (!(ctx.timers().isActive("far") && ctx.timers().cancel("far") && ctx.timers().cancel("forever"))) {
                    failed.set(new AssertionError("the far timers were not active until cancelled"));
                }
            }
        });
        agent.ref().tell("start");
        kit.await("the first tick of the fixed-rate timer", () -> agent.messages().contains("tick"));
        assertEquals(null, failed.get(), "rule 8.10: starting a timer beyond the clock's range must not fail");
        kit.expectNothing("a timer beyond the clock's range fired", () -> agent.messages().contains("far")
                || agent.messages().contains("forever") || agent.messages().stream().filter("tick"::equals).count() > 1);
        agent.ref().tell("cancel");
        agent.awaitCount(3);
        assertEquals(null, failed.get());
    }

    @Example
    default void required_spec_8_10_badDurationsAreRefusedBeforeAnythingIsSent() throws Exception {
        final Kit kit = kit();
        final Recorder<Req> agent = kit.recorder(Req.class);
        final long accepted = kit.runtime().counters().accepted();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> agent.ref().<Integer>ask(r -> new Req(1, r), Duration.ofSeconds(-1)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> agent.ref().<Integer>ask(r -> new Req(1, r), Duration.ZERO));
        assertEquals(accepted, kit.runtime().counters().accepted(), "rule 8.10: a refused duration enqueued something");
        final AgentRuntime rt = kit.newRuntime();
        assertTrue(kit.within("shutdown(FOREVER) of an idle runtime",
                () -> rt.shutdown(ChronoUnit.FOREVER.getDuration())), "an idle runtime stops gracefully");
    }

    // =========================================================================== 8.11

    @Example
    @RequiresCapability(Capability.PAUSE)
    default void required_spec_8_11_controlCallsReturnStagesThatCompleteWithTheirEffect() {
        final Kit kit = kit();
        final Recorder<Integer> agent = kit.recorder(Integer.class);
        agent.ref().tell(0);
        agent.awaitCount(1);
        assertEquals(AgentState.PAUSED, kit.await("pause", kit.runtime().pause(agent.id())));
        assertEquals(AgentState.PAUSED, kit.runtime().state(agent.id()).orElseThrow(),
                "rule 8.11: once the pause stage completed, state() shows it");
        assertEquals(AgentState.PAUSED, kit.await("a second pause", kit.runtime().pause(agent.id())));
        agent.ref().tell(1);
        kit.expectNothing("a paused agent processed a message", () -> agent.count() > 1);
        assertEquals(AgentState.RUNNING, kit.await("resume", kit.runtime().resume(agent.id())));
        agent.awaitCount(2);
        final AgentState raced = kit.await("a pause superseded by a resume", kit.runtime().pause(agent.id()));
        kit.await("the resume after it", kit.runtime().resume(agent.id()));
        assertTrue(raced == AgentState.PAUSED || raced == AgentState.RUNNING, "superseded pause completed with " + raced);
        assertEquals(AgentState.RUNNING, kit.runtime().state(agent.id()).orElseThrow());
        final CompletionStage<TerminationCause> stopped = kit.runtime().stop(agent.id());
        assertEquals(TerminationCause.STOPPED, kit.await("stop", stopped),
                "rule 8.11: the stop stage completes with the cause, never UNKNOWN");
        assertEquals(TerminationCause.STOPPED, kit.await("stop, asked again", stopped));
        org.junit.jupiter.api.Assertions.assertThrows(AgentNotFoundException.class, () -> kit.runtime().pause(agent.id()));
    }

    @Example
    default void required_spec_8_11_theStopStageOfAFastStopNamesTheCause() {
        final Kit kit = kit();
        for (int i = 0; i < 50; i++) {
            final AgentRef<Integer> agent = kit.runtime().spawn(Integer.class, () -> (m, ctx) -> { });
            assertEquals(TerminationCause.STOPPED, kit.await("stop " + i, kit.runtime().stop(agent.id())),
                    "rule 8.11: whenTerminated may say UNKNOWN after a fast stop; the stop stage may not");
        }
    }
}

package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.FlinException;
import dev.flin.runtime.RuntimeCounters;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Example;

/**
 * Checks of the rules spec 0.2 added or clarified (marked *(0.2)* in {@code docs/spec.md}), from
 * every section; named {@code required_spec_N_M_...} like the others. They were written from the
 * gaps an independent suite found in 0.1 (issue 12): each would have failed on the 0.1 reference
 * runtime or on the faulty runtime that loses accepted messages behind derived counters.
 */
public interface ClarifiedRules extends KitSupport {

    /** The request of these checks. */
    record Req(int n, dev.flin.runtime.Reply<Integer> reply) { }

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

    // =========================================================================== 8.7

    @Example
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
            // The spec bounds shutdown by its timeout plus the grace the runtime documents (declared by
            // the provider); the kit adds its await timeout as slack for a slow machine.
            final Duration timeout = Duration.ofMillis(300);
            final Duration bound = timeout.plus(kit.shutdownGrace()).plus(kit.timeouts().awaitSignal());
            final CompletableFuture<Boolean> result = new CompletableFuture<>();
            final var unused = kit.fork(() -> {
                try {
                    result.complete(rt.shutdown(timeout));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            final boolean graceful;
            try {
                graceful = result.get(bound.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("rule 8.7: shutdown(" + timeout + ") with a callback that never returns"
                        + " did not return within the timeout + the documented grace " + kit.shutdownGrace()
                        + " (+ " + kit.timeouts().awaitSignal() + " slack)");
            }
            assertFalse(graceful, "rule 8.7: a callback that never returned: not graceful");
            assertEquals(TerminationCause.RUNTIME_SHUTDOWN, kit.await("the other agent", otherStopped),
                    "rule 8.7: every agent whose callback returned is TERMINATED");
        } finally {
            gate.release();
        }
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

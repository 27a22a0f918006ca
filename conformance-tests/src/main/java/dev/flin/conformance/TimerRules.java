package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.Timers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Example;

/**
 * Checks of section 7 of {@code docs/spec.md}: Timers. One method or more per rule, named
 * {@code required_spec_7_M_...} (MUST), {@code optional_spec_7_M_...} (SHOULD/MAY) or
 * {@code untested_spec_7_M_...} (not checkable yet: always reported as skipped).
 *
 * <p>The probe is a {@link Recorder} that runs {@link Do} commands on its own agent thread (timers
 * are agent-thread only, rule 7.6) and records every message in processing order. "After cancel"
 * is therefore decided by the agent's own order, never by timing; the only timing assertion is the
 * lower bound of rule 7.2, measured with {@link System#nanoTime}.
 */
public interface TimerRules extends KitSupport {

    /** Something to do on the probe's agent thread. */
    @FunctionalInterface
    interface Action {
        /**
         * @param context the probe's context
         * @return a result handed back to the check
         * @throws Exception a failure handed back to the check (the agent does not fail)
         */
        Object run(AgentContext<Object> context) throws Exception;
    }

    /**
     * A command for the probe.
     *
     * @param action what to run
     * @param done   completed with the action's result or failure
     */
    record Do(Action action, CompletableFuture<Object> done) { }

    /**
     * A timer message.
     *
     * @param key the timer's key
     * @param n   a number to tell messages of one key apart
     */
    record Tick(String key, int n) { }

    // =========================================================================== helpers

    /** Spawns a probe that runs {@link Do} commands, throws on "boom", and stamps every tick. */
    private Recorder<Object> probe(final AgentRuntime rt, final SpawnOptions options, final Map<Tick, Long> stamps) {
        final Recorder<Object> probe = kit().recorder(rt, Object.class, options);
        probe.behave((m, ctx) -> {
            if (m instanceof Tick tick) {
                stamps.putIfAbsent(tick, System.nanoTime());
            } else if (m instanceof Do command) {
                try {
                    command.done().complete(command.action().run(ctx));
                } catch (Throwable t) {
                    command.done().completeExceptionally(t);
                }
            } else if ("boom".equals(m)) {
                throw new IllegalStateException("planned failure");
            }
        });
        return probe;
    }

    private Recorder<Object> probe() {
        return probe(kit().runtime(), SpawnOptions.defaults(), new ConcurrentHashMap<>());
    }

    /** Runs an action on the probe's agent thread and returns its result. */
    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // the caller names what its action returns
    private <T> T on(final Recorder<Object> probe, final String what, final Action action) {
        final CompletableFuture<Object> done = new CompletableFuture<>();
        probe.ref().tell(new Do(action, done));
        return (T) kit().await(what, done);
    }

    private static long ticks(final Recorder<Object> probe, final String key) {
        return probe.messages().stream().filter(m -> m instanceof Tick t && t.key().equals(key)).count();
    }

    /** Index of the first tick of {@code key} at or after {@code from} in processing order, or -1. */
    private static int tickAfter(final List<Object> messages, final int from, final String key) {
        for (int i = from; i < messages.size(); i++) {
            if (messages.get(i) instanceof Tick t && t.key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** Sends, retrying while the mailbox is full (bounded by the kit's await timeout). */
    private void tellWhenThereIsRoom(final Recorder<Object> probe, final Object message) {
        kit().await("room in the mailbox for " + message, () -> {
            try {
                probe.ref().tell(message);
                return true;
            } catch (dev.flin.runtime.MailboxFullException full) {
                return false;
            }
        });
    }

    /** Agent thread: waits (bounded, polling) until the probe's own mailbox holds {@code n} messages. */
    private void awaitOwnDepth(final AgentContext<Object> ctx, final int n) {
        kit().await(n + " timer message(s) in the mailbox",
                () -> ctx.runtime().mailboxDepth(ctx.self().id()) >= n);
    }

    // =========================================================================== 7.1

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_1_singleTimerFiresOnceThenIsInactive() {
        final Recorder<Object> probe = probe();
        final Boolean activeAfterStart = on(probe, "start a one-shot timer", ctx -> {
            ctx.timers().startSingle("once", new Tick("once", 0), Duration.ofMillis(10));
            return ctx.timers().isActive("once");
        });
        assertTrue(activeAfterStart, "a started one-shot timer is active");
        kit().await("the one-shot timer message", () -> ticks(probe, "once") == 1);
        final Boolean activeAfterDelivery = on(probe, "isActive after delivery", ctx -> ctx.timers().isActive("once"));
        assertFalse(activeAfterDelivery, "a one-shot timer stops being active when its message is delivered");
        on(probe, "start a later timer", ctx -> {
            ctx.timers().startSingle("later", new Tick("later", 0), Duration.ofMillis(40));
            return null;
        });
        kit().await("the later timer message", () -> ticks(probe, "later") == 1);
        assertEquals(1, ticks(probe, "once"), "a one-shot timer fires once");
    }

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_1_fixedRateTimerRepeatsUntilCancelled() {
        final Recorder<Object> probe = probe();
        on(probe, "start a fixed-rate timer", ctx -> {
            ctx.timers().startFixedRate("rate", new Tick("rate", 0), Duration.ZERO, Duration.ofMillis(5));
            return null;
        });
        kit().await("three ticks of the fixed-rate timer", () -> ticks(probe, "rate") >= 3);
        final Boolean[] states = on(probe, "cancel the fixed-rate timer", ctx -> {
            final boolean active = ctx.timers().isActive("rate");
            final boolean cancelled = ctx.timers().cancel("rate");
            return new Boolean[] {active, cancelled, ctx.timers().isActive("rate")};
        });
        assertTrue(states[0], "a fixed-rate timer stays active after its ticks");
        assertTrue(states[1], "cancel of an active timer returns true");
        assertFalse(states[2], "a cancelled timer is not active");
    }

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_1_startingAnActiveKeyReplacesItsTimer() {
        final Kit kit = kit();
        final Recorder<Object> probe = probe();
        final long staleBefore = kit.runtime().counters().staleTimerMessages();
        // the old timer's message is already in the mailbox when the key is started again
        on(probe, "start a timer, let it enqueue, start the key again", ctx -> {
            ctx.timers().startSingle("k", new Tick("k", 1), Duration.ZERO);
            awaitOwnDepth(ctx, 1);
            ctx.timers().startSingle("k", new Tick("k", 2), Duration.ZERO);
            return null;
        });
        kit.await("the replacing timer's message", () -> probe.messages().contains(new Tick("k", 2)));
        kit.await("the replaced message to be discarded as stale",
                () -> kit.runtime().counters().staleTimerMessages() > staleBefore);
        assertFalse(probe.messages().contains(new Tick("k", 1)), "the replaced timer's message must not be delivered");
        // the old timer has not fired yet when the key is started again
        on(probe, "start a slow timer and replace it with a fast one", ctx -> {
            ctx.timers().startSingle("j", new Tick("j", 1), Duration.ofMillis(30));
            ctx.timers().startSingle("j", new Tick("j", 2), Duration.ofMillis(1));
            ctx.timers().startSingle("after", new Tick("after", 0), Duration.ofMillis(80));
            return null;
        });
        kit.await("a timer due after the replaced one", () -> probe.messages().contains(new Tick("after", 0)));
        assertTrue(probe.messages().contains(new Tick("j", 2)));
        assertFalse(probe.messages().contains(new Tick("j", 1)), "the replaced timer must not fire");
    }

    // =========================================================================== 7.2

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_2_oneShotTimersAreNeverEarly() {
        final Map<Tick, Long> stamps = new ConcurrentHashMap<>();
        final Recorder<Object> probe = probe(kit().runtime(), SpawnOptions.defaults(), stamps);
        final int[] delays = {1, 15, 40};
        final Long start = on(probe, "start three one-shot timers", ctx -> {
            final long now = System.nanoTime();
            for (final int delay : delays) {
                ctx.timers().startSingle("d" + delay, new Tick("d" + delay, delay), Duration.ofMillis(delay));
            }
            return now;
        });
        for (final int delay : delays) {
            final Tick tick = new Tick("d" + delay, delay);
            kit().await("the timer of " + delay + " ms", () -> stamps.containsKey(tick));
            final long waited = stamps.get(tick) - start;
            assertTrue(waited >= Duration.ofMillis(delay).toNanos(),
                    "a " + delay + " ms timer was delivered after " + waited / 1_000 + " us");
        }
    }

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_2_fixedRateTicksAreNeverEarly() {
        final List<Long> at = java.util.Collections.synchronizedList(new ArrayList<>());
        final Recorder<Object> probe = kit().recorder(Object.class);
        final long initial = Duration.ofMillis(20).toNanos();
        final long period = Duration.ofMillis(10).toNanos();
        final AtomicReference<Long> start = new AtomicReference<>();
        probe.behave((m, ctx) -> {
            if ("start".equals(m)) {
                start.set(System.nanoTime());
                ctx.timers().startFixedRate("r", new Tick("r", 0), Duration.ofNanos(initial), Duration.ofNanos(period));
            } else if (m instanceof Tick) {
                at.add(System.nanoTime());
                if (at.size() == 4) {
                    ctx.timers().cancel("r");
                }
            }
        });
        probe.ref().tell("start");
        kit().await("four ticks", () -> at.size() >= 4);
        for (int n = 0; n < 4; n++) {
            final long due = initial + n * period;
            final long waited = at.get(n) - start.get();
            assertTrue(waited >= due, "tick " + n + " was due after " + due / 1_000 + " us, delivered after "
                    + waited / 1_000 + " us");
        }
    }

    // =========================================================================== 7.3

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_3_cancelDropsAMessageAlreadyInTheMailbox() {
        final Kit kit = kit();
        final Recorder<Object> probe = probe();
        final long staleBefore = kit.runtime().counters().staleTimerMessages();
        final Boolean cancelled = on(probe, "start a timer, let it enqueue, cancel it", ctx -> {
            ctx.timers().startSingle("k", new Tick("k", 0), Duration.ZERO);
            awaitOwnDepth(ctx, 1);
            return ctx.timers().cancel("k");
        });
        assertTrue(cancelled, "the timer was active (its message not yet delivered) when cancelled");
        kit.await("the cancelled timer's message to be counted as stale",
                () -> kit.runtime().counters().staleTimerMessages() > staleBefore);
        assertEquals(staleBefore + 1, kit.runtime().counters().staleTimerMessages());
        assertFalse(probe.messages().contains(new Tick("k", 0)), "a cancelled timer's message must not be delivered");
    }

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_3_cancelAllDropsEveryTimer() {
        final Kit kit = kit();
        final Recorder<Object> probe = probe();
        final long staleBefore = kit.runtime().counters().staleTimerMessages();
        on(probe, "start two timers, let them enqueue, cancel all", ctx -> {
            ctx.timers().startSingle("a", new Tick("a", 0), Duration.ZERO);
            ctx.timers().startSingle("b", new Tick("b", 0), Duration.ZERO);
            awaitOwnDepth(ctx, 2);
            ctx.timers().cancelAll();
            return null;
        });
        kit.await("both messages to be counted as stale",
                () -> kit.runtime().counters().staleTimerMessages() >= staleBefore + 2);
        assertEquals(0, ticks(probe, "a") + ticks(probe, "b"), "cancelled timers' messages must not be delivered");
        final Boolean[] active = on(probe, "isActive after cancelAll",
                ctx -> new Boolean[] {ctx.timers().isActive("a"), ctx.timers().isActive("b")});
        assertFalse(active[0] || active[1]);
    }

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_3_noTickIsDeliveredAfterCancelReturns() {
        final Recorder<Object> probe = probe();
        on(probe, "start a fast fixed-rate timer", ctx -> {
            ctx.timers().startFixedRate("fast", new Tick("fast", 0), Duration.ZERO, Duration.ofMillis(1));
            return null;
        });
        kit().await("five ticks", () -> ticks(probe, "fast") >= 5);
        final Do cancel = new Do(ctx -> ctx.timers().cancel("fast"), new CompletableFuture<>());
        probe.ref().tell(cancel);
        assertEquals(true, kit().await("the cancel", cancel.done()));
        kit().expectNothing("a tick delivered after cancel returned", () -> {
            final List<Object> messages = probe.messages();
            return tickAfter(messages, messages.indexOf(cancel) + 1, "fast") >= 0;
        });
    }

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_3_cancelReportsWhetherATimerWasActive() {
        final Recorder<Object> probe = probe();
        final Boolean unknown = on(probe, "cancel an unknown key", ctx -> ctx.timers().cancel("nothing"));
        assertFalse(unknown, "cancel of a key without a timer returns false");
        on(probe, "start a one-shot", ctx -> {
            ctx.timers().startSingle("k", new Tick("k", 0), Duration.ZERO);
            return null;
        });
        kit().await("the one-shot's message", () -> ticks(probe, "k") == 1);
        final Boolean delivered = on(probe, "cancel a delivered one-shot", ctx -> ctx.timers().cancel("k"));
        assertFalse(delivered, "a delivered one-shot timer is no longer active");
    }

    // =========================================================================== 7.4

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_4_restartCancelsEveryTimer() {
        final Kit kit = kit();
        final Recorder<Object> probe = probe(kit.runtime(),
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)), new ConcurrentHashMap<>());
        on(probe, "start a fixed-rate and a one-shot timer", ctx -> {
            ctx.timers().startFixedRate("rate", new Tick("rate", 0), Duration.ZERO, Duration.ofMillis(2));
            ctx.timers().startSingle("single", new Tick("single", 0), Duration.ofMillis(40));
            return null;
        });
        kit.await("two ticks", () -> ticks(probe, "rate") >= 2);
        probe.ref().tell("boom");
        final Boolean[] active = on(probe, "isActive in the new instance",
                ctx -> new Boolean[] {ctx.timers().isActive("rate"), ctx.timers().isActive("single")});
        assertEquals(2, probe.instances(), "the agent restarted once");
        assertFalse(active[0] || active[1], "the new instance has no timers");
        kit.expectNothing("a timer message delivered after the restart", () -> {
            final List<Object> messages = probe.messages();
            final int boom = messages.indexOf("boom");
            return tickAfter(messages, boom + 1, "rate") >= 0 || tickAfter(messages, boom + 1, "single") >= 0;
        });
    }

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_4_stopCancelsEveryTimer() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Object> probe = probe();
        on(probe, "start a fixed-rate and a one-shot timer", ctx -> {
            ctx.timers().startFixedRate("rate", new Tick("rate", 0), Duration.ZERO, Duration.ofMillis(2));
            ctx.timers().startSingle("single", new Tick("single", 0), Duration.ofMillis(40));
            return null;
        });
        kit.await("two ticks", () -> ticks(probe, "rate") >= 2);
        final CompletableFuture<?> terminated = rt.whenTerminated(probe.id()).toCompletableFuture();
        rt.stop(probe.id());
        kit.await("the agent to terminate", terminated);
        final RuntimeCounters at = rt.counters();
        // A firing already under way when the timers were cancelled may still knock once; a timer
        // that was not cancelled keeps knocking (every 2 ms) and each refusal is counted.
        kit.expectNothing("timers of a terminated agent still firing", () -> {
            final RuntimeCounters now = rt.counters();
            return now.rejectedNotFound() + now.rejectedFull() + now.accepted()
                    - at.rejectedNotFound() - at.rejectedFull() - at.accepted() > 2;
        });
    }

    // =========================================================================== 7.5

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_5_fixedRateTicksFindingAFullMailboxAreSkippedAndCounted() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Object> probe = kit.recorder(rt, Object.class, SpawnOptions.defaults().withMailboxCapacity(2));
        final int capacity = rt.mailboxCapacity(probe.id());
        final CompletableFuture<Integer> held = new CompletableFuture<>();
        probe.behave((m, ctx) -> {
            if ("start".equals(m)) {
                try {
                    final long before = rt.counters().rejectedFull();
                    ctx.timers().startFixedRate("rate", new Tick("rate", 0), Duration.ZERO, Duration.ofMillis(1));
                    final int[] maxDepth = {0};
                    kit.await("three ticks refused by the full mailbox", () -> {
                        maxDepth[0] = Math.max(maxDepth[0], rt.mailboxDepth(ctx.self().id()));
                        return rt.counters().rejectedFull() >= before + 3;
                    });
                    held.complete(maxDepth[0]);
                } catch (Throwable t) {
                    held.completeExceptionally(t);
                }
            } else if (m instanceof Tick) {
                ctx.timers().cancel("rate");
            }
        });
        probe.ref().tell("start");
        final int maxDepth = kit.await("the ticks to fill the mailbox and be refused", held);
        assertTrue(maxDepth <= capacity, "the mailbox held " + maxDepth + " messages, capacity " + capacity);
        tellWhenThereIsRoom(probe, "marker");
        kit.await("the marker", () -> probe.messages().contains("marker"));
        assertEquals(1, ticks(probe, "rate"), "the first tick cancels the timer: the queued ones are stale");
    }

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_5_oneShotTimerRetriesWhenTheMailboxIsFull() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Object> probe = kit.recorder(rt, Object.class, SpawnOptions.defaults().withMailboxCapacity(2));
        final int capacity = rt.mailboxCapacity(probe.id());
        final CompletableFuture<Integer> held = new CompletableFuture<>();
        probe.behave((m, ctx) -> {
            if ("start".equals(m)) {
                try {
                    int filled = 0;
                    try {
                        while (filled <= capacity) {
                            ctx.self().tell("filler");
                            filled++;
                        }
                    } catch (dev.flin.runtime.MailboxFullException expected) {
                        // full now
                    }
                    final long before = rt.counters().rejectedFull();
                    ctx.timers().startSingle("once", new Tick("once", 0), Duration.ZERO);
                    kit.await("the one-shot timer to be refused by the full mailbox",
                            () -> rt.counters().rejectedFull() > before);
                    assertTrue(rt.mailboxDepth(ctx.self().id()) <= capacity);
                    held.complete(filled);
                } catch (Throwable t) {
                    held.completeExceptionally(t);
                }
            }
        });
        probe.ref().tell("start");
        assertEquals(capacity, kit.await("the agent to fill its mailbox and see the timer refused", held));
        kit.await("the one-shot timer to be delivered once there is room", () -> ticks(probe, "once") == 1);
        tellWhenThereIsRoom(probe, "marker");
        kit.await("the marker", () -> probe.messages().contains("marker"));
        assertEquals(1, ticks(probe, "once"), "a one-shot timer delivers once");
    }

    // =========================================================================== 7.6

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_6_timersRefuseOtherThreads() {
        final Kit kit = kit();
        final Recorder<Object> probe = probe();
        final AgentContext<Object> leakedContext = on(probe, "leak the context", ctx -> ctx);
        final Timers<Object> leaked = on(probe, "leak the timers", AgentContext::timers);
        final Tick tick = new Tick("x", 0);
        assertThrows(IllegalStateException.class, () -> leaked.startSingle("x", tick, Duration.ZERO), "startSingle");
        assertThrows(IllegalStateException.class,
                () -> leaked.startFixedRate("x", tick, Duration.ZERO, Duration.ofMillis(1)), "startFixedRate");
        assertThrows(IllegalStateException.class, () -> leaked.cancel("x"), "cancel");
        assertThrows(IllegalStateException.class, leaked::cancelAll, "cancelAll");
        assertThrows(IllegalStateException.class, () -> leaked.isActive("x"), "isActive");
        assertThrows(IllegalStateException.class,
                () -> leakedContext.timers().startSingle("x", tick, Duration.ZERO), "timers() off the agent thread");

        // another agent's thread is not the agent thread either
        final CompletableFuture<Throwable> fromOther = new CompletableFuture<>();
        final Recorder<Object> other = kit.recorder(Object.class);
        other.behave((m, ctx) -> {
            try {
                leaked.startSingle("x", tick, Duration.ZERO);
                fromOther.complete(null);
            } catch (Throwable t) {
                fromOther.complete(t);
            }
        });
        other.ref().tell("go");
        final Throwable refused = kit.await("another agent using the probe's timers", fromOther);
        assertTrue(refused instanceof IllegalStateException,
                "timers used on another agent's thread must throw IllegalStateException, got " + refused);

        on(probe, "start a timer on the right thread", ctx -> {
            ctx.timers().startSingle("y", new Tick("y", 0), Duration.ofMillis(20));
            return null;
        });
        kit.await("the legitimate timer", () -> ticks(probe, "y") == 1);
        assertEquals(0, ticks(probe, "x"), "a refused timer call must not start a timer");
    }
}

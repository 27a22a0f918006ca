package dev.flin.runtime.core;

import static dev.flin.runtime.core.MessagingSupport.WAIT;
import static dev.flin.runtime.core.MessagingSupport.agent;
import static dev.flin.runtime.core.MessagingSupport.assertConservation;
import static dev.flin.runtime.core.MessagingSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.Timers;
import dev.flin.runtime.core.MessagingSupport.Runtimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Section 7 of the spec: timers. All timing runs on the deterministic dispatcher's manual clock. */
class TimersTest {

    private static final Duration MS_10 = Duration.ofMillis(10);

    private final Runtimes runtimes = new Runtimes();
    private AgentRuntime rt;
    private DeterministicDispatcher d;

    @AfterEach
    void shutDown() {
        runtimes.close();
    }

    private void deterministic() {
        rt = runtimes.deterministic();
        d = runtimes.det();
    }

    private void pause(final AgentId id) {
        rt.pause(id);
        d.runUntilIdle();
        assertEquals(AgentState.PAUSED, rt.state(id).orElseThrow());
    }

    private void resume(final AgentId id) {
        rt.resume(id);
        d.runUntilIdle();
    }

    private static long count(final List<String> seen, final String what) {
        return seen.stream().filter(what::equals).count();
    }

    // ---------------------------------------------------------------- 7.1 keyed timers, same key replaces

    @Test
    void spec_7_1_fixedRateTimerTicksOncePerPeriod() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        rt.spawn(String.class, () -> agent(
                ctx -> ctx.timers().startFixedRate("tick", "tick", Duration.ofMillis(5), MS_10),
                (m, ctx) -> seen.add(m)));
        d.runUntilIdle();
        d.advanceTime(Duration.ofMillis(4));
        assertEquals(0, seen.size(), "initial delay not reached");
        d.advanceTime(Duration.ofMillis(1));
        assertEquals(1, seen.size(), "first tick after the initial delay");
        for (int period = 1; period <= 20; period++) {
            d.advanceTime(MS_10);
            assertEquals(1 + period, seen.size(), "one tick per period");
        }
        d.advanceTime(Duration.ofSeconds(1)); // a big jump fires every tick that falls due
        assertEquals(121, count(seen, "tick"));
    }

    @Test
    void spec_7_1_sameKeyReplacesTheTimer() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final List<Boolean> active = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> agent(
                ctx -> ctx.timers().startSingle("k", "first", Duration.ofMillis(50)),
                (m, ctx) -> {
                    seen.add(m);
                    if (m.equals("replace")) {
                        ctx.timers().startSingle("k", "second", Duration.ofMillis(100));
                    }
                    active.add(ctx.timers().isActive("k"));
                }));
        d.runUntilIdle();
        d.advanceTime(Duration.ofMillis(20));
        a.tell("replace");                      // at t=20: "second" due at t=120
        d.advanceTime(Duration.ofMillis(80));  // t=100: "first" would have been due at t=50
        assertEquals(List.of("replace"), seen);
        d.advanceTime(Duration.ofMillis(20));  // t=120
        assertEquals(List.of("replace", "second"), seen);
        d.advanceTime(Duration.ofSeconds(10));
        assertEquals(List.of("replace", "second"), seen, "neither timer fires again");
        assertEquals(List.of(true, false), active, "a one-shot timer is inactive once delivered");
    }

    @Test
    void spec_7_1_singleTimerReplacesAFixedRateTimerOfTheSameKey() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> agent(
                ctx -> ctx.timers().startFixedRate("k", "tick", MS_10, MS_10),
                (m, ctx) -> {
                    seen.add(m);
                    if (m.equals("switch")) {
                        ctx.timers().startSingle("k", "once", Duration.ofMillis(15));
                    }
                }));
        d.runUntilIdle();
        d.advanceTime(Duration.ofMillis(30)); // ticks at 10, 20, 30
        a.tell("switch");
        d.advanceTime(Duration.ofMillis(100));
        assertEquals(List.of("tick", "tick", "tick", "switch", "once"), seen);
    }

    @Test
    void spec_7_1_timersWithDifferentKeysAreIndependent() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        rt.spawn(String.class, () -> agent(ctx -> {
            ctx.timers().startSingle("a", "a", Duration.ofMillis(10));
            ctx.timers().startSingle("b", "b", Duration.ofMillis(20));
            ctx.timers().startFixedRate("c", "c", Duration.ofMillis(15), Duration.ofMillis(15));
        }, (m, ctx) -> seen.add(m)));
        d.runUntilIdle();
        d.advanceTime(Duration.ofMillis(30));
        assertEquals(List.of("a", "c", "b", "c"), seen);
    }

    // ---------------------------------------------------------------- 7.2 never before its delay

    @Test
    void spec_7_2_singleTimerIsNeverDeliveredBeforeItsDelay() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> agent(
                ctx -> ctx.timers().startSingle("k", "due", Duration.ofMillis(100)),
                (m, ctx) -> {
                    seen.add(m);
                    if (m.equals("later")) { // a timer started at t=30 counts its delay from t=30
                        ctx.timers().startSingle("k2", "due2", Duration.ofMillis(50));
                    }
                }));
        d.runUntilIdle();
        d.advanceTime(Duration.ofMillis(30));
        a.tell("later");
        d.advanceTime(Duration.ofMillis(50).minusNanos(1)); // t = 80 ms - 1 ns
        assertEquals(List.of("later"), seen);
        d.advanceTime(Duration.ofNanos(1));                  // t = 80 ms
        assertEquals(List.of("later", "due2"), seen);
        d.advanceTime(Duration.ofMillis(20).minusNanos(1)); // t = 100 ms - 1 ns
        assertEquals(List.of("later", "due2"), seen);
        d.advanceTime(Duration.ofNanos(1));                  // t = 100 ms
        assertEquals(List.of("later", "due2", "due"), seen);
    }

    @Test
    void spec_7_2_zeroDelayTimerStillGoesThroughTheMailboxAfterTheCurrentMessage() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> (m, ctx) -> {
            if (m.equals("start")) {
                ctx.timers().startSingle("now", "timer", Duration.ZERO);
            }
            seen.add(m);
        });
        a.tell("start");
        d.advanceTime(Duration.ZERO);
        assertEquals(List.of("start", "timer"), seen);
    }

    // ---------------------------------------------------------------- 7.3 cancel is exact

    @Test
    void spec_7_3_cancelIsExactEvenWhenTheTimerMessageIsAlreadyEnqueued() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final List<Boolean> cancelled = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> agent(
                ctx -> ctx.timers().startSingle("k", "timer", MS_10),
                (m, ctx) -> {
                    seen.add(m);
                    if (m.equals("X")) {
                        cancelled.add(ctx.timers().cancel("k"));
                        cancelled.add(ctx.timers().isActive("k"));
                    }
                }));
        d.runUntilIdle();
        pause(a.id());
        a.tell("X");                         // X first ...
        d.advanceTime(MS_10);                // ... then the timer message, enqueued behind X
        assertEquals(2, rt.mailboxDepth(a.id()), "X and the timer message wait in the mailbox");
        final RuntimeCounters before = rt.counters();

        resume(a.id());                      // X cancels the timer whose message is already behind it
        d.advanceTime(Duration.ofSeconds(1));
        assertEquals(List.of("X"), seen, "a cancelled timer's message must never be delivered");
        assertEquals(List.of(true, false), cancelled);
        final RuntimeCounters after = rt.counters();
        assertEquals(before.staleTimerMessages() + 1, after.staleTimerMessages());
        assertEquals(before.processed() + 1, after.processed(), "a stale timer message is not processed");
        assertConservation(after);
    }

    @Test
    void spec_7_3_cancelBeforeFiringPreventsDeliveryWithoutAnythingEnqueued() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final List<Boolean> results = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> agent(
                ctx -> ctx.timers().startSingle("k", "timer", Duration.ofMillis(50)),
                (m, ctx) -> {
                    seen.add(m);
                    results.add(ctx.timers().cancel("k"));
                    results.add(ctx.timers().cancel("k"));       // already cancelled
                    results.add(ctx.timers().cancel("unknown"));
                }));
        d.runUntilIdle();
        a.tell("cancel");
        d.advanceTime(Duration.ofSeconds(1));
        assertEquals(List.of("cancel"), seen);
        assertEquals(List.of(true, false, false), results);
        assertEquals(0, rt.counters().staleTimerMessages(), "nothing was enqueued");
        assertEquals(1, rt.counters().accepted());
    }

    @Test
    void spec_7_3_cancellingAFixedRateTimerDiscardsEveryEnqueuedTick() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> agent(
                ctx -> ctx.timers().startFixedRate("tick", "tick", MS_10, MS_10),
                (m, ctx) -> {
                    seen.add(m);
                    if (m.equals("X")) {
                        ctx.timers().cancel("tick");
                    }
                }));
        d.runUntilIdle();
        d.advanceTime(MS_10);                 // one tick delivered normally
        pause(a.id());
        a.tell("X");
        d.advanceTime(Duration.ofMillis(30)); // three ticks enqueued behind X
        assertEquals(4, rt.mailboxDepth(a.id()));
        resume(a.id());
        d.advanceTime(Duration.ofSeconds(1));
        assertEquals(List.of("tick", "X"), seen);
        assertEquals(3, rt.counters().staleTimerMessages());
        assertConservation(rt.counters());
    }

    @Test
    void spec_7_3_replacingATimerMakesItsEnqueuedMessageStale() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> agent(
                ctx -> ctx.timers().startSingle("k", "old", MS_10),
                (m, ctx) -> {
                    seen.add(m);
                    if (m.equals("X")) {
                        ctx.timers().startSingle("k", "new", MS_10);
                    }
                }));
        d.runUntilIdle();
        pause(a.id());
        a.tell("X");
        d.advanceTime(MS_10); // "old" enqueued behind X
        resume(a.id());
        d.advanceTime(Duration.ofSeconds(1));
        assertEquals(List.of("X", "new"), seen);
        assertEquals(1, rt.counters().staleTimerMessages());
    }

    @Test
    void spec_7_3_cancelAllIsExact() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> agent(ctx -> {
            ctx.timers().startSingle("one", "one", MS_10);
            ctx.timers().startFixedRate("many", "many", MS_10, MS_10);
            ctx.timers().startSingle("far", "far", Duration.ofHours(1));
        }, (m, ctx) -> {
            seen.add(m);
            if (m.equals("X")) {
                ctx.timers().cancelAll();
            }
        }));
        d.runUntilIdle();
        pause(a.id());
        a.tell("X");
        d.advanceTime(Duration.ofMillis(20)); // one, many, many enqueued
        resume(a.id());
        d.advanceTime(Duration.ofHours(2));
        assertEquals(List.of("X"), seen);
        assertEquals(3, rt.counters().staleTimerMessages());
        assertEquals(0, d.pendingTimers(), "no timer left scheduled");
    }

    @Test
    void spec_7_3_cancelIsExactAgainstTheRealTimerThread() throws Exception {
        final AgentRuntime pool = runtimes.pool(2);
        for (int round = 0; round < 20; round++) {
            final CompletableFuture<String> verdict = new CompletableFuture<>();
            final AgentRef<String> a = pool.spawn(String.class, () -> new dev.flin.runtime.Agent<String>() {
                private int ticks;
                private boolean cancelled;

                @Override
                public void onStart(final AgentContext<String> ctx) {
                    ctx.timers().startFixedRate("tick", "tick", Duration.ofMillis(1), Duration.ofMillis(1));
                }

                @Override
                public void onMessage(final String m, final AgentContext<String> ctx) {
                    switch (m) {
                        case "tick" -> {
                            if (cancelled) {
                                verdict.complete("tick delivered after cancel returned");
                            } else if (++ticks == 3) {
                                ctx.self().tell("cancel");
                            }
                        }
                        case "cancel" -> {
                            ctx.timers().cancel("tick");
                            cancelled = true;
                            // a later one-shot: by then any wrongly delivered tick would have shown up
                            ctx.timers().startSingle("done", "done", Duration.ofMillis(20));
                        }
                        case "done" -> verdict.complete("ok");
                        default -> verdict.complete("unexpected " + m);
                    }
                }
            });
            assertEquals("ok", await(verdict));
            pool.stop(a.id());
            await(pool.whenTerminated(a.id()));
        }
    }

    // ---------------------------------------------------------------- 7.4 timers stop with the agent

    @Test
    void spec_7_4_timersAreCancelledWhenTheAgentStops() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> agent(ctx -> {
            ctx.timers().startFixedRate("tick", "tick", MS_10, MS_10);
            ctx.timers().startSingle("far", "far", Duration.ofHours(1));
        }, (m, ctx) -> seen.add(m)));
        d.runUntilIdle();
        d.advanceTime(Duration.ofMillis(25));
        assertEquals(2, seen.size());
        rt.stop(a.id());
        d.runUntilIdle();
        assertTrue(rt.state(a.id()).isEmpty());
        final RuntimeCounters before = rt.counters();

        d.advanceTime(Duration.ofHours(2));
        assertEquals(2, seen.size());
        final RuntimeCounters after = rt.counters();
        // a timer still firing would hit the dead agent and be refused (counted not-found)
        assertEquals(before.rejectedNotFound(), after.rejectedNotFound(), "a timer fired after the stop");
        assertEquals(before.accepted(), after.accepted());
        assertEquals(0, d.pendingTimers(), "every timer was cancelled, none rescheduled");
    }

    @Test
    void spec_7_4_timersAreCancelledOnRestartAndEnqueuedTicksAreStale() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final AtomicInteger instances = new AtomicInteger();
        final AgentRef<String> a = rt.spawn(String.class, () -> {
            final int instance = instances.getAndIncrement();
            return agent(ctx -> {
                if (instance == 0) { // only the first instance starts the timer
                    ctx.timers().startFixedRate("tick", "tick", MS_10, MS_10);
                }
            }, (m, ctx) -> {
                seen.add(instance + ":" + m);
                if (m.equals("boom")) {
                    throw new IllegalStateException("planned failure (test)");
                }
            });
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        d.runUntilIdle();
        d.advanceTime(Duration.ofMillis(20)); // two ticks
        pause(a.id());
        a.tell("boom");
        d.advanceTime(MS_10);                 // a tick enqueued behind the failing message
        resume(a.id());                       // boom fails -> restart -> timers cancelled
        d.advanceTime(Duration.ofMillis(100));
        assertEquals(List.of("0:tick", "0:tick", "0:boom"), seen);
        assertEquals(2, instances.get(), "restarted once");
        assertEquals(1, rt.counters().restarts());
        assertEquals(1, rt.counters().staleTimerMessages(), "the enqueued tick of the old instance");
        assertEquals(AgentState.RUNNING, rt.state(a.id()).orElseThrow());
        assertConservation(rt.counters());
    }

    @Test
    void spec_7_4_aRestartedInstanceCanStartTheSameKeyAfresh() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final AtomicInteger instances = new AtomicInteger();
        final AgentRef<String> a = rt.spawn(String.class, () -> {
            final int instance = instances.getAndIncrement();
            return agent(ctx -> ctx.timers().startSingle("k", "t" + instance, Duration.ofMillis(50)),
                    (m, ctx) -> {
                        seen.add(m);
                        if (m.equals("boom")) {
                            throw new IllegalStateException("planned failure (test)");
                        }
                    });
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        d.runUntilIdle();
        d.advanceTime(Duration.ofMillis(30));
        a.tell("boom");                       // t=30: restart; the new instance's timer is due at t=80
        d.advanceTime(Duration.ofMillis(30)); // t=60: the old timer (due t=50) must not fire
        assertEquals(List.of("boom"), seen);
        d.advanceTime(Duration.ofMillis(20)); // t=80
        assertEquals(List.of("boom", "t1"), seen);
    }

    // ---------------------------------------------------------------- 7.5 timers respect the bound

    @Test
    void spec_7_5_oneShotTimerFindingTheMailboxFullIsRetriedAndDeliveredOnce() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final List<Boolean> activeWhileFull = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> agent(
                ctx -> ctx.timers().startSingle("once", "timer", MS_10),
                (m, ctx) -> {
                    seen.add(m);
                    if (m.equals("f0")) {
                        activeWhileFull.add(ctx.timers().isActive("once"));
                    }
                }), SpawnOptions.defaults().withMailboxCapacity(2));
        pause(a.id()); // paused before the first message: onStart has run, the timer is set
        a.tell("f0");
        a.tell("f1");
        d.advanceTime(Duration.ofMillis(60)); // due at 10, retried while the mailbox stays full
        assertEquals(2, rt.mailboxDepth(a.id()));
        final long refusals = rt.counters().rejectedFull();
        assertTrue(refusals >= 2, "the one-shot timer should have found the mailbox full and retried: " + refusals);

        resume(a.id());
        assertEquals(List.of("f0", "f1"), seen);
        d.advanceTime(Duration.ofSeconds(1)); // the retry finds room
        assertEquals(List.of("f0", "f1", "timer"), seen, "delivered exactly once, after the retry");
        assertEquals(List.of(true), activeWhileFull, "the timer stays active until delivered");
        d.advanceTime(Duration.ofSeconds(10));
        assertEquals(1, count(seen, "timer"));
        assertConservation(rt.counters());
    }

    @Test
    void spec_7_5_fixedRateTickFindingTheMailboxFullIsSkippedAndCounted() {
        deterministic();
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> agent(
                ctx -> ctx.timers().startFixedRate("tick", "tick", MS_10, MS_10),
                (m, ctx) -> seen.add(m)), SpawnOptions.defaults().withMailboxCapacity(2));
        pause(a.id());
        d.advanceTime(Duration.ofMillis(100)); // ten ticks: two fit, eight are skipped
        assertEquals(2, rt.mailboxDepth(a.id()));
        assertEquals(8, rt.counters().rejectedFull());

        resume(a.id());
        assertEquals(2, seen.size(), "skipped ticks are not delivered later");
        d.advanceTime(Duration.ofMillis(30));
        assertEquals(5, seen.size(), "the timer keeps its rate after the skips");
        assertEquals(8, rt.counters().rejectedFull());
        assertConservation(rt.counters());
    }

    // ---------------------------------------------------------------- 7.6 agent-thread only

    @Test
    void spec_7_6_timersUsedOutsideTheAgentThreadThrowIllegalState() {
        deterministic();
        final AtomicReference<AgentContext<String>> leakedContext = new AtomicReference<>();
        final AtomicReference<Timers<String>> leakedTimers = new AtomicReference<>();
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> a = rt.spawn(String.class, () -> agent(ctx -> {
            leakedContext.set(ctx);
            leakedTimers.set(ctx.timers());
        }, (m, ctx) -> seen.add(m)));
        d.runUntilIdle();

        // the test thread is not the agent thread (even though it drives the deterministic dispatcher)
        assertThrows(IllegalStateException.class, () -> leakedContext.get().timers());
        final Timers<String> timers = leakedTimers.get();
        assertThrows(IllegalStateException.class, () -> timers.startSingle("k", "x", MS_10));
        assertThrows(IllegalStateException.class,
                () -> timers.startFixedRate("k", "x", MS_10, MS_10));
        assertThrows(IllegalStateException.class, () -> timers.cancel("k"));
        assertThrows(IllegalStateException.class, timers::cancelAll);
        assertThrows(IllegalStateException.class, () -> timers.isActive("k"));

        d.advanceTime(Duration.ofSeconds(1));
        assertTrue(seen.isEmpty(), "the refused start must not have scheduled anything");
        assertEquals(0, rt.counters().accepted());
        assertTrue(rt.state(a.id()).isPresent());
    }

    @Test
    void spec_7_6_anotherAgentCannotUseThisAgentsTimers() {
        deterministic();
        final AtomicReference<Timers<String>> leaked = new AtomicReference<>();
        rt.spawn(String.class, () -> agent(ctx -> leaked.set(ctx.timers()), (m, ctx) -> { }));
        final List<Throwable> failures = new ArrayList<>();
        final AgentRef<String> other = rt.spawn(String.class, () -> (m, ctx) -> {
            try {
                leaked.get().startSingle("k", "x", MS_10);
            } catch (IllegalStateException e) {
                failures.add(e);
            }
        });
        d.runUntilIdle();
        other.tell("try");
        d.runUntilIdle();
        assertEquals(1, failures.size());
        assertInstanceOf(IllegalStateException.class, failures.get(0));
    }

    @Test
    void spec_7_6_timersUsedFromAForeignThreadOnAWorkerPoolThrow() throws Exception {
        final AgentRuntime pool = runtimes.pool(2);
        final CompletableFuture<Timers<String>> leaked = new CompletableFuture<>();
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        final CopyOnWriteArrayList<Boolean> insideWorks = new CopyOnWriteArrayList<>();
        final AgentRef<String> a = pool.spawn(String.class, () -> agent(
                ctx -> leaked.complete(ctx.timers()),
                (m, ctx) -> {
                    seen.add(m);
                    insideWorks.add(!ctx.timers().isActive("k"));
                }));
        final Timers<String> timers = await(leaked);
        assertThrows(IllegalStateException.class, () -> timers.startSingle("k", "x", Duration.ZERO));
        assertThrows(IllegalStateException.class, () -> timers.isActive("k"));
        a.tell("ping");
        Poll.until(() -> seen.size() == 1, WAIT);
        assertEquals(List.of(true), insideWorks);
        assertEquals(List.of("ping"), seen);
    }
}

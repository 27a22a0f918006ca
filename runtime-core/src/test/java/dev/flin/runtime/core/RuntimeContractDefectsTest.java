package dev.flin.runtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.AgentThreadCallException;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.internal.RuntimeCore;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The defects an independent suite found in 0.1 (issue 12), each reproduced so that it fails
 * without its fix: a derived "accepted" counter, a refused ask failed by the termination, durations
 * that overflow after the send, a deterministic dispatcher that enqueued and then refused a foreign
 * ask, empty topics kept for ever, and shutdown misused from an agent or held up by a callback.
 */
class RuntimeContractDefectsTest extends RuntimeTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);

    sealed interface Msg permits Block, Ping, Ask {}

    record Block(CountDownLatch entered, CountDownLatch release) implements Msg {}

    record Ping() implements Msg {}

    record Ask(Reply<String> reply) implements Msg {}

    /** Answers asks; a Block waits for its latch (with a deadline, so a failed test cannot hang). */
    private static Agent<Msg> answering() {
        return (m, ctx) -> {
            if (m instanceof Block b) {
                b.entered().countDown();
                b.release().await(30, TimeUnit.SECONDS);
            } else if (m instanceof Ask a) {
                a.reply().reply("pong");
            }
        };
    }

    // ---- rule 2.4 / 8.3: accepted is counted, not derived

    @Test
    void acceptedCountsAMessageWhileItsHandlerRuns() throws Exception {
        final AgentRuntime rt = workerPool(2);
        final AgentRef<Msg> agent = rt.spawn(Msg.class, RuntimeContractDefectsTest::answering);
        final Block block = new Block(new CountDownLatch(1), new CountDownLatch(1));
        beforeShutdown(block.release()::countDown);
        agent.tell(block);
        assertTrue(block.entered().await(10, TimeUnit.SECONDS));
        // 0.1 derived accepted = processed (flushed per batch, so 0 here) + queued (0): it said 0
        assertEquals(1, rt.counters().accepted(), "a send that returned must be counted while its handler runs");
        block.release().countDown();
        Poll.until(() -> rt.counters().processed() == 1, WAIT);
        assertEquals(1, rt.counters().accepted());
    }

    @Test
    void acceptedNeverDecreasesAndMatchesWhatSendersSaw() throws Exception {
        final AgentRuntime rt = workerPool(2);
        final List<AgentRef<Msg>> agents = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            agents.add(rt.spawn(Msg.class, () -> (m, ctx) -> { }, SpawnOptions.defaults().withMailboxCapacity(16)));
        }
        final long[] okSends = new long[1];
        final Thread sender = new Thread(() -> {
            for (int round = 0; round < 2_000; round++) {
                final AgentRef<Msg> target = agents.get(round % agents.size());
                try {
                    if (target.tryTell(new Ping())) {
                        okSends[0]++;
                    }
                } catch (AgentNotFoundException stopped) {
                    // stopped below: refused, not accepted
                }
                if (round % 500 == 499) {
                    rt.stop(agents.get((round / 500) % agents.size()).id()); // terminations race the sends
                }
            }
        }, "sender");
        sender.start();
        long last = 0;
        while (sender.isAlive()) {
            final long now = rt.counters().accepted();
            assertTrue(now >= last, "accepted went down from " + last + " to " + now);
            last = now;
        }
        sender.join();
        final long sent = okSends[0];
        assertTrue(rt.counters().accepted() >= sent, "every returned send is counted");
        for (final AgentRef<Msg> a : agents) {
            try {
                rt.stop(a.id());
            } catch (AgentNotFoundException gone) {
                // stopped during the run
            }
        }
        Poll.until(() -> rt.counters().alive() == 0, WAIT);
        final RuntimeCounters c = rt.counters();
        assertEquals(sent, c.accepted(), "accepted must equal the sends that returned normally");
        assertEquals(c.accepted(), c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued(), c.toString());
    }

    // ---- rule 5.3: a refused ask completes with the refusal, never with the termination

    @Test
    void anAskRefusedWhileItsTargetTerminatesFailsWithTheRefusal() throws Exception {
        final AgentRuntime rt = workerPool(2);
        int refusals = 0;
        for (int round = 0; round < 200; round++) {
            final AgentRef<Msg> agent = rt.spawn(Msg.class, RuntimeContractDefectsTest::answering,
                    SpawnOptions.defaults().withMailboxCapacity(1));
            final Block block = new Block(new CountDownLatch(1), new CountDownLatch(1));
            agent.tell(block);
            assertTrue(block.entered().await(10, TimeUnit.SECONDS));
            rt.stop(agent.id()); // from here every ask is refused (not found); termination follows the release
            block.release().countDown();
            final List<CompletionStage<String>> stages = new ArrayList<>();
            while (rt.state(agent.id()).isPresent() && stages.size() < 100_000) {
                stages.add(agent.ask(Ask::new, WAIT));
            }
            for (final CompletionStage<String> stage : stages) {
                final Throwable failure = failureOf(stage);
                assertInstanceOf(AgentNotFoundException.class, failure,
                        "rule 5.3: an ask refused at the send must fail with the refusal, round " + round);
                refusals++;
            }
        }
        assertTrue(refusals > 0, "the race was never exercised");
    }

    @Test
    void anAskRefusedBecauseTheMailboxIsFullFailsWithMailboxFull() throws Exception {
        final AgentRuntime rt = workerPool(2);
        final AgentRef<Msg> agent = rt.spawn(Msg.class, RuntimeContractDefectsTest::answering,
                SpawnOptions.defaults().withMailboxCapacity(1));
        final Block block = new Block(new CountDownLatch(1), new CountDownLatch(1));
        beforeShutdown(block.release()::countDown);
        agent.tell(block);
        assertTrue(block.entered().await(10, TimeUnit.SECONDS));
        agent.tell(new Ping()); // fills the mailbox
        final long accepted = rt.counters().accepted();
        assertInstanceOf(MailboxFullException.class, failureOf(agent.ask(Ask::new, WAIT)));
        assertEquals(accepted, rt.counters().accepted(), "a refused ask enqueued nothing");
    }

    private static Throwable failureOf(final CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            fail("stage not completed: " + e);
        }
        return fail("stage completed normally");
    }

    // ---- rules 5.1, 7.1, 8.10: durations beyond the clock's range mean "never", checked before the send

    @Test
    void anAskWithAnEnormousTimeoutIsSentAndAnswered() throws Exception {
        final AgentRuntime rt = workerPool(2);
        final AgentRef<Msg> agent = rt.spawn(Msg.class, RuntimeContractDefectsTest::answering);
        for (final Duration forever : List.of(Duration.ofSeconds(Long.MAX_VALUE), ChronoUnit.FOREVER.getDuration(),
                Duration.ofNanos(Long.MAX_VALUE), Duration.ofDays(365L * 300))) {
            final CompletionStage<String> stage = agent.ask(Ask::new, forever); // 0.1: ArithmeticException after enqueueing
            assertEquals("pong", stage.toCompletableFuture().get(10, TimeUnit.SECONDS), forever.toString());
        }
        Poll.until(() -> rt.counters().processed() == 4, WAIT);
        assertEquals(4, rt.counters().accepted());
    }

    @Test
    void timersBeyondTheClockRangeNeverFireAndCanBeCancelled() {
        final AgentRuntime rt = deterministic(7);
        final List<String> got = new ArrayList<>();
        final AtomicReference<Throwable> startFailure = new AtomicReference<>();
        final AtomicReference<Boolean> cancelled = new AtomicReference<>();
        final AgentRef<String> agent = rt.spawn(String.class, () -> new Agent<>() {
            @Override
            public void onStart(final AgentContext<String> ctx) {
                try {
                    ctx.timers().startSingle("far", "far", Duration.ofDays(365L * 300));
                    ctx.timers().startSingle("forever", "forever", ChronoUnit.FOREVER.getDuration());
                    ctx.timers().startFixedRate("once", "tick", Duration.ZERO, Duration.ofSeconds(Long.MAX_VALUE));
                } catch (Throwable t) {
                    startFailure.set(t);
                }
            }

            @Override
            public void onMessage(final String m, final AgentContext<String> ctx) {
                if (m.equals("cancel")) {
                    cancelled.set(ctx.timers().isActive("far") && ctx.timers().cancel("far")
                            && ctx.timers().cancel("forever"));
                } else {
                    got.add(m);
                }
            }
        });
        runUntilIdle();
        dispatcher.advanceTime(Duration.ofDays(365L * 200));
        dispatcher.advanceTime(ChronoUnit.FOREVER.getDuration()); // the clock saturates, nothing overflows
        assertEquals(null, startFailure.get(), "0.1 threw ArithmeticException beyond 292 years");
        assertEquals(List.of("tick"), got, "the fixed-rate timer fires once: its next tick is never");
        agent.tell("cancel");
        runUntilIdle();
        assertEquals(Boolean.TRUE, cancelled.get());
    }

    @Test
    void badTimerDurationsAreRefusedBeforeAnythingIsScheduled() {
        final AgentRuntime rt = deterministic(8);
        final List<Class<?>> refusals = new ArrayList<>();
        final AtomicReference<Boolean> anyActive = new AtomicReference<>();
        rt.spawn(String.class, () -> new Agent<>() {
            @Override
            public void onStart(final AgentContext<String> ctx) {
                final List<Runnable> bad = List.of(
                        () -> ctx.timers().startSingle("a", "m", Duration.ofNanos(-1)),
                        () -> ctx.timers().startFixedRate("b", "m", Duration.ZERO, Duration.ZERO),
                        () -> ctx.timers().startFixedRate("c", "m", Duration.ZERO, Duration.ofSeconds(-1)),
                        () -> ctx.timers().startFixedRate("d", "m", Duration.ofSeconds(-1), Duration.ofSeconds(1)));
                for (final Runnable call : bad) {
                    try {
                        call.run();
                    } catch (RuntimeException e) {
                        refusals.add(e.getClass());
                    }
                }
                anyActive.set(ctx.timers().isActive("a") || ctx.timers().isActive("b")
                        || ctx.timers().isActive("c") || ctx.timers().isActive("d"));
            }

            @Override
            public void onMessage(final String m, final AgentContext<String> ctx) {
            }
        });
        runUntilIdle();
        assertEquals(List.of(IllegalArgumentException.class, IllegalArgumentException.class,
                IllegalArgumentException.class, IllegalArgumentException.class), refusals);
        assertEquals(Boolean.FALSE, anyActive.get(), "a refused timer must not be started");
        assertEquals(0, dispatcher.pendingTimers());
    }

    // ---- rules 5.1, 5.4, 9.10: an ask is timed out at its deadline, however late its timer runs

    @Test
    void anAskIsTimedOutAtItsDeadlineEvenBeforeItsTimerRuns() {
        final AgentRuntime rt = deterministic(21);
        final AtomicReference<Reply<String>> held = new AtomicReference<>();
        final List<String> seen = new ArrayList<>();
        final AgentRef<Object> agent = rt.spawn(Object.class, () -> (m, ctx) -> {
            if (m instanceof Ask ask) {
                held.set(ask.reply()); // answers later, or never
            } else if ("start".equals(m)) {
                ctx.timers().startSingle("t", "tick", Duration.ofSeconds(5)); // due with the ask, fires first
            } else if ("tick".equals(m)) {
                seen.add("completed=" + held.get().isCompleted());
                seen.add("late reply refused=" + !held.get().reply("too late"));
            }
        });
        agent.tell("start");
        runUntilIdle();
        final CompletionStage<String> stage = agent.<String>ask(Ask::new, Duration.ofSeconds(5));
        runUntilIdle();
        dispatcher.advanceTime(Duration.ofSeconds(5));
        // 0.1 (and before this fix): the ask's own timer, due at the same instant but queued after the
        // agent's, had not run yet, so the request still looked live and a reply would have won
        assertEquals(List.of("completed=true", "late reply refused=true"), seen);
        assertInstanceOf(dev.flin.runtime.AskTimeoutException.class, failureOf(stage));
        assertEquals(1, rt.counters().lateReplies());
    }

    // ---- rule 8.8: a deterministic dispatcher accepts an ask from another thread

    @Test
    void aDeterministicRuntimeAnswersAnAskFromAnotherThread() throws Exception {
        final AgentRuntime rt = deterministic(11);
        final AgentRef<Msg> agent = rt.spawn(Msg.class, RuntimeContractDefectsTest::answering);
        runUntilIdle(); // the test thread owns the dispatcher from here
        final CompletionStage<String> stage = askFromAnotherThread(agent); // 0.1: IllegalStateException, request already enqueued
        runUntilIdle();
        assertEquals("pong", stage.toCompletableFuture().getNow("no reply"));
    }

    @Test
    void aForeignAskTimesOutOnTheManualClock() throws Exception {
        final AgentRuntime rt = deterministic(12);
        final AgentRef<Msg> agent = rt.spawn(Msg.class, () -> (m, ctx) -> { }); // never replies
        runUntilIdle();
        final CompletionStage<String> stage = askFromAnotherThread(agent);
        dispatcher.advanceTime(Duration.ofSeconds(4));
        assertFalse(stage.toCompletableFuture().isDone(), "rule 7.2 for asks: never early");
        dispatcher.advanceTime(Duration.ofSeconds(1));
        assertInstanceOf(dev.flin.runtime.AskTimeoutException.class, failureOf(stage));
    }

    /** Asks with a 5 s timeout from a new thread, not the dispatcher's owner; returns the stage it got. */
    private static CompletionStage<String> askFromAnotherThread(final AgentRef<Msg> agent) throws Exception {
        final CompletableFuture<CompletionStage<String>> asked = new CompletableFuture<>();
        final Thread other = new Thread(() -> {
            try {
                asked.complete(agent.ask(Ask::new, Duration.ofSeconds(5)));
            } catch (Throwable t) {
                asked.completeExceptionally(t);
            }
        }, "foreign-asker");
        other.start();
        other.join();
        return asked.get(10, TimeUnit.SECONDS);
    }

    // ---- rule 6.8: a topic with no subscriber costs nothing

    @Test
    void aTopicIsForgottenWhenItsLastSubscriberLeaves() {
        final AgentRuntime rt = deterministic(3);
        final AgentRef<String> agent = rt.spawn(String.class, () -> (m, ctx) -> {
            final Topic<String> topic = Topic.of("entity-" + m, String.class);
            ctx.subscribe(topic);
            ctx.unsubscribe(topic);
        });
        final AgentRef<String> stays = rt.spawn(String.class, () -> new Agent<>() {
            @Override
            public void onStart(final AgentContext<String> ctx) {
                ctx.subscribe(Topic.of("kept", String.class));
            }

            @Override
            public void onMessage(final String m, final AgentContext<String> ctx) {
            }
        });
        runUntilIdle();
        final RuntimeCore core = (RuntimeCore) rt;
        final int before = core.topicCount();
        for (int i = 0; i < 1_000; i++) {
            agent.tell(Integer.toString(i));
            if (i % 100 == 99) {
                runUntilIdle(); // the default mailbox holds 256
            }
        }
        runUntilIdle();
        assertEquals(before, core.topicCount(), "1,000 subscribe/unsubscribe pairs left topics behind");
        rt.stop(stays.id());
        runUntilIdle();
        assertEquals(before - 1, core.topicCount(), "a terminated last subscriber must take its topic with it");
        assertEquals(0, rt.subscriberCount(Topic.of("kept", String.class)));
    }

    // ---- rule 8.11: control calls complete when their effect is visible

    @Test
    void aPauseOrResumeStageCompletesOnlyOnceStateShowsIt() throws Exception {
        final AgentRuntime rt = workerPool(2);
        final AgentRef<Msg> agent = rt.spawn(Msg.class, () -> (m, ctx) -> { },
                SpawnOptions.defaults().withMailboxCapacity(64));
        final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        final Thread busy = new Thread(() -> { // keeps runs in flight while the control calls arrive
            while (!done.get()) {
                agent.tryTell(new Ping());
            }
        }, "busy-sender");
        busy.start();
        try {
            for (int i = 0; i < 500; i++) {
                final AgentState paused = rt.pause(agent.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertEquals(AgentState.PAUSED, paused, "round " + i);
                assertEquals(AgentState.PAUSED, rt.state(agent.id()).orElseThrow(), "round " + i + ": state after pause");
                final AgentState resumed = rt.resume(agent.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertEquals(AgentState.RUNNING, resumed, "round " + i);
                assertEquals(AgentState.RUNNING, rt.state(agent.id()).orElseThrow(), "round " + i + ": state after resume");
            }
        } finally {
            done.set(true);
            busy.join();
        }
        assertEquals(dev.flin.runtime.TerminationCause.STOPPED,
                rt.stop(agent.id()).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }

    // ---- rule 8.9 / 8.7: shutdown misuse fails fast, and a stuck callback cannot hold it up

    @Test
    void closeAndShutdownFromAnAgentFailAtOnceAndStopNothing() throws Exception {
        final AgentRuntime rt = workerPool(1);
        final CompletableFuture<Throwable> fromClose = new CompletableFuture<>();
        final CompletableFuture<Throwable> fromShutdown = new CompletableFuture<>();
        final AgentRef<String> agent = rt.spawn(String.class, () -> (m, ctx) -> {
            try {
                if (m.equals("close")) {
                    ctx.runtime().close();
                    fromClose.complete(null);
                } else {
                    ctx.runtime().shutdown(Duration.ofMillis(1));
                    fromShutdown.complete(null);
                }
            } catch (Throwable t) {
                (m.equals("close") ? fromClose : fromShutdown).complete(t);
            }
        });
        agent.tell("close");
        agent.tell("shutdown");
        final AgentThreadCallException close = assertInstanceOf(AgentThreadCallException.class,
                fromClose.get(30, TimeUnit.SECONDS));
        assertEquals(agent.id(), close.agent());
        assertEquals("8.9", close.rule());
        assertInstanceOf(AgentThreadCallException.class, fromShutdown.get(30, TimeUnit.SECONDS));
        assertFalse(rt.isShutdown(), "a refused shutdown must not have started");
        assertEquals(AgentState.RUNNING, rt.state(agent.id()).orElseThrow());
    }

    @Test
    void shutdownReturnsWithinItsBoundWhenACallbackNeverReturns() throws Exception {
        final String prefix = uniquePrefix("stuck");
        final AgentRuntime rt = workerPool(1, prefix, RuntimeOptions.defaults());
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch never = new CountDownLatch(1);
        final AgentRef<String> stuck = rt.spawn(String.class, RuntimeTestSupport.stuckUntil(entered, never));
        beforeShutdown(never::countDown);
        stuck.tell("hang");
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        final Duration timeout = Duration.ofMillis(300);
        final CompletableFuture<Boolean> result = CompletableFuture.supplyAsync(() -> rt.shutdown(timeout));
        // The documented bound is timeout + SHUTDOWN_GRACE; the slack only absorbs a slow machine.
        // 0.1 took about 10.3 s here (10 s of fixed waits after the timeout).
        final Duration bound = timeout.plus(RuntimeCore.SHUTDOWN_GRACE).plusSeconds(3);
        final Boolean graceful = result.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        assertFalse(graceful, "a callback that never returned: shutdown is not graceful");
        assertEquals(1, never.getCount(), "shutdown returned while the callback was still blocked");
        assertNotNull(rt.state(stuck.id()).orElse(null), "the stuck agent is reported, not hidden");
    }
}

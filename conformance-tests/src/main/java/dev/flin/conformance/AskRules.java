package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentTerminatedException;
import dev.flin.runtime.AskTimeoutException;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.SpawnOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import net.jqwik.api.Example;

/**
 * Checks of section 5 of {@code docs/spec.md}: Request-response. One method or more per rule, named
 * {@code required_spec_5_M_...} (MUST), {@code optional_spec_5_M_...} (SHOULD/MAY) or
 * {@code untested_spec_5_M_...} (not checkable yet: always reported as skipped).
 *
 * <p>Asks whose timeout must not fire use {@link #LONG}, far beyond the kit's await timeout: a
 * runtime that only completes them by the timeout fails the check instead of passing late.
 */
public interface AskRules extends KitSupport {

    /** An ask timeout that never fires within a check. */
    Duration LONG = Duration.ofHours(1);

    /** The request of the checks: a number and the reply handle. */
    record AskReq(int n, Reply<Integer> reply) { }

    /** Messages of the cyclic-ask agents (rule 5.6). */
    sealed interface Cyc permits CycAsk, CycDone { }

    /**
     * Asks for {@code depth} more hops around the ring.
     *
     * @param depth hops still to go; 0 answers at once
     * @param reply where the answer goes
     */
    record CycAsk(int depth, Reply<Integer> reply) implements Cyc { }

    /**
     * The outcome of the inner ask, piped back to the asking agent.
     *
     * @param value   the inner reply, or null
     * @param failure the inner failure, or null
     * @param reply   the outer reply to complete
     */
    record CycDone(Integer value, Throwable failure, Reply<Integer> reply) implements Cyc { }

    /**
     * One agent of a ring: a request of depth d is answered with d by asking the next agent for d-1
     * and adding one, never blocking (the answer comes back through {@code pipeToSelf}).
     */
    final class CycleAgent implements Agent<Cyc> {
        private final AtomicReferenceArray<AgentRef<Cyc>> ring;
        private final int index;
        private final Duration innerTimeout;

        CycleAgent(final AtomicReferenceArray<AgentRef<Cyc>> ring, final int index, final Duration innerTimeout) {
            this.ring = ring;
            this.index = index;
            this.innerTimeout = innerTimeout;
        }

        @Override
        public void onMessage(final Cyc message, final AgentContext<Cyc> context) {
            if (message instanceof CycAsk ask) {
                if (ask.depth() == 0) {
                    ask.reply().reply(0);
                    return;
                }
                final AgentRef<Cyc> next = ring.get((index + 1) % ring.length());
                final CompletionStage<Integer> inner = next.ask(r -> new CycAsk(ask.depth() - 1, r), innerTimeout);
                context.pipeToSelf(inner, (value, failure) -> new CycDone(value, failure, ask.reply()));
            } else if (message instanceof CycDone done) {
                if (done.failure() != null) {
                    done.reply().fail(done.failure());
                } else {
                    done.reply().reply(done.value() + 1);
                }
            }
        }

        /**
         * Spawns a ring of {@code size} cycle agents.
         *
         * @param kit     the check's kit (for the inner timeout)
         * @param runtime where to spawn
         * @param size    how many agents
         * @return the ring
         */
        public static AtomicReferenceArray<AgentRef<Cyc>> ring(final Kit kit, final AgentRuntime runtime, final int size) {
            final AtomicReferenceArray<AgentRef<Cyc>> ring = new AtomicReferenceArray<>(size);
            for (int i = 0; i < size; i++) {
                final int index = i;
                ring.set(i, runtime.spawn(Cyc.class,
                        () -> new CycleAgent(ring, index, kit.waitLimit().multipliedBy(2))));
            }
            return ring;
        }
    }

    // =========================================================================== helpers

    private static AgentRef<AskReq> echo(final AgentRuntime runtime) {
        return runtime.spawn(AskReq.class, () -> (m, ctx) -> m.reply().reply(m.n() * 2));
    }

    /** An agent that hands every reply handle to the check and never answers itself. */
    private static AgentRef<AskReq> keeper(final AgentRuntime runtime, final BlockingQueue<Reply<Integer>> kept) {
        return runtime.spawn(AskReq.class, () -> (m, ctx) -> kept.add(m.reply()));
    }

    private Reply<Integer> takeKept(final BlockingQueue<Reply<Integer>> kept) throws InterruptedException {
        final KitWaits.Budget budget = kit().waitBudget();
        final Reply<Integer> reply = kept.poll(budget.limit().toNanos(), TimeUnit.NANOSECONDS);
        if (reply == null) {
            throw kit().timedOut(budget, "the asked agent to receive the request (the kit asked it; its handler"
                    + " hands the reply handle to the kit)");
        }
        return reply;
    }

    private static void assertCompletedAtOnce(final CompletionStage<?> stage, final String what) {
        assertTrue(stage.toCompletableFuture().isDone(),
                what + ": the ask was refused, so its stage must be completed when ask returns (rule 5.3)");
    }

    /** Counts how often the stage's dependents are run: must end at exactly one. */
    private static AtomicInteger completions(final CompletionStage<?> stage) {
        final AtomicInteger count = new AtomicInteger();
        stage.whenComplete((v, t) -> count.incrementAndGet());
        return count;
    }

    /**
     * Waits until the dependent registered by {@link #completions} has run, then checks it ran once.
     * The wait is needed: a thread completing a {@code CompletableFuture} wakes the threads blocked in
     * {@code get()} before it runs the other dependents, so the stage can be seen complete while the
     * dependent has not run yet.
     */
    private static void assertDependentsRanOnce(final Kit kit, final AtomicInteger completions) {
        kit.await("the stage's dependents to run", () -> completions.get() > 0);
        assertEquals(1, completions.get(), "the stage's dependents must run exactly once");
    }

    // =========================================================================== 5.1

    @Example
    default void required_spec_5_1_askCompletesWithTheReply() {
        final Kit kit = kit();
        final AgentRef<AskReq> echo = echo(kit.runtime());
        final CompletionStage<Integer> stage = echo.ask(r -> new AskReq(21, r), LONG);
        final AtomicInteger completions = completions(stage);
        assertEquals(42, kit.await("the reply of the echo agent", stage));
        assertDependentsRanOnce(kit, completions);
        assertEquals(0, kit.runtime().counters().lateReplies(), "one reply is not late");
    }

    @Example
    default void required_spec_5_1_racingCompletionsCompleteTheAskExactlyOnce() throws Exception {
        final Kit kit = kit();
        final BlockingQueue<Reply<Integer>> kept = new LinkedBlockingQueue<>();
        final AgentRef<AskReq> keeper = keeper(kit.runtime(), kept);
        final int rounds = 20;
        final int racers = 4;
        final long lateBefore = kit.runtime().counters().lateReplies();
        for (int round = 0; round < rounds; round++) {
            final CompletionStage<Integer> stage = keeper.ask(r -> new AskReq(0, r), LONG);
            final AtomicInteger completions = completions(stage);
            final Reply<Integer> reply = takeKept(kept);
            final CyclicBarrier start = new CyclicBarrier(racers);
            final RuntimeException[] failures = new RuntimeException[racers];
            final boolean[] won = new boolean[racers];
            final List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                final int racer = i;
                failures[i] = new IllegalStateException("racer " + i);
                futures.add(kit.fork(() -> {
                    try {
                        start.await(kit.waitLimit().toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    won[racer] = racer % 2 == 0 ? reply.reply(racer) : reply.fail(failures[racer]);
                }));
            }
            for (final Future<?> f : futures) {
                kit.join("a racer to reply or fail", f);
            }
            int winners = 0;
            int winner = -1;
            for (int i = 0; i < racers; i++) {
                if (won[i]) {
                    winners++;
                    winner = i;
                }
            }
            assertEquals(1, winners, "exactly one of the racing reply/fail calls may complete the ask");
            assertTrue(reply.isCompleted());
            if (winner % 2 == 0) {
                assertEquals(winner, kit.await("the winning reply", stage));
            } else {
                assertSame(failures[winner], kit.awaitFailure("the winning failure", stage));
            }
            assertDependentsRanOnce(kit, completions);
        }
        assertEquals(lateBefore + (long) rounds * (racers - 1), kit.runtime().counters().lateReplies(),
                "every losing reply/fail is a late reply (rule 5.4)");
    }

    // =========================================================================== 5.2

    @Example
    default void required_spec_5_2_timeoutNamesTargetAndRequestType() throws Exception {
        final Kit kit = kit();
        final BlockingQueue<Reply<Integer>> kept = new LinkedBlockingQueue<>();
        final AgentRef<AskReq> keeper = keeper(kit.runtime(), kept);
        final Duration timeout = Duration.ofMillis(100);
        final long start = System.nanoTime();
        final CompletionStage<Integer> stage = keeper.ask(r -> new AskReq(1, r), timeout);
        final AtomicInteger completions = completions(stage);
        final Reply<Integer> reply = takeKept(kept);
        final Throwable failure = kit.awaitFailure("the ask to time out", stage);
        final long elapsed = System.nanoTime() - start;
        final AskTimeoutException timedOut = assertInstanceOf(AskTimeoutException.class, failure,
                "no reply within the timeout must fail the ask with AskTimeoutException, not " + failure);
        assertEquals(keeper.id(), timedOut.target(), "the timeout must name the asked agent");
        assertEquals(AskReq.class, timedOut.requestType(), "the timeout must name the request's type");
        assertEquals(timeout, timedOut.timeout());
        assertEquals("5.2", timedOut.rule());
        assertTrue(timedOut.getMessage().contains(keeper.id().toString()), timedOut.getMessage());
        assertTrue(timedOut.getMessage().contains(AskReq.class.getName()), timedOut.getMessage());
        assertTrue(elapsed >= timeout.toNanos(),
                "the ask timed out after " + elapsed / 1_000 + " us, before its timeout of " + timeout);
        assertTrue(reply.isCompleted(), "the reply handle must know that the ask timed out");
        assertDependentsRanOnce(kit, completions);
    }

    // =========================================================================== 5.3

    @Example
    default void required_spec_5_3_askToATerminatedAgentFailsAtOnce() {
        final Kit kit = kit();
        final AgentRef<AskReq> echo = echo(kit.runtime());
        final CompletionStage<?> terminated = kit.runtime().whenTerminated(echo.id());
        kit.runtime().stop(echo.id());
        kit.await("the agent to terminate", terminated);
        final long before = kit.runtime().counters().rejectedNotFound();
        final CompletionStage<Integer> stage = echo.ask(r -> new AskReq(1, r), LONG);
        assertCompletedAtOnce(stage, "ask to a terminated agent");
        final AgentNotFoundException notFound = assertInstanceOf(AgentNotFoundException.class,
                kit.awaitFailure("the refused ask", stage));
        assertEquals(echo.id(), notFound.agent());
        assertEquals(before + 1, kit.runtime().counters().rejectedNotFound(), "the refused request is counted");
    }

    @Example
    default void required_spec_5_3_askToAStoppingAgentFailsAtOnce() throws Exception {
        final Kit kit = kit();
        final Gate gate = new Gate(kit);
        final ConcurrentLinkedQueue<Integer> served = new ConcurrentLinkedQueue<>();
        final AgentRef<AskReq> agent = kit.runtime().spawn(AskReq.class, () -> (m, ctx) -> {
            served.add(m.n());
            if (m.n() < 0) {
                gate.hold();
            }
        });
        try {
            agent.tell(new AskReq(-1, null));
            gate.awaitEntered();
            kit.runtime().stop(agent.id());
            final CompletionStage<Integer> stage = agent.ask(r -> new AskReq(7, r), LONG);
            assertCompletedAtOnce(stage, "ask to a stopping agent");
            final AgentNotFoundException notFound = assertInstanceOf(AgentNotFoundException.class,
                    kit.awaitFailure("the refused ask", stage));
            assertEquals(agent.id(), notFound.agent());
        } finally {
            gate.release();
        }
        kit.await("the agent to terminate", kit.runtime().whenTerminated(agent.id()));
        assertFalse(served.contains(7), "a refused request must never be processed");
    }

    @Example
    default void required_spec_5_3_askToAFullMailboxFailsAtOnce() throws Exception {
        final Kit kit = kit();
        final Gate gate = new Gate(kit);
        final ConcurrentLinkedQueue<Integer> served = new ConcurrentLinkedQueue<>();
        final AgentRef<AskReq> agent = kit.runtime().spawn(AskReq.class, () -> (m, ctx) -> {
            served.add(m.n());
            if (m.n() < 0) {
                gate.hold();
            }
        }, SpawnOptions.defaults().withMailboxCapacity(2));
        final int capacity = kit.runtime().mailboxCapacity(agent.id());
        final CompletionStage<Integer> stage;
        final long before;
        try {
            agent.tell(new AskReq(-1, null));
            gate.awaitEntered();
            for (int i = 0; i < capacity; i++) {
                agent.tell(new AskReq(i, null));
            }
            before = kit.runtime().counters().rejectedFull();
            stage = agent.ask(r -> new AskReq(1_000, r), LONG);
            assertCompletedAtOnce(stage, "ask to a full mailbox");
        } finally {
            gate.release();
        }
        final MailboxFullException full = assertInstanceOf(MailboxFullException.class,
                kit.awaitFailure("the refused ask", stage));
        assertEquals(agent.id(), full.agent());
        assertEquals(capacity, full.capacity());
        assertEquals(before + 1, kit.runtime().counters().rejectedFull(), "the refused request is counted");
        kit.await("the queued messages to be processed", () -> served.size() == 1 + capacity);
        agent.tell(new AskReq(2_000, null));
        kit.await("the marker sent after the refused ask", () -> served.contains(2_000));
        assertFalse(served.contains(1_000), "a refused request must never be processed");
    }

    // =========================================================================== 5.4

    @Example
    default void required_spec_5_4_onlyTheFirstReplyCompletesTheAsk() {
        final Kit kit = kit();
        final ConcurrentLinkedQueue<Boolean> results = new ConcurrentLinkedQueue<>();
        final AgentRef<AskReq> twice = kit.runtime().spawn(AskReq.class, () -> (m, ctx) -> {
            results.add(m.reply().reply(1));
            results.add(m.reply().reply(2));
            results.add(m.reply().fail(new IllegalStateException("late failure")));
            results.add(m.reply().isCompleted());
        });
        final RuntimeCounters before = kit.runtime().counters();
        final CompletionStage<Integer> stage = twice.ask(r -> new AskReq(0, r), LONG);
        final AtomicInteger completions = completions(stage);
        assertEquals(1, kit.await("the first reply", stage), "the first reply completes the ask");
        kit.await("the agent to finish its replies", () -> results.size() == 4);
        assertEquals(List.of(true, false, false, true), new ArrayList<>(results),
                "reply/fail must return true once, then false");
        final RuntimeCounters after = kit.runtime().counters();
        assertEquals(before.lateReplies() + 2, after.lateReplies(), "each refused reply is a late reply");
        assertEquals(before.deadLetters(), after.deadLetters(), "a late reply is not a dead letter");
        assertDependentsRanOnce(kit, completions);
    }

    @Example
    default void required_spec_5_4_replyAfterTheTimeoutIsRefusedAndNeverDelivered() throws Exception {
        final Kit kit = kit();
        final BlockingQueue<Reply<Integer>> kept = new LinkedBlockingQueue<>();
        final AgentRef<AskReq> keeper = keeper(kit.runtime(), kept);
        final CompletionStage<Integer> stage = keeper.ask(r -> new AskReq(1, r), Duration.ofMillis(50));
        final AtomicInteger completions = completions(stage);
        final Reply<Integer> reply = takeKept(kept);
        assertInstanceOf(AskTimeoutException.class, kit.awaitFailure("the ask to time out", stage));
        final RuntimeCounters before = kit.runtime().counters();
        assertFalse(reply.reply(7), "a reply after the timeout must be refused");
        assertFalse(reply.fail(new IllegalStateException("late")), "a failure after the timeout must be refused");
        final RuntimeCounters after = kit.runtime().counters();
        assertEquals(before.lateReplies() + 2, after.lateReplies(), "both late completions are counted");
        assertEquals(before.deadLetters(), after.deadLetters(), "a late reply is not a dead letter");
        assertInstanceOf(AskTimeoutException.class, kit.awaitFailure("the timed-out ask", stage),
                "the late reply must never be delivered");
        assertDependentsRanOnce(kit, completions);
    }

    // =========================================================================== 5.5

    @Example
    default void required_spec_5_5_askingAgentKeepsProcessingWhileItsAskIsPending() throws Exception {
        final Kit kit = kit();
        final BlockingQueue<Reply<Integer>> kept = new LinkedBlockingQueue<>();
        final AgentRef<AskReq> keeper = keeper(kit.runtime(), kept);
        final Recorder<Object> asker = kit.recorder(Object.class);
        asker.behave((m, ctx) -> {
            if ("go".equals(m)) {
                final CompletionStage<Integer> stage = keeper.ask(r -> new AskReq(1, r), LONG);
                ctx.pipeToSelf(stage, (value, failure) -> failure != null ? failure : (Object) ("answer " + value));
            }
        });
        asker.ref().tell("go");
        final Reply<Integer> reply = takeKept(kept);
        asker.ref().tell("ping");
        asker.awaitCount(2);
        assertEquals(List.of("go", "ping"), asker.messages(),
                "an agent with an ask pending must go on processing messages (it must not block for the reply)");
        assertTrue(reply.reply(5));
        asker.awaitCount(3);
        assertEquals(List.of("go", "ping", "answer 5"), asker.messages(),
                "pipeToSelf must deliver the reply as a message");
    }

    @Example
    default void required_spec_5_5_pipedResultGoesThroughTheBoundedMailbox() throws Exception {
        final Kit kit = kit();
        final Gate gate = new Gate(kit);
        final CompletableFuture<Integer> outcome = new CompletableFuture<>();
        final Recorder<Object> agent = kit.recorder(kit.runtime(), Object.class,
                SpawnOptions.defaults().withMailboxCapacity(2));
        agent.behave((m, ctx) -> {
            if ("pipe".equals(m)) {
                ctx.pipeToSelf(outcome, (value, failure) -> "piped " + value);
            } else if ("hold".equals(m)) {
                gate.hold();
            }
        });
        final int capacity = kit.runtime().mailboxCapacity(agent.id());
        final RuntimeCounters before;
        try {
            agent.ref().tell("pipe");
            agent.ref().tell("hold");
            gate.awaitEntered();
            for (int i = 0; i < capacity; i++) {
                agent.ref().tell("filler " + i);
            }
            before = kit.runtime().counters();
            outcome.complete(1); // the mailbox is full: the piped result must be refused
            kit.await("the refused piped result to be counted as rejectedFull",
                    () -> kit.runtime().counters().rejectedFull() > before.rejectedFull());
        } finally {
            gate.release();
        }
        agent.awaitCount(2 + capacity);
        agent.ref().tell("marker");
        agent.awaitCount(3 + capacity);
        assertFalse(agent.messages().contains("piped 1"),
                "a piped result refused by the full mailbox must not be delivered later");
        final CompletionStage<?> terminated = kit.runtime().whenTerminated(agent.id());
        kit.runtime().stop(agent.id());
        kit.await("the agent to terminate", terminated);
        final RuntimeCounters after = kit.runtime().counters();
        assertEquals(before.rejectedFull() + 1, after.rejectedFull(), "one refused piped result");
        assertEquals(before.deadLetters(), after.deadLetters(), "a refused piped result is not a dead letter");
    }

    // =========================================================================== 5.6

    @Example
    default void required_spec_5_6_twoAgentsAskingEachOtherComplete() {
        final Kit kit = kit();
        final AtomicReferenceArray<AgentRef<Cyc>> ring = CycleAgent.ring(kit, kit.runtime(), 2);
        final CompletionStage<Integer> stage = ring.get(0).ask(r -> new CycAsk(6, r), LONG);
        assertEquals(6, kit.await("A asks B asks A ... (6 hops)", stage));
    }

    @Example
    default void required_spec_5_6_concurrentCyclesOverFourAgentsComplete() {
        final Kit kit = kit();
        final AtomicReferenceArray<AgentRef<Cyc>> ring = CycleAgent.ring(kit, kit.runtime(), 4);
        final List<CompletionStage<Integer>> stages = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            final int depth = 5 + i;
            stages.add(ring.get(i % 4).ask(r -> new CycAsk(depth, r), LONG));
        }
        for (int i = 0; i < stages.size(); i++) {
            assertEquals(5 + i, kit.await("cyclic ask " + i + " over four agents", stages.get(i)));
        }
    }

    @Example
    default void untested_spec_5_6_cyclicAsksOnASingleThreadDispatcher() {
        throw new org.opentest4j.TestAbortedException("untested: the API cannot choose the dispatcher size; the"
                + " cyclic checks run on whatever dispatcher the provider's runtime has");
    }

    // =========================================================================== 5.7

    @Example
    default void required_spec_5_7_stoppedTargetFailsThePendingAskAtOnce() throws Exception {
        final Kit kit = kit();
        final BlockingQueue<Reply<Integer>> kept = new LinkedBlockingQueue<>();
        final AgentRef<AskReq> keeper = keeper(kit.runtime(), kept);
        final CompletionStage<Integer> stage = keeper.ask(r -> new AskReq(1, r), LONG);
        final AtomicInteger completions = completions(stage);
        final Reply<Integer> reply = takeKept(kept);
        kit.runtime().stop(keeper.id());
        final AgentTerminatedException terminated = assertInstanceOf(AgentTerminatedException.class,
                kit.awaitFailure("the ask of an agent that terminated without replying", stage));
        assertEquals(keeper.id(), terminated.agent());
        assertFalse(reply.reply(1), "a reply after the termination completed the ask is late");
        assertDependentsRanOnce(kit, completions);
    }

    @Example
    default void required_spec_5_7_deadLetteredRequestFailsTheAsk() throws Exception {
        final Kit kit = kit();
        final Gate gate = new Gate(kit);
        final ConcurrentLinkedQueue<Integer> served = new ConcurrentLinkedQueue<>();
        final AgentRef<AskReq> agent = kit.runtime().spawn(AskReq.class, () -> (m, ctx) -> {
            served.add(m.n());
            if (m.n() < 0) {
                gate.hold();
                throw new IllegalStateException("planned failure: the agent stops, its mailbox is dead-lettered");
            }
        });
        final CompletionStage<Integer> stage;
        try {
            agent.tell(new AskReq(-1, null));
            gate.awaitEntered();
            stage = agent.ask(r -> new AskReq(1, r), LONG);
        } finally {
            gate.release();
        }
        final AgentTerminatedException terminated = assertInstanceOf(AgentTerminatedException.class,
                kit.awaitFailure("the ask whose request was dead-lettered", stage));
        assertEquals(agent.id(), terminated.agent());
        if (served.contains(1)) {
            fail("the request behind the failing message must not be processed under RestartPolicy.never()");
        }
    }

    // =========================================================================== 5.8

    @Example
    default void required_spec_5_8_aHandlerThatThrowsFailsItsAskWithTheCause() throws Exception {
        final Kit kit = kit();
        final IllegalStateException planned = new IllegalStateException("planned failure of the request's handler");
        final AgentRef<AskReq> agent = kit.runtime().spawn(AskReq.class, () -> (m, ctx) -> {
            if (m.n() < 0) {
                throw planned;
            }
            m.reply().reply(m.n() * 2);
        }, SpawnOptions.defaults().withRestartPolicy(dev.flin.runtime.RestartPolicy.always(dev.flin.runtime.Backoff.NONE)));
        final CompletionStage<Integer> failing = agent.ask(r -> new AskReq(-1, r), LONG);
        final CompletionStage<Integer> next = agent.ask(r -> new AskReq(21, r), LONG);
        assertSame(planned, kit.awaitFailure("the ask whose handler threw (rule 5.8: with the cause, not a timeout)", failing));
        assertEquals(Integer.valueOf(42), kit.await("the next request, answered by the restarted agent", next),
                "only the request whose handler threw fails");
    }

    @Example
    default void required_spec_5_8_aHandlerThatRepliedThenThrewKeepsTheReply() throws Exception {
        final Kit kit = kit();
        final AgentRef<AskReq> agent = kit.runtime().spawn(AskReq.class, () -> (m, ctx) -> {
            m.reply().reply(m.n());
            throw new IllegalStateException("planned failure after the reply");
        });
        final long lateBefore = kit.runtime().counters().lateReplies();
        final CompletionStage<Integer> asked = agent.ask(r -> new AskReq(7, r), LONG);
        assertEquals(Integer.valueOf(7), kit.await("the reply given before the handler threw", asked));
        kit.await("the failure to be counted", () -> kit.runtime().counters().failures() >= 1);
        assertEquals(lateBefore, kit.runtime().counters().lateReplies(),
                "failing an ask that was already answered is the runtime's doing, not a late reply of the agent");
    }
}

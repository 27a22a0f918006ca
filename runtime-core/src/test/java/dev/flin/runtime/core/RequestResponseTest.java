package dev.flin.runtime.core;

import static dev.flin.runtime.core.MessagingSupport.WAIT;
import static dev.flin.runtime.core.MessagingSupport.await;
import static dev.flin.runtime.core.MessagingSupport.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentTerminatedException;
import dev.flin.runtime.AskTimeoutException;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.core.MessagingSupport.Concurrent;
import dev.flin.runtime.core.MessagingSupport.Runtimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Section 5 of the spec: request-response. */
class RequestResponseTest {

    private final Runtimes runtimes = new Runtimes();

    @AfterEach
    void shutDown() {
        runtimes.close();
    }

    record Req(int n, Reply<Integer> reply) {
    }

    private static AgentRef<Req> spawnEcho(final AgentRuntime rt) {
        return rt.spawn(Req.class, () -> (m, ctx) -> m.reply().reply(m.n() * 2));
    }

    /** An agent that keeps every reply handle it gets and never answers. */
    private static AgentRef<Req> spawnSilent(final AgentRuntime rt, final List<Reply<Integer>> kept) {
        return rt.spawn(Req.class, () -> (m, ctx) -> kept.add(m.reply()));
    }

    // ---------------------------------------------------------------- 5.1 exactly once

    @Test
    void spec_5_1_askCompletesWithTheReply() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final AgentRef<Req> echo = spawnEcho(rt);
        final CompletableFuture<Integer> answer =
                echo.<Integer>ask(r -> new Req(21, r), Duration.ofSeconds(5)).toCompletableFuture();
        assertFalse(answer.isDone(), "nothing has run yet");
        d.runUntilIdle();
        assertEquals(42, answer.getNow(null));
        assertEquals(0, rt.counters().lateReplies());
    }

    @Test
    void spec_5_1_racingRepliesCompleteTheAskExactlyOnce() throws Exception {
        final AgentRuntime rt = runtimes.pool(2);
        final LinkedBlockingQueue<Reply<Integer>> handed = new LinkedBlockingQueue<>();
        final AgentRef<Req> forwarder = rt.spawn(Req.class, () -> (m, ctx) -> handed.add(m.reply()));
        final int rounds = 50;
        final int racers = 4;
        for (int round = 0; round < rounds; round++) {
            final CompletionStage<Integer> stage = forwarder.ask(r -> new Req(0, r), Duration.ofSeconds(30));
            final Reply<Integer> reply = handed.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(reply);
            final AtomicInteger winners = new AtomicInteger();
            final AtomicInteger winningValue = new AtomicInteger(-1);
            try (Concurrent threads = Concurrent.start(racers, i -> {
                if (reply.reply(i)) {
                    winners.incrementAndGet();
                    winningValue.set(i);
                }
            })) {
                threads.await();
            }
            assertEquals(1, winners.get(), "exactly one reply may win");
            assertEquals(winningValue.get(), await(stage));
            assertTrue(reply.isCompleted());
        }
        assertEquals((long) rounds * (racers - 1), rt.counters().lateReplies());
    }

    // ---------------------------------------------------------------- 5.2 timeout

    @Test
    void spec_5_2_askTimeoutNamesTargetAndRequestType() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<Reply<Integer>> kept = new ArrayList<>();
        final AgentRef<Req> silent = spawnSilent(rt, kept);
        final Duration timeout = Duration.ofMillis(100);
        final CompletionStage<Integer> stage = silent.ask(r -> new Req(1, r), timeout);
        d.runUntilIdle();
        assertEquals(1, kept.size(), "the request was delivered");
        d.advanceTime(timeout.minusNanos(1));
        assertFalse(stage.toCompletableFuture().isDone(), "must not time out early");
        d.advanceTime(Duration.ofNanos(1));

        final AskTimeoutException e = assertInstanceOf(AskTimeoutException.class, failureOf(stage));
        assertEquals(silent.id(), e.target());
        assertEquals(Req.class, e.requestType());
        assertEquals(timeout, e.timeout());
        assertEquals("5.2", e.rule());
        assertTrue(e.getMessage().contains(silent.id().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(Req.class.getName()), e.getMessage());
        assertTrue(kept.get(0).isCompleted());
    }

    // ---------------------------------------------------------------- 5.3 fails at once

    @Test
    void spec_5_3_askToTerminatedTargetFailsAtOnceWithNotFound() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final AgentRef<Req> echo = spawnEcho(rt);
        rt.stop(echo.id());
        d.runUntilIdle();
        assertTrue(rt.state(echo.id()).isEmpty());
        // an id that is no longer alive is "unknown" to the registry: no ref can be had for it
        assertTrue(rt.ref(echo.id(), Req.class).isEmpty());

        final CompletionStage<Integer> stage = echo.ask(r -> new Req(1, r), Duration.ofSeconds(5));
        // completed before the dispatcher runs anything
        final AgentNotFoundException e = assertInstanceOf(AgentNotFoundException.class, failureOf(stage));
        assertEquals(echo.id(), e.agent());
        assertEquals(1, rt.counters().rejectedNotFound());
    }

    @Test
    void spec_5_3_unknownIdHasNoRefToAskAndRequestsByIdFailNotFound() {
        // An ask needs a ref; the registry hands out none for an unknown id (the stale-ref case is
        // spec_5_3_askToTerminatedTargetFailsAtOnceWithNotFound). A request sent by id fails at once.
        final AgentRuntime rt = runtimes.deterministic();
        final AgentId unknown = new AgentId(31_337L);
        assertTrue(rt.ref(unknown, Req.class).isEmpty());
        final AgentNotFoundException e = assertThrows(AgentNotFoundException.class,
                () -> rt.send(unknown, new Req(1, null)));
        assertEquals(unknown, e.agent());
    }

    @Test
    void spec_5_3_askToStoppingTargetFailsAtOnceWithNotFound() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final AgentRef<Req> echo = spawnEcho(rt);
        d.runUntilIdle();
        rt.stop(echo.id()); // stopping: nothing has run since
        assertTrue(rt.state(echo.id()).isPresent());

        final CompletionStage<Integer> stage = echo.ask(r -> new Req(1, r), Duration.ofSeconds(5));
        final AgentNotFoundException e = assertInstanceOf(AgentNotFoundException.class, failureOf(stage));
        assertEquals(echo.id(), e.agent());
        d.runUntilIdle();
        assertEquals(0, rt.counters().processed(), "the refused request must not be processed");
    }

    @Test
    void spec_5_3_askToFullTargetFailsAtOnceWithMailboxFull() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<Integer> served = new ArrayList<>();
        final AgentRef<Req> echo = rt.spawn(Req.class, () -> (m, ctx) -> {
            served.add(m.n());
            m.reply().reply(m.n());
        }, SpawnOptions.defaults().withMailboxCapacity(2));
        rt.pause(echo.id());
        d.runUntilIdle();
        final CompletionStage<Integer> first = echo.ask(r -> new Req(1, r), Duration.ofSeconds(5));
        final CompletionStage<Integer> second = echo.ask(r -> new Req(2, r), Duration.ofSeconds(5));
        final CompletionStage<Integer> refused = echo.ask(r -> new Req(3, r), Duration.ofSeconds(5));

        final MailboxFullException e = assertInstanceOf(MailboxFullException.class, failureOf(refused));
        assertEquals(echo.id(), e.agent());
        assertEquals(2, rt.mailboxDepth(echo.id()));
        assertEquals(1, rt.counters().rejectedFull());

        rt.resume(echo.id());
        d.runUntilIdle();
        assertEquals(1, first.toCompletableFuture().getNow(null));
        assertEquals(2, second.toCompletableFuture().getNow(null));
        assertEquals(List.of(1, 2), served);
    }

    // ---------------------------------------------------------------- 5.4 one-shot reply

    @Test
    void spec_5_4_secondReplyIsRefusedCountedAndNotDelivered() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<Boolean> outcomes = new ArrayList<>();
        final AgentRef<Req> twice = rt.spawn(Req.class, () -> (m, ctx) -> {
            outcomes.add(m.reply().reply(1));
            outcomes.add(m.reply().reply(2));
            outcomes.add(m.reply().fail(new IllegalStateException("too late")));
            outcomes.add(m.reply().isCompleted());
        });
        final CompletionStage<Integer> stage = twice.ask(r -> new Req(0, r), Duration.ofSeconds(5));
        d.runUntilIdle();
        assertEquals(List.of(true, false, false, true), outcomes);
        assertEquals(1, stage.toCompletableFuture().getNow(null), "the first reply stands");
        assertEquals(2, rt.counters().lateReplies());
    }

    @Test
    void spec_5_4_replyAfterTimeoutIsLateAndCounted() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<Reply<Integer>> kept = new ArrayList<>();
        final AgentRef<Req> silent = spawnSilent(rt, kept);
        final CompletionStage<Integer> stage = silent.ask(r -> new Req(1, r), Duration.ofMillis(50));
        d.advanceTime(Duration.ofMillis(51));
        assertInstanceOf(AskTimeoutException.class, failureOf(stage));
        final RuntimeCounters before = rt.counters();

        assertFalse(kept.get(0).reply(7), "a reply after the timeout must be refused");
        assertEquals(before.lateReplies() + 1, rt.counters().lateReplies());
        assertEquals(before.deadLetters(), rt.counters().deadLetters(), "a late reply is not a dead letter");
        assertInstanceOf(AskTimeoutException.class, failureOf(stage), "the timeout outcome stands");
    }

    // ---------------------------------------------------------------- 5.5 asking from an agent

    sealed interface Caller permits Go, Answer {
    }

    record Go(AgentRef<Req> target, int n) implements Caller {
    }

    record Answer(Integer value, Throwable failure) implements Caller {
    }

    private AgentRef<Caller> spawnCaller(final AgentRuntime rt, final List<String> log,
                                         final CompletableFuture<Answer> answered, final Duration askTimeout) {
        return rt.spawn(Caller.class, () -> (m, ctx) -> {
            if (m instanceof Go go) {
                log.add("go:start");
                final CompletionStage<Integer> stage = go.target().ask(r -> new Req(go.n(), r), askTimeout);
                ctx.pipeToSelf(stage, Answer::new);
                log.add("go:end, stage done = " + stage.toCompletableFuture().isDone());
            } else if (m instanceof Answer answer) {
                // a message on the agent thread: agent-thread-only calls work here
                ctx.timers().isActive("probe");
                log.add("answer");
                answered.complete(answer);
            }
        });
    }

    @Test
    void spec_5_5_askFromAnAgentReturnsAtOnceAndPipeToSelfDeliversTheReplyAsAMessage() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<String> log = new ArrayList<>();
        final AgentRef<Req> echo = rt.spawn(Req.class, () -> (m, ctx) -> {
            log.add("echo");
            m.reply().reply(m.n() * 2);
        });
        final CompletableFuture<Answer> answered = new CompletableFuture<>();
        final AgentRef<Caller> caller = spawnCaller(rt, log, answered, Duration.ofSeconds(5));
        caller.tell(new Go(echo, 21));
        d.runUntilIdle();
        assertEquals(List.of("go:start", "go:end, stage done = false", "echo", "answer"), log);
        assertEquals(new Answer(42, null), answered.getNow(null));
    }

    @Test
    void spec_5_5_pipeToSelfDeliversAFailureAsAMessage() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<Reply<Integer>> kept = new ArrayList<>();
        final AgentRef<Req> silent = spawnSilent(rt, kept);
        final List<String> log = new ArrayList<>();
        final CompletableFuture<Answer> answered = new CompletableFuture<>();
        final AgentRef<Caller> caller = spawnCaller(rt, log, answered, Duration.ofMillis(30));
        caller.tell(new Go(silent, 1));
        d.runUntilIdle();
        assertFalse(answered.isDone());
        d.advanceTime(Duration.ofMillis(30));
        final Answer answer = answered.getNow(null);
        assertNotNull(answer, "the timeout must come back as a message");
        assertInstanceOf(AskTimeoutException.class, MessagingSupport.unwrap(answer.failure()));
    }

    @Test
    void spec_5_5_askFromAnAgentOnOneWorkerThreadDoesNotBlockIt() throws Exception {
        final AgentRuntime rt = runtimes.pool(1);
        final List<String> log = new CopyOnWriteArrayList<>();
        final AgentRef<Req> echo = spawnEcho(rt);
        final CompletableFuture<Answer> answered = new CompletableFuture<>();
        final AgentRef<Caller> caller = spawnCaller(rt, log, answered, Duration.ofSeconds(5));
        caller.tell(new Go(echo, 5));
        assertEquals(new Answer(10, null), await(answered));
        assertEquals(List.of("go:start", "go:end, stage done = false", "answer"), log);
    }

    // ---------------------------------------------------------------- 5.6 cyclic asks

    sealed interface Peer permits Start, Ping, Pong, PingDone, PongDone {
    }

    /** From the test: ask your peer, answer me when it answered. */
    record Start(Reply<String> done) implements Peer {
    }

    /** From a peer: before answering, ask me back. */
    record Ping(Reply<String> reply) implements Peer {
    }

    /** From a peer, while it is handling my Ping: answer at once. */
    record Pong(Reply<String> reply) implements Peer {
    }

    record PingDone(String value, Throwable failure) implements Peer {
    }

    record PongDone(String value, Throwable failure, Reply<String> pending) implements Peer {
    }

    private static AgentRef<Peer> spawnPeer(final AgentRuntime rt, final String name,
                                            final AtomicReference<AgentRef<Peer>> peer) {
        final Duration inner = Duration.ofSeconds(20);
        return rt.spawn(Peer.class, () -> new dev.flin.runtime.Agent<Peer>() {
            private Reply<String> done;

            @Override
            public void onMessage(final Peer m, final dev.flin.runtime.AgentContext<Peer> ctx) {
                if (m instanceof Start start) {
                    done = start.done();
                    ctx.pipeToSelf(peer.get().<String>ask(Ping::new, inner), PingDone::new);
                } else if (m instanceof Ping ping) {
                    ctx.pipeToSelf(peer.get().<String>ask(Pong::new, inner),
                            (v, t) -> new PongDone(v, t, ping.reply()));
                } else if (m instanceof Pong pong) {
                    pong.reply().reply("pong from " + name);
                } else if (m instanceof PongDone pd) {
                    pd.pending().reply(pd.failure() == null ? name + " saw " + pd.value() : "failed: " + pd.failure());
                } else if (m instanceof PingDone pd) {
                    done.reply(pd.failure() == null ? name + " got " + pd.value() : "failed: " + pd.failure());
                }
            }
        });
    }

    @ParameterizedTest(name = "worker threads: {0}")
    @ValueSource(ints = {1, 2})
    void spec_5_6_cyclicAsksCompleteWithoutDeadlock(final int threads) throws Exception {
        final AgentRuntime rt = runtimes.pool(threads);
        final AtomicReference<AgentRef<Peer>> aPeer = new AtomicReference<>();
        final AtomicReference<AgentRef<Peer>> bPeer = new AtomicReference<>();
        final AgentRef<Peer> a = spawnPeer(rt, "A", aPeer);
        final AgentRef<Peer> b = spawnPeer(rt, "B", bPeer);
        aPeer.set(b);
        bPeer.set(a);
        for (int round = 0; round < 100; round++) {
            // A asks B, B (while handling) asks A back; and at the same time the mirror image
            final CompletionStage<String> fromA = a.ask(Start::new, Duration.ofSeconds(30));
            final CompletionStage<String> fromB = b.ask(Start::new, Duration.ofSeconds(30));
            assertEquals("A got B saw pong from A", await(fromA));
            assertEquals("B got A saw pong from B", await(fromB));
        }
        assertEquals(0, rt.counters().lateReplies());
    }

    @Test
    void spec_5_6_cyclicAsksCompleteOnTheDeterministicDispatcher() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final AtomicReference<AgentRef<Peer>> aPeer = new AtomicReference<>();
        final AtomicReference<AgentRef<Peer>> bPeer = new AtomicReference<>();
        final AgentRef<Peer> a = spawnPeer(rt, "A", aPeer);
        final AgentRef<Peer> b = spawnPeer(rt, "B", bPeer);
        aPeer.set(b);
        bPeer.set(a);
        final CompletableFuture<String> fromA = a.<String>ask(Start::new, Duration.ofSeconds(30)).toCompletableFuture();
        final CompletableFuture<String> fromB = b.<String>ask(Start::new, Duration.ofSeconds(30)).toCompletableFuture();
        d.runUntilIdle(); // the clock never moves: no timeout can be what completes them
        assertEquals("A got B saw pong from A", fromA.getNow(null));
        assertEquals("B got A saw pong from B", fromB.getNow(null));
    }

    // ---------------------------------------------------------------- 5.7 target terminates first

    @Test
    void spec_5_7_targetStoppingBeforeReplyingFailsTheAskWithAgentTerminated() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final List<Reply<Integer>> kept = new ArrayList<>();
        final AgentRef<Req> quitter = rt.spawn(Req.class, () -> (m, ctx) -> {
            kept.add(m.reply());
            ctx.stop();
        });
        final CompletionStage<Integer> stage = quitter.ask(r -> new Req(1, r), Duration.ofSeconds(5));
        d.runUntilIdle(); // no time passes: the timeout cannot be the cause
        assertTrue(rt.state(quitter.id()).isEmpty());
        final AgentTerminatedException e = assertInstanceOf(AgentTerminatedException.class, failureOf(stage));
        assertEquals(quitter.id(), e.agent());
        assertEquals("5.7", e.rule());
        assertFalse(kept.get(0).reply(1), "replying after termination is late");
        assertEquals(1, rt.counters().lateReplies());
    }

    @Test
    void spec_5_7_requestDeadLetteredByAFailureFailsTheAskWithAgentTerminated() {
        final AgentRuntime rt = runtimes.deterministic();
        final DeterministicDispatcher d = runtimes.det();
        final AgentRef<Object> fragile = rt.spawn(Object.class, () -> (m, ctx) -> {
            if (m.equals("boom")) {
                throw new IllegalStateException("planned failure (test)");
            }
            ((Req) m).reply().reply(0);
        });
        fragile.tell("boom");
        final CompletionStage<Integer> stage = fragile.ask(r -> new Req(1, r), Duration.ofSeconds(5));
        d.runUntilIdle();
        assertTrue(rt.state(fragile.id()).isEmpty());
        final AgentTerminatedException e = assertInstanceOf(AgentTerminatedException.class, failureOf(stage));
        assertEquals(fragile.id(), e.agent());
        assertEquals(1, rt.counters().deadLetters());
    }

    @Test
    void spec_5_7_asksRacingAStopAllCompleteWithoutWaitingForTheirTimeout() throws Exception {
        final AgentRuntime rt = runtimes.pool(2);
        final int askers = 3;
        for (int round = 0; round < 10; round++) {
            // replies to even requests, keeps odd ones unanswered: those can only end by termination
            final AgentRef<Req> target = rt.spawn(Req.class, () -> (m, ctx) -> {
                if (m.n() % 2 == 0) {
                    m.reply().reply(m.n());
                }
            }, SpawnOptions.defaults().withMailboxCapacity(64));
            final List<CompletionStage<Integer>> stages = new CopyOnWriteArrayList<>();
            final AtomicInteger started = new AtomicInteger();
            try (Concurrent threads = Concurrent.start(askers, s -> {
                for (int i = 0; i < 2_000; i++) {
                    final int n = i;
                    // a timeout far beyond the hang guard: a stage completed by its timeout fails the test
                    final CompletionStage<Integer> stage = target.ask(r -> new Req(n, r), Duration.ofMinutes(10));
                    stages.add(stage);
                    started.incrementAndGet();
                    final Throwable refused = stage.toCompletableFuture().isCompletedExceptionally()
                            ? MessagingSupport.failureOf(stage) : null;
                    if (refused instanceof AgentNotFoundException) {
                        return;
                    }
                }
            })) {
                Poll.until(() -> started.get() >= 500, WAIT);
                rt.stop(target.id());
                threads.await();
            }
            for (final CompletionStage<Integer> stage : stages) {
                final CompletableFuture<Integer> f = stage.toCompletableFuture();
                try {
                    f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    final Throwable cause = MessagingSupport.unwrap(e);
                    assertTrue(cause instanceof AgentTerminatedException || cause instanceof AgentNotFoundException
                            || cause instanceof MailboxFullException, "unexpected outcome " + cause);
                }
            }
        }
    }

    @Test
    void spec_5_7_targetStoppedExternallyWhileHoldingTheReplyFailsTheAsk() throws Exception {
        final AgentRuntime rt = runtimes.pool(2);
        final List<Reply<Integer>> kept = new CopyOnWriteArrayList<>();
        final AgentRef<Req> silent = spawnSilent(rt, kept);
        final CompletionStage<Integer> stage = silent.ask(r -> new Req(1, r), Duration.ofSeconds(30));
        Poll.until(() -> kept.size() == 1, WAIT);
        rt.stop(silent.id());
        final AgentTerminatedException e =
                assertInstanceOf(AgentTerminatedException.class, MessagingSupport.awaitFailure(stage));
        assertEquals(silent.id(), e.agent());
    }
}

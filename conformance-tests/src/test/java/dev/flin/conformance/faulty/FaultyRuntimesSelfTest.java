package dev.flin.conformance.faulty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Each faulty runtime really is faulty: one direct test per fault shows the misbehaviour through the
 * public API, so a fault that accidentally behaves correctly is noticed here (and not only as a
 * "caught by no rule" line of the matrix). No sleeps: latches, futures and deadline-bounded polling.
 * The last tests check that the forwarding machinery without a fault is transparent.
 */
class FaultyRuntimesSelfTest {

    private static final long WAIT_SECONDS = 10;

    /** Records every message in a queue the test reads; generic, so a wrongly typed message is kept too. */
    static final class Collector<M> implements Agent<M> {
        private final ConcurrentLinkedQueue<Object> received;

        Collector(final ConcurrentLinkedQueue<Object> received) {
            this.received = received;
        }

        @Override
        public void onMessage(final M message, final AgentContext<M> context) {
            received.add(message);
        }
    }

    private static <M> AgentRef<M> collector(final AgentRuntime runtime, final Class<M> type,
                                             final ConcurrentLinkedQueue<Object> received, final SpawnOptions options) {
        return runtime.spawn(type, () -> new Collector<>(received), options);
    }

    private static void awaitTrue(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private static <T> T await(final CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static List<Integer> ints(final ConcurrentLinkedQueue<Object> received) {
        return received.stream().map(Integer.class::cast).collect(Collectors.toList());
    }

    // ------------------------------------------------------------------------------ the faults

    @Test
    void dropsMessages_theFifthTellReturnsNormallyButNeverArrives() {
        try (AgentRuntime runtime = new DropsMessages(FlinRuntime.create(), 50)) {
            final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
            final AgentRef<Integer> ref = collector(runtime, Integer.class, received, SpawnOptions.defaults());
            for (int i = 1; i <= 10; i++) {
                ref.tell(i); // returns normally, also for the dropped one
            }
            awaitTrue("message 10", () -> received.contains(10));
            assertEquals(List.of(1, 2, 3, 4, 6, 7, 8, 9, 10), ints(received));
        }
    }

    @Test
    void reordersMessages_theThirdAndFourthTellArriveSwapped() {
        try (AgentRuntime runtime = new ReordersMessages(FlinRuntime.create())) {
            final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
            final AgentRef<Integer> ref = collector(runtime, Integer.class, received, SpawnOptions.defaults());
            for (int i = 1; i <= 10; i++) {
                ref.tell(i);
            }
            awaitTrue("10 messages", () -> received.size() == 10);
            assertEquals(List.of(1, 2, 4, 3, 5, 6, 7, 8, 9, 10), ints(received));
        }
    }

    @Test
    void runsCallbacksConcurrently_aSecondMessageRunsWhileTheFirstIsStillInside() throws Exception {
        try (AgentRuntime runtime = new RunsCallbacksConcurrently(FlinRuntime.create())) {
            final CountDownLatch secondEntered = new CountDownLatch(1);
            final CompletableFuture<Boolean> overlapped = new CompletableFuture<>();
            final AgentRef<String> ref = runtime.spawn(String.class, () -> (message, context) -> {
                if (message.equals("first")) {
                    // a correct runtime cannot start "second" before this returns: the wait times out
                    overlapped.complete(secondEntered.await(2, TimeUnit.SECONDS));
                } else {
                    secondEntered.countDown();
                }
            });
            ref.tell("first");
            ref.tell("second");
            assertTrue(await(overlapped), "the second message ran while the first was still inside onMessage");
        }
    }

    @Test
    void ignoresMailboxCapacity_aFullMailboxNeverRefusesAndTheOverflowArrivesLater() {
        try (AgentRuntime runtime = new IgnoresMailboxCapacity(FlinRuntime.create())) {
            final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
            final AgentRef<Integer> ref = collector(runtime, Integer.class, received,
                    SpawnOptions.defaults().withMailboxCapacity(4));
            runtime.pause(ref.id());
            final int capacity = runtime.mailboxCapacity(ref.id());
            assertEquals(4, capacity);
            for (int i = 0; i < 20; i++) {
                ref.tell(i); // 16 more than fit, and no MailboxFullException
            }
            runtime.resume(ref.id());
            awaitTrue("all 20 messages", () -> received.size() == 20);
            assertEquals(IntStream.range(0, 20).boxed().collect(Collectors.toList()), ints(received));
        }
    }

    @Test
    void blocksWhenFull_aSendToAFullMailboxWaitsForRoom() throws Exception {
        final ExecutorService sender = Executors.newSingleThreadExecutor();
        try (AgentRuntime runtime = new BlocksWhenFull(FlinRuntime.create())) {
            final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
            final AgentRef<Integer> ref = collector(runtime, Integer.class, received,
                    SpawnOptions.defaults().withMailboxCapacity(2));
            runtime.pause(ref.id());
            ref.tell(1);
            ref.tell(2);
            final Future<?> third = sender.submit(() -> ref.tell(3));
            assertThrows(TimeoutException.class, () -> third.get(300, TimeUnit.MILLISECONDS),
                    "a correct runtime refuses at once with MailboxFullException");
            runtime.resume(ref.id());
            third.get(WAIT_SECONDS, TimeUnit.SECONDS); // room appeared: the blocked send went through
            awaitTrue("3 messages", () -> received.size() == 3);
        } finally {
            sender.shutdownNow();
        }
    }

    @Test
    void reusesIds_theNextAgentGetsTheIdOfATerminatedOneAndStaleSendsReachIt() throws Exception {
        try (AgentRuntime runtime = new ReusesIds(FlinRuntime.create())) {
            final ConcurrentLinkedQueue<Object> first = new ConcurrentLinkedQueue<>();
            final ConcurrentLinkedQueue<Object> second = new ConcurrentLinkedQueue<>();
            final AgentId stale = collector(runtime, Integer.class, first, SpawnOptions.defaults()).id();
            runtime.stop(stale);
            await(runtime.whenTerminated(stale));
            final AgentRef<Integer> stranger = collector(runtime, Integer.class, second, SpawnOptions.defaults());
            assertEquals(stale, stranger.id());
            runtime.send(stale, 42); // a correct runtime throws AgentNotFoundException
            awaitTrue("the stale send to reach the new agent", () -> second.contains(42));
        }
    }

    @Test
    void skipsOnStop_aStoppedAgentNeverGetsOnStop() throws Exception {
        final AtomicInteger stops = new AtomicInteger();
        try (AgentRuntime runtime = new SkipsOnStop(FlinRuntime.create())) {
            final AgentRef<String> ref = runtime.spawn(String.class, () -> new StopCounting(stops));
            runtime.stop(ref.id());
            await(runtime.whenTerminated(ref.id()));
            assertEquals(0, stops.get());
        }
    }

    @Test
    void runsOnStopTwice_aStoppedAgentGetsOnStopTwice() throws Exception {
        final AtomicInteger stops = new AtomicInteger();
        try (AgentRuntime runtime = new RunsOnStopTwice(FlinRuntime.create())) {
            final AgentRef<String> ref = runtime.spawn(String.class, () -> new StopCounting(stops));
            runtime.stop(ref.id());
            await(runtime.whenTerminated(ref.id()));
            assertEquals(2, stops.get());
        }
    }

    /** Counts onStop calls. */
    static final class StopCounting implements Agent<String> {
        private final AtomicInteger stops;

        StopCounting(final AtomicInteger stops) {
            this.stops = stops;
        }

        @Override
        public void onMessage(final String message, final AgentContext<String> context) {
        }

        @Override
        public void onStop(final AgentContext<String> context) {
            stops.incrementAndGet();
        }
    }

    /** A question nobody answers. */
    record Question(Reply<String> reply) { }

    @Test
    void askNeverTimesOut_anUnansweredAskStaysPendingLongAfterItsTimeout() {
        try (AgentRuntime runtime = new AskNeverTimesOut(FlinRuntime.create())) {
            final AgentRef<Question> silent = runtime.spawn(Question.class, () -> (question, context) -> { });
            final CompletableFuture<String> answer = silent.<String>ask(Question::new, Duration.ofMillis(20))
                    .toCompletableFuture();
            // ten times the timeout: a correct runtime has failed it with AskTimeoutException by now
            assertThrows(TimeoutException.class, () -> answer.get(200, TimeUnit.MILLISECONDS));
            assertFalse(answer.isDone());
        }
    }

    @Test
    void deliversTimerAfterCancel_aCancelledTimersMessageStillArrives() throws Exception {
        try (AgentRuntime runtime = new DeliversTimerAfterCancel(FlinRuntime.create())) {
            final CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
            final CompletableFuture<String> tick = new CompletableFuture<>();
            final AgentRef<String> ref = runtime.spawn(String.class, () -> (message, context) -> {
                if (message.equals("start")) {
                    context.timers().startSingle("t", "tick", Duration.ofHours(1));
                    cancelled.complete(context.timers().cancel("t"));
                } else {
                    tick.complete(message);
                }
            });
            ref.tell("start");
            assertTrue(await(cancelled), "cancel reported the timer active");
            assertEquals("tick", await(tick), "the one-hour timer's message arrived right after its cancel");
        }
    }

    @Test
    void ignoresUnsubscribe_anUnsubscribedAgentStillGetsEvents() {
        try (AgentRuntime runtime = new IgnoresUnsubscribe(FlinRuntime.create())) {
            final Topic<String> topic = Topic.of("self-test", String.class);
            final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
            final AgentRef<String> ref = collector(runtime, String.class, received, SpawnOptions.defaults());
            runtime.subscribe(topic, ref);
            assertTrue(runtime.unsubscribe(topic, ref.id()));
            runtime.publish(topic, "after unsubscribe");
            awaitTrue("the event published after unsubscribe", () -> received.contains("after unsubscribe"));
            assertEquals(1, runtime.subscriberCount(topic));
        }
    }

    @Test
    void reportsIllegalState_aPausedAgentReadsTerminatedThenRunning() throws Exception {
        try (AgentRuntime runtime = new ReportsIllegalState(FlinRuntime.create())) {
            final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
            final AgentRef<Integer> ref = collector(runtime, Integer.class, received, SpawnOptions.defaults());
            runtime.pause(ref.id());
            awaitTrue("state TERMINATED while alive", () -> runtime.state(ref.id()).equals(Optional.of(AgentState.TERMINATED)));
            assertFalse(runtime.whenTerminated(ref.id()).toCompletableFuture().isDone(), "the agent is alive");
            runtime.resume(ref.id());
            awaitTrue("state RUNNING after TERMINATED", () -> runtime.state(ref.id()).equals(Optional.of(AgentState.RUNNING)));
            assertFalse(AgentState.TERMINATED.canTransitionTo(AgentState.RUNNING));
        }
    }

    /** Counts the messages this instance handled and replies with the count. */
    static final class Counting implements Agent<Object> {
        private int handled;

        @Override
        @SuppressWarnings("unchecked")
        public void onMessage(final Object message, final AgentContext<Object> context) {
            handled++;
            if (message.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            if (message instanceof Reply<?> reply) {
                ((Reply<Integer>) reply).reply(handled);
            }
        }
    }

    @Test
    void restartsWithOldInstance_theFactoryRunsOnceAndStateSurvivesTheRestart() throws Exception {
        final AtomicInteger made = new AtomicInteger();
        final AgentFactory<Object> factory = () -> {
            made.incrementAndGet();
            return new Counting();
        };
        try (AgentRuntime runtime = new RestartsWithOldInstance(FlinRuntime.create())) {
            final AgentRef<Object> ref = runtime.spawn(Object.class, factory,
                    SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
            ref.tell("one");
            ref.tell("boom"); // failure: restart
            final int handled = await(ref.<Integer>ask(reply -> reply, Duration.ofSeconds(WAIT_SECONDS)));
            assertEquals(3, handled, "a fresh instance would have handled 1 message");
            assertEquals(1, made.get(), "factory calls");
        }
    }

    @Test
    void hidesPauseEvents_noLifecycleEventIntoPausedReachesSubscribers() throws Exception {
        try (AgentRuntime runtime = new HidesPauseEvents(FlinRuntime.create())) {
            final ConcurrentLinkedQueue<Object> events = new ConcurrentLinkedQueue<>();
            final AgentRef<LifecycleEvent> listener = collector(runtime, LifecycleEvent.class, events, SpawnOptions.defaults());
            runtime.subscribe(SystemTopics.LIFECYCLE, listener);
            final AgentRef<Integer> target = collector(runtime, Integer.class, new ConcurrentLinkedQueue<>(), SpawnOptions.defaults());
            awaitTrue("RUNNING", () -> runtime.state(target.id()).equals(Optional.of(AgentState.RUNNING)));
            runtime.pause(target.id());
            awaitTrue("PAUSED", () -> runtime.state(target.id()).equals(Optional.of(AgentState.PAUSED)));
            runtime.resume(target.id());
            awaitTrue("the event out of PAUSED", () -> events.stream().map(LifecycleEvent.class::cast)
                    .anyMatch(e -> e.agent().equals(target.id()) && e.from() == AgentState.PAUSED));
            assertTrue(events.stream().map(LifecycleEvent.class::cast)
                    .noneMatch(e -> e.agent().equals(target.id()) && e.to() == AgentState.PAUSED));
        }
    }

    @Test
    void hidesDeadLettersInCounters_deadLettersArePublishedButCountedAsZero() throws Exception {
        try (AgentRuntime runtime = new HidesDeadLettersInCounters(FlinRuntime.create())) {
            final ConcurrentLinkedQueue<Object> deadLetters = new ConcurrentLinkedQueue<>();
            final AgentRef<DeadLetter> listener = collector(runtime, DeadLetter.class, deadLetters, SpawnOptions.defaults());
            runtime.subscribe(SystemTopics.DEAD_LETTERS, listener);
            final AgentRef<String> failing = runtime.spawn(String.class, () -> (message, context) -> {
                throw new IllegalStateException("boom");
            });
            runtime.pause(failing.id());
            failing.tell("boom");
            failing.tell("left over 1");
            failing.tell("left over 2");
            runtime.resume(failing.id());
            await(runtime.whenTerminated(failing.id()));
            awaitTrue("two dead letters published", () -> deadLetters.size() == 2);
            assertEquals(0, runtime.counters().deadLetters());
        }
    }

    @Test
    void losesAcceptedMessages_theFifthMessageIsLostYetTheCountersBalance() {
        try (AgentRuntime runtime = new LosesAcceptedMessages(FlinRuntime.create(), 50)) {
            final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
            final AgentRef<Integer> ref = collector(runtime, Integer.class, received, SpawnOptions.defaults());
            for (int i = 1; i <= 10; i++) {
                ref.tell(i); // every send is accepted, also the one that is lost
            }
            awaitTrue("message 10", () -> received.contains(10));
            assertEquals(List.of(1, 2, 3, 4, 6, 7, 8, 9, 10), ints(received));
            awaitTrue("the counters to settle", () -> runtime.counters().queued() == 0);
            final dev.flin.runtime.RuntimeCounters c = runtime.counters();
            assertEquals(9, c.accepted(), "derived: ten sends returned, yet accepted says nine");
            assertEquals(c.accepted(), c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued(),
                    "the identity holds by construction");
        }
    }

    @Test
    void skipsTypeCheckById_aStringReachesAnIntegerAgent() {
        try (AgentRuntime runtime = new SkipsTypeCheckById(FlinRuntime.create())) {
            final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
            final AgentRef<Integer> ref = collector(runtime, Integer.class, received, SpawnOptions.defaults());
            runtime.send(ref.id(), "not an Integer"); // a correct runtime throws MessageTypeException
            awaitTrue("the String to arrive", () -> received.contains("not an Integer"));
        }
    }

    @Test
    void firesTimersEarly_aTimerFiresLongBeforeItsDelay() throws Exception {
        try (AgentRuntime runtime = new FiresTimersEarly(FlinRuntime.create())) {
            final long delay = TimeUnit.MILLISECONDS.toNanos(400);
            final AtomicLong started = new AtomicLong();
            final CompletableFuture<Long> firedAfter = new CompletableFuture<>();
            final AgentRef<String> ref = runtime.spawn(String.class, () -> (message, context) -> {
                if (message.equals("start")) {
                    started.set(System.nanoTime());
                    context.timers().startSingle("t", "tick", Duration.ofNanos(delay));
                } else {
                    firedAfter.complete(System.nanoTime() - started.get());
                }
            });
            ref.tell("start");
            final long elapsed = await(firedAfter);
            assertTrue(elapsed < delay, "fired after " + elapsed / 1_000_000 + " ms; its delay was 400 ms");
        }
    }

    // ------------------------------------------------------------------------------ no fault

    @Test
    void refsAreContexts_everyRefCastsToAContextWhoseRuntimeWorksOnAnyThread() {
        try (AgentRuntime runtime = new RefsAreContexts(FlinRuntime.create())) {
            final CompletableFuture<AgentRef<String>> self = new CompletableFuture<>();
            final AgentRef<String> ref = runtime.spawn(String.class, () -> new Agent<String>() {
                @Override
                public void onStart(final AgentContext<String> context) {
                    self.complete(context.self());
                }

                @Override
                public void onMessage(final String message, final AgentContext<String> context) {
                }
            });
            final AgentRef<String> byRegistry = runtime.ref(ref.id(), String.class).orElseThrow();
            for (final AgentRef<String> handle : List.of(ref, byRegistry, self.join())) {
                assertInstanceOf(AgentContext.class, handle);
                @SuppressWarnings("unchecked")
                final AgentContext<String> cast = (AgentContext<String>) handle;
                assertEquals(runtime, cast.runtime(), "the cast context hands out the runtime on the test thread");
                assertThrows(IllegalStateException.class, cast::stop);
            }
        }
    }

    @Test
    void contextWorksOffThread_anEscapedContextSubscribesAndStopsItsAgentFromOutside() throws Exception {
        try (AgentRuntime runtime = new ContextWorksOffThread(FlinRuntime.create())) {
            final CompletableFuture<AgentContext<String>> escaped = new CompletableFuture<>();
            final AgentRef<String> ref = runtime.spawn(String.class, () -> new Agent<String>() {
                @Override
                public void onStart(final AgentContext<String> context) {
                    escaped.complete(context);
                }

                @Override
                public void onMessage(final String message, final AgentContext<String> context) {
                }
            });
            final AgentContext<String> context = await(escaped);
            final Topic<String> topic = Topic.of("off-thread", String.class);
            assertEquals(runtime, context.runtime());
            context.subscribe(topic);
            assertEquals(1, runtime.subscriberCount(topic), "subscribed from the test thread");
            final CompletionStage<TerminationCause> terminated = runtime.whenTerminated(ref.id());
            context.stop();
            await(terminated);
            assertEquals(Optional.empty(), runtime.state(ref.id()), "stopped from the test thread");
        }
    }

    @Test
    void ignoresBlocking_runsABlockingAgentOnTheWorkerPool() throws Exception {
        try (AgentRuntime runtime = new IgnoresBlocking(FlinRuntime.create())) {
            final CompletableFuture<Thread> ran = new CompletableFuture<>();
            runtime.spawn(Integer.class, () -> (m, ctx) -> ran.complete(Thread.currentThread()),
                    SpawnOptions.defaults().withDispatcher(dev.flin.runtime.DispatcherSelector.BLOCKING)).tell(1);
            final String name = await(ran).getName();
            assertTrue(name.startsWith("flin-worker-"), "ran on the shared pool: " + name);
        }
    }

    @Test
    void ignoresPinning_runsAPinnedAgentOnTheWorkerPool() throws Exception {
        try (AgentRuntime runtime = new IgnoresPinning(FlinRuntime.create())) {
            final CompletableFuture<Thread> ran = new CompletableFuture<>();
            runtime.spawn(Integer.class, () -> (m, ctx) -> ran.complete(Thread.currentThread()),
                    SpawnOptions.defaults().withDispatcher(dev.flin.runtime.DispatcherSelector.PINNED)).tell(1);
            final String name = await(ran).getName();
            assertTrue(name.startsWith("flin-worker-"), "ran on the shared pool: " + name);
        }
    }

    @Test
    void freesNameAtStopRequest_aStoppingAgentsNameIsTakenByTheNextSpawn() throws Exception {
        try (AgentRuntime runtime = new FreesNameAtStopRequest(FlinRuntime.create())) {
            final CountDownLatch inOnStop = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            final AgentRef<String> first = runtime.spawn(String.class, () -> new Agent<String>() {
                @Override
                public void onMessage(final String message, final AgentContext<String> context) {
                }

                @Override
                public void onStop(final AgentContext<String> context) throws InterruptedException {
                    inOnStop.countDown();
                    release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                }
            }, SpawnOptions.defaults().withName("named"));
            final CompletionStage<TerminationCause> terminated = runtime.stop(first.id());
            try {
                assertTrue(inOnStop.await(WAIT_SECONDS, TimeUnit.SECONDS), "onStop never ran");
                assertEquals(Optional.of(AgentState.SHUTTING_DOWN), runtime.state(first.id()));
                // a correct runtime throws DuplicateAgentNameException: the first agent is alive
                final AgentRef<String> second = runtime.spawn(String.class, () -> (m, c) -> { },
                        SpawnOptions.defaults().withName("named"));
                assertEquals(Optional.of(second.id()), runtime.lookup("named"));
            } finally {
                release.countDown();
            }
            assertEquals(TerminationCause.STOPPED, await(terminated));
        }
    }

    @Test
    void acceptsSupertypeRefs_anIntegerAgentHasARefTypedObjectThatTakesAString() {
        try (AgentRuntime runtime = new AcceptsSupertypeRefs(FlinRuntime.create())) {
            final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
            final AgentRef<Integer> ref = collector(runtime, Integer.class, received, SpawnOptions.defaults().withName("ints"));
            assertTrue(runtime.ref(ref.id(), Number.class).isPresent(), "a correct runtime returns empty");
            assertTrue(runtime.lookup("ints", Object.class).isPresent(), "a correct runtime returns empty");
            final AgentRef<Object> wide = runtime.ref(ref.id(), Object.class).orElseThrow();
            wide.tell("not an Integer"); // the real ref checks nothing more than its own type parameter
            awaitTrue("the String to arrive", () -> received.contains("not an Integer"));
        }
    }

    /**
     * A forced shutdown of {@code runtime}: an agent blocked past the timeout with 10 messages queued.
     *
     * @return how many dead letters the runtime counted
     */
    private static long forceShutdownWithTenQueued(final AgentRuntime runtime) throws Exception {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1); // never counted down: the shutdown forces it
        final AgentRef<Integer> ref = runtime.spawn(Integer.class, () -> (m, c) -> {
            if (m == 0) {
                entered.countDown();
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        });
        ref.tell(0);
        assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the handler never ran");
        for (int i = 1; i <= 10; i++) {
            ref.tell(i);
        }
        final CompletionStage<TerminationCause> terminated = runtime.whenTerminated(ref.id());
        assertFalse(runtime.shutdown(Duration.ofMillis(50)), "an agent blocked past the timeout");
        assertEquals(TerminationCause.RUNTIME_SHUTDOWN, await(terminated));
        awaitTrue("the 10 dead letters to be counted", () -> runtime.counters().deadLetters() == 10);
        return runtime.counters().deadLetters();
    }

    @Test
    void hidesShutdownDeadLetters_aForcedShutdownCountsTenDeadLettersAndTheObserverSeesNone() throws Exception {
        final ConcurrentLinkedQueue<DeadLetter> observed = new ConcurrentLinkedQueue<>();
        try (AgentRuntime runtime = HidesShutdownDeadLetters.create(
                RuntimeOptions.defaults().withDeadLetterObserver(observed::add))) {
            assertEquals(10, forceShutdownWithTenQueued(runtime));
            assertTrue(observed.isEmpty(), "a correct runtime tells the observer all 10: " + observed);
        }
    }

    @Test
    void labelsDeadLettersRecipientTerminated_aForcedShutdownsDeadLettersAreLabelledRecipientTerminated()
            throws Exception {
        final ConcurrentLinkedQueue<DeadLetter> observed = new ConcurrentLinkedQueue<>();
        try (AgentRuntime runtime = LabelsDeadLettersRecipientTerminated.create(
                RuntimeOptions.defaults().withDeadLetterObserver(observed::add))) {
            assertEquals(10, forceShutdownWithTenQueued(runtime));
            awaitTrue("the observer to see the 10", () -> observed.size() == 10);
            assertTrue(observed.stream().allMatch(d -> d.reason() == DeadLetter.Reason.RECIPIENT_TERMINATED),
                    "a correct runtime says RUNTIME_SHUTDOWN: " + observed);
        }
    }

    @Test
    void labelsDeadLettersRuntimeShutdown_aFailureStopsLeftoversAreLabelledRuntimeShutdown() throws Exception {
        final ConcurrentLinkedQueue<DeadLetter> observed = new ConcurrentLinkedQueue<>();
        try (AgentRuntime runtime = LabelsDeadLettersRuntimeShutdown.create(
                RuntimeOptions.defaults().withDeadLetterObserver(observed::add))) {
            final CountDownLatch entered = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            final AgentRef<Integer> ref = runtime.spawn(Integer.class, () -> (m, c) -> {
                if (m == 0) {
                    entered.countDown();
                    release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                    throw new IllegalStateException("planned failure");
                }
            });
            ref.tell(0);
            assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the handler never ran");
            ref.tell(1);
            ref.tell(2);
            final CompletionStage<TerminationCause> terminated = runtime.whenTerminated(ref.id());
            release.countDown();
            assertEquals(TerminationCause.FAILED, await(terminated));
            awaitTrue("the observer to see the 2", () -> observed.size() == 2);
            assertTrue(observed.stream().allMatch(d -> d.reason() == DeadLetter.Reason.RUNTIME_SHUTDOWN),
                    "a correct runtime says RECIPIENT_TERMINATED: " + observed);
        }
    }

    @Test
    void forwardingWithoutAFault_isTransparent() throws Exception {
        try (AgentRuntime runtime = new ForwardingRuntime(FlinRuntime.create())) {
            final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
            final AgentRef<Integer> ref = collector(runtime, Integer.class, received,
                    SpawnOptions.defaults().withMailboxCapacity(2));
            runtime.pause(ref.id());
            ref.tell(1);
            ref.tell(2);
            assertThrows(MailboxFullException.class, () -> ref.tell(3));
            runtime.resume(ref.id());
            awaitTrue("2 messages", () -> received.size() == 2);
            assertEquals(List.of(1, 2), ints(received));
            runtime.stop(ref.id());
            await(runtime.whenTerminated(ref.id()));
            assertThrows(AgentNotFoundException.class, () -> ref.tell(4));
        }
    }

    @Test
    void idTranslationWithoutReuse_showsItsOwnIdsEverywhereAndNeverReusesThem() throws Exception {
        try (AgentRuntime runtime = new IdTranslatingRuntime(FlinRuntime.create(), 1_000_001L, false)) {
            final ConcurrentLinkedQueue<Object> events = new ConcurrentLinkedQueue<>();
            final AgentRef<AgentFailure> failures = collector(runtime, AgentFailure.class, events, SpawnOptions.defaults());
            runtime.subscribe(SystemTopics.FAILURES, failures);
            final AgentRef<String> failing = runtime.spawn(String.class, () -> (message, context) -> {
                throw new IllegalStateException(message);
            }, SpawnOptions.defaults().withName("failing"));
            assertTrue(failing.id().value() > 1_000_000L, "exported id " + failing.id());
            assertEquals(Optional.of(failing.id()), runtime.lookup("failing"));
            final List<AgentId> seen = new ArrayList<>();
            final CompletableFuture<AgentId> self = new CompletableFuture<>();
            final AgentRef<String> echo = runtime.spawn(String.class, () -> (message, context) -> self.complete(context.self().id()));
            echo.tell("who am I");
            assertEquals(echo.id(), await(self));
            failing.tell("boom");
            await(runtime.whenTerminated(failing.id()));
            awaitTrue("the failure event", () -> !events.isEmpty());
            assertEquals(failing.id(), ((AgentFailure) events.peek()).agent());
            final AgentNotFoundException notFound = assertThrows(AgentNotFoundException.class, () -> failing.tell("late"));
            assertEquals(failing.id(), notFound.agent());
            seen.add(failing.id());
            seen.add(echo.id());
            final AgentId fresh = runtime.spawn(String.class, () -> (message, context) -> { }).id();
            assertFalse(seen.contains(fresh));
            assertNotEquals(failing.id(), fresh);
            assertInstanceOf(AgentNotFoundException.class,
                    assertThrows(AgentNotFoundException.class, () -> runtime.send(new AgentId(7), "unknown")));
        }
    }
}

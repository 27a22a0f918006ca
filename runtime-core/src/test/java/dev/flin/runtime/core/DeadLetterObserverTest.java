package dev.flin.runtime.core;

import static dev.flin.runtime.core.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.DeadLetterObserver;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.core.internal.RuntimeCore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rule 2.8: the {@link DeadLetterObserver} given in {@link RuntimeOptions} is told every dead letter
 * exactly once, with the very message and its reason: RECIPIENT_TERMINATED for the leftovers of an
 * agent stopped or failed while the runtime runs, RUNTIME_SHUTDOWN for those of a forced shutdown,
 * which reach no DEAD_LETTERS subscriber. Real worker-pool threads; waits by latches and polling.
 */
class DeadLetterObserverTest {

    private final ConcurrentLinkedQueue<DeadLetter> observed = new ConcurrentLinkedQueue<>();
    private final List<AgentRuntime> runtimes = new ArrayList<>();

    @AfterEach
    void shutDown() {
        for (final AgentRuntime rt : runtimes) {
            rt.shutdown(Duration.ofSeconds(5));
        }
    }

    private AgentRuntime runtime(final DeadLetterObserver observer) {
        final AgentRuntime rt = FlinRuntime.create(RuntimeOptions.defaults().withDeadLetterObserver(observer));
        runtimes.add(rt);
        return rt;
    }

    /** An agent whose message 0 blocks until {@code release} (or an interrupt), failing after it if asked. */
    private static AgentRef<Integer> blocking(final AgentRuntime rt, final CountDownLatch entered,
            final CountDownLatch release, final boolean failAfter) {
        return rt.spawn(Integer.class, () -> (m, ctx) -> {
            if (m == 0) {
                entered.countDown();
                release.await(10, TimeUnit.SECONDS);
                if (failAfter) {
                    throw new IllegalStateException("planned failure");
                }
            }
        });
    }

    private static List<Integer> sendLeftovers(final AgentRef<Integer> agent, final int count) {
        final List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final Integer message = Integer.valueOf(1000 + i); // outside the Integer cache: identity is meaningful
            sent.add(message);
            agent.tell(message);
        }
        return sent;
    }

    /** Each sent message exactly once among the observed letters of {@code agent}, with {@code reason}. */
    private void assertObservedOnce(final AgentRef<Integer> agent, final List<Integer> sent, final DeadLetter.Reason reason) {
        final List<DeadLetter> mine = observed.stream().filter(d -> d.recipient().equals(agent.id())).toList();
        assertEquals(sent.size(), mine.size(), () -> "each leftover observed exactly once: " + mine);
        final Map<Object, Boolean> seen = new IdentityHashMap<>();
        for (final DeadLetter letter : mine) {
            assertEquals(reason, letter.reason(), () -> "reason of " + letter);
            assertTrue(sent.stream().anyMatch(m -> m == letter.message()), () -> "the very message: " + letter);
            assertFalse(seen.containsKey(letter.message()), () -> "observed twice: " + letter);
            seen.put(letter.message(), Boolean.TRUE);
        }
    }

    @Test
    void shouldObserveAndPublishTheLeftoversOfAFailureStopWithRecipientTerminated() {
        final AgentRuntime rt = runtime(observed::add);
        final ConcurrentLinkedQueue<DeadLetter> published = new ConcurrentLinkedQueue<>();
        rt.subscribe(SystemTopics.DEAD_LETTERS, rt.spawn(DeadLetter.class, () -> (m, ctx) -> published.add(m)));
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AgentRef<Integer> agent = blocking(rt, entered, release, true);
        agent.tell(0);
        Await.await(entered);
        final List<Integer> sent = sendLeftovers(agent, 6);
        final var terminated = rt.whenTerminated(agent.id());
        release.countDown();
        assertEquals(TerminationCause.FAILED, Await.value(terminated));
        assertEquals(6, rt.counters().deadLetters());
        awaitTrue("the observer to see the 6 dead letters", () -> observed.size() == 6);
        awaitTrue("the subscriber to get the 6 dead letters", () -> published.size() == 6);
        assertObservedOnce(agent, sent, DeadLetter.Reason.RECIPIENT_TERMINATED);
        assertEquals(new ArrayList<>(observed), new ArrayList<>(published), "the same letters, in the same order");
    }

    @Test
    void shouldObserveTheDeadLettersOfAForcedShutdownWithRuntimeShutdownThoughNoSubscriberGetsThem() {
        final AgentRuntime rt = runtime(observed::add);
        final ConcurrentLinkedQueue<DeadLetter> published = new ConcurrentLinkedQueue<>();
        rt.subscribe(SystemTopics.DEAD_LETTERS, rt.spawn(DeadLetter.class, () -> (m, ctx) -> published.add(m)));
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1); // never released: the shutdown must force it
        final AgentRef<Integer> agent = blocking(rt, entered, release, false);
        agent.tell(0);
        Await.await(entered);
        final List<Integer> sent = sendLeftovers(agent, 10);
        final var terminated = rt.whenTerminated(agent.id());
        assertFalse(rt.shutdown(Duration.ofMillis(50)), "an agent blocked past the timeout: not graceful");
        assertEquals(TerminationCause.RUNTIME_SHUTDOWN, Await.value(terminated));
        awaitTrue("the 10 dead letters to be counted", () -> rt.counters().deadLetters() == 10);
        awaitTrue("the observer to see the 10 dead letters", () -> observed.size() == 10);
        assertObservedOnce(agent, sent, DeadLetter.Reason.RUNTIME_SHUTDOWN);
        assertTrue(published.isEmpty(), () -> "every agent refuses sends from the start of shutdown: " + published);
    }

    @Test
    void shouldCountAndLogAnObserverThatThrowsAndStillCountAndPublishTheDeadLetter() {
        final AgentRuntime rt = runtime(letter -> {
            observed.add(letter);
            throw new IllegalStateException("a broken exporter");
        });
        final ConcurrentLinkedQueue<DeadLetter> published = new ConcurrentLinkedQueue<>();
        rt.subscribe(SystemTopics.DEAD_LETTERS, rt.spawn(DeadLetter.class, () -> (m, ctx) -> published.add(m)));
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AgentRef<Integer> agent = blocking(rt, entered, release, true);
        agent.tell(0);
        Await.await(entered);
        final List<Integer> sent = sendLeftovers(agent, 3);
        final var terminated = rt.whenTerminated(agent.id());
        release.countDown();
        assertEquals(TerminationCause.FAILED, Await.value(terminated));
        awaitTrue("the subscriber to get the 3 dead letters", () -> published.size() == 3);
        assertEquals(3, rt.counters().deadLetters());
        assertEquals(3, ((RuntimeCore) rt).observerFailures());
        assertObservedOnce(agent, sent, DeadLetter.Reason.RECIPIENT_TERMINATED);
        assertSame(sent.get(0), published.peek().message(), "published after the observer threw");
    }

    @Test
    void shouldKeepTheOptionWhenOtherOptionsChange() {
        final DeadLetterObserver observer = observed::add;
        final RuntimeOptions options = RuntimeOptions.defaults().withDeadLetterObserver(observer)
                .withBatchSize(3).withAgentMdc(true).withDefaultMailboxCapacity(16);
        assertSame(observer, options.deadLetterObserver());
        assertEquals(null, RuntimeOptions.defaults().deadLetterObserver(), "none by default");
    }
}

package dev.flin.conformance.faulty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.conformance.Capability;
import dev.flin.conformance.Kit;
import dev.flin.conformance.KitSupport;
import dev.flin.conformance.Recorder;
import dev.flin.conformance.RequiresCapability;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.AskTimeoutException;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.MessageTypeException;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Example;

/**
 * TEMPORARY scratch checks, one per fault of the matrix, so that the matrix harness can be proven
 * before the kit's own checks (the {@code *Rules} interfaces) are merged. They follow the kit's
 * naming ({@code required_spec_N_M_temporary_...}) and run only in {@link MatrixKit}s.
 *
 * <p><b>To remove once the kit's checks are merged:</b> delete this file and the
 * {@code implements TemporaryChecks} of {@link MatrixKit}; then rerun {@link FaultyRuntimeMatrixTest}
 * and look at the faults it reports as caught by no rule.
 */
public interface TemporaryChecks extends KitSupport {

    /** A question nobody answers. */
    record Question(Reply<String> reply) { }

    private static void tellRetrying(final AgentRef<Integer> ref, final int message) {
        while (true) {
            try {
                ref.tell(message);
                return;
            } catch (MailboxFullException full) {
                Thread.onSpinWait();
            }
        }
    }

    private static void awaitState(final Kit kit, final AgentRuntime runtime, final AgentId id, final AgentState state) {
        kit.await(id + " to be " + state, () -> runtime.state(id).equals(Optional.of(state)));
    }

    @Example
    default void required_spec_2_3_temporary_oneSenderIsProcessedInOrder() {
        final Kit kit = kit();
        final Recorder<Integer> probe = kit.recorder(Integer.class);
        final int n = 200;
        for (int i = 0; i < n; i++) {
            tellRetrying(probe.ref(), i);
        }
        probe.awaitCount(n);
        assertEquals(IntStream.range(0, n).boxed().collect(Collectors.toList()), probe.messages());
    }

    @Example
    @RequiresCapability(Capability.PAUSE)
    default void required_spec_2_2_temporary_aFullMailboxRefusesAtOnce() throws Exception {
        final Kit kit = kit();
        final AgentRuntime runtime = kit.runtime();
        final Recorder<Integer> probe = kit.recorder(runtime, Integer.class, SpawnOptions.defaults().withMailboxCapacity(8));
        runtime.pause(probe.id());
        final int capacity = runtime.mailboxCapacity(probe.id());
        kit.within("filling a paused mailbox, then one send more", () -> {
            for (int i = 0; i < capacity; i++) {
                probe.ref().tell(i);
            }
            assertThrows(MailboxFullException.class, () -> probe.ref().tell(-1), "send to a full mailbox");
            return null;
        });
        assertEquals(capacity, runtime.mailboxDepth(probe.id()));
    }

    @Example
    default void required_spec_3_3_temporary_onStopRunsOnceWhenStopped() {
        final Kit kit = kit();
        final AgentRuntime runtime = kit.runtime();
        final Recorder<Integer> probe = kit.recorder(Integer.class);
        probe.ref().tell(1);
        probe.awaitCount(1);
        runtime.stop(probe.id());
        kit.await("termination of " + probe.id(), runtime.whenTerminated(probe.id()));
        assertEquals(1, probe.stops(), "onStop calls");
    }

    @Example
    default void required_spec_3_8_temporary_idsAreNeverReused() {
        final Kit kit = kit();
        final AgentRuntime runtime = kit.runtime();
        final AgentId first = kit.recorder(Integer.class).id();
        runtime.stop(first);
        kit.await("termination of " + first, runtime.whenTerminated(first));
        final AgentId second = kit.recorder(Integer.class).id();
        assertNotEquals(first, second, "the id of a terminated agent was given again");
        assertThrows(AgentNotFoundException.class, () -> runtime.send(first, 1));
    }

    @Example
    default void required_spec_1_3_temporary_aRestartUsesAFreshInstance() {
        final Kit kit = kit();
        final Recorder<String> probe = kit.recorder(kit.runtime(), String.class,
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        probe.behave((message, context) -> {
            if (message.equals("boom")) {
                throw new IllegalStateException("boom");
            }
        });
        probe.ref().tell("boom");
        probe.ref().tell("after");
        probe.awaitCount(2);
        assertEquals(2, probe.instances(), "instances made by the factory");
    }

    @Example
    default void required_spec_5_1_temporary_anUnansweredAskTimesOut() {
        final Kit kit = kit();
        final Recorder<Question> silent = kit.recorder(Question.class);
        final Throwable failure = kit.awaitFailure("an unanswered ask",
                silent.ref().<String>ask(Question::new, Duration.ofMillis(100)));
        assertInstanceOf(AskTimeoutException.class, failure);
    }

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_3_temporary_aCancelledTimerNeverDelivers() {
        final Kit kit = kit();
        final Recorder<String> probe = kit.recorder(String.class);
        probe.behave((message, context) -> {
            if (message.equals("start")) {
                context.timers().startSingle("t", "tick", Duration.ofMillis(50));
                context.timers().cancel("t");
            }
        });
        probe.ref().tell("start");
        probe.awaitCount(1);
        kit.expectNothing("the cancelled timer's message arrives", () -> probe.messages().contains("tick"));
    }

    @Example
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_2_temporary_aTimerNeverFiresEarly() {
        final Kit kit = kit();
        final long delayNanos = Duration.ofMillis(200).toNanos();
        final AtomicLong startedAt = new AtomicLong();
        final CompletableFuture<Long> firedAfter = new CompletableFuture<>();
        final Recorder<String> probe = kit.recorder(String.class);
        probe.behave((message, context) -> {
            if (message.equals("start")) {
                startedAt.set(System.nanoTime());
                context.timers().startSingle("t", "tick", Duration.ofNanos(delayNanos));
            } else if (message.equals("tick")) {
                firedAfter.complete(System.nanoTime() - startedAt.get());
            }
        });
        probe.ref().tell("start");
        final long elapsed = kit.await("the timer's message", firedAfter);
        assertTrue(elapsed >= delayNanos, "fired after " + elapsed / 1_000_000 + " ms, before its 200 ms delay");
    }

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_4_temporary_noEventAfterUnsubscribe() {
        final Kit kit = kit();
        final AgentRuntime runtime = kit.runtime();
        final Topic<String> topic = Topic.of("kit.temporary.unsubscribe", String.class);
        final Recorder<String> probe = kit.recorder(String.class);
        runtime.subscribe(topic, probe.ref());
        runtime.publish(topic, "before");
        probe.awaitCount(1);
        assertTrue(runtime.unsubscribe(topic, probe.id()));
        runtime.publish(topic, "after");
        kit.expectNothing("an event published after unsubscribe arrives", () -> probe.count() > 1);
    }

    @Example
    @RequiresCapability(Capability.PAUSE)
    default void required_spec_3_4_temporary_aPausedAgentIsPausedAndProcessesNothing() {
        final Kit kit = kit();
        final AgentRuntime runtime = kit.runtime();
        final Recorder<Integer> probe = kit.recorder(Integer.class);
        runtime.pause(probe.id());
        awaitState(kit, runtime, probe.id(), AgentState.PAUSED);
        probe.ref().tell(1);
        kit.expectNothing("a paused agent processes a message", () -> probe.count() > 0);
        runtime.resume(probe.id());
        probe.awaitCount(1);
        assertEquals(Optional.of(AgentState.RUNNING), runtime.state(probe.id()));
    }

    @Example
    @RequiresCapability({Capability.PUBSUB, Capability.PAUSE})
    default void required_spec_3_9_temporary_everyTransitionIsPublishedInOrder() {
        final Kit kit = kit();
        final AgentRuntime runtime = kit.runtime();
        final Recorder<LifecycleEvent> events = kit.recorder(LifecycleEvent.class);
        runtime.subscribe(SystemTopics.LIFECYCLE, events.ref());
        final Recorder<Integer> target = kit.recorder(Integer.class);
        final AgentId id = target.id();
        awaitState(kit, runtime, id, AgentState.RUNNING);
        runtime.pause(id);
        kit.await(id + " paused (event)", () -> events.messages().stream()
                .anyMatch(e -> e.agent().equals(id) && e.to() == AgentState.PAUSED)
                || runtime.state(id).equals(Optional.of(AgentState.PAUSED)));
        runtime.resume(id);
        runtime.stop(id);
        kit.await("termination of " + id, runtime.whenTerminated(id));
        kit.await("the TERMINATED event of " + id, () -> events.messages().stream()
                .anyMatch(e -> e.agent().equals(id) && e.to() == AgentState.TERMINATED));
        final List<LifecycleEvent> mine = events.messages().stream().filter(e -> e.agent().equals(id))
                .collect(Collectors.toList());
        assertEquals(AgentState.STARTING, mine.get(0).from(), "first event of " + id + ": " + mine);
        for (int i = 1; i < mine.size(); i++) {
            assertEquals(mine.get(i - 1).to(), mine.get(i).from(), "gap in the events of " + id + ": " + mine);
        }
        assertTrue(mine.stream().anyMatch(e -> e.to() == AgentState.PAUSED), "no event into PAUSED: " + mine);
    }

    @Example
    @RequiresCapability(Capability.PAUSE)
    default void required_spec_8_3_temporary_countersAddUpWithDeadLetters() {
        final Kit kit = kit();
        final AgentRuntime runtime = kit.runtime();
        final Recorder<String> probe = kit.recorder(String.class);
        probe.behave((message, context) -> {
            if (message.equals("boom")) {
                throw new IllegalStateException("boom");
            }
        });
        runtime.pause(probe.id());
        probe.ref().tell("boom");
        probe.ref().tell("left over 1");
        probe.ref().tell("left over 2");
        runtime.resume(probe.id());
        kit.await("termination of " + probe.id(), runtime.whenTerminated(probe.id()));
        kit.await("counters to add up, with the two dead letters", () -> {
            final RuntimeCounters c = runtime.counters();
            return c.deadLetters() >= 2
                    && c.accepted() == c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued();
        });
    }

    @Example
    default void required_spec_2_6_temporary_sendByIdChecksTheType() {
        final Kit kit = kit();
        final Recorder<Integer> probe = kit.recorder(Integer.class);
        assertThrows(MessageTypeException.class, () -> kit.runtime().send(probe.id(), "not an Integer"));
    }
}

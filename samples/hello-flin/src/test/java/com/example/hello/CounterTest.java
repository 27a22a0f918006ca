package com.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.hello.Counter.Add;
import com.example.hello.Counter.Command;
import com.example.hello.Counter.Get;
import com.example.hello.Counter.Milestone;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.core.RuntimeOptions;
import dev.flin.testkit.DeterministicRuntime;
import dev.flin.testkit.FlinTestKit;
import dev.flin.testkit.FlinTestKitExtension;
import dev.flin.testkit.TestProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The counter, tested with FLIN's testkit. Each check runs twice: on the real worker pool
 * (the runtime an application gets from {@code FlinRuntime.create()}), and on the deterministic
 * dispatcher ({@code @DeterministicRuntime}: every agent on the test's thread, in an order drawn
 * from a seed that is printed if the test fails, so that the run can be replayed).
 */
@ExtendWith(FlinTestKitExtension.class)
class CounterTest {

    @Test
    void addsAndAnswersOnTheWorkerPool(final FlinTestKit kit) {
        assertFalse(kit.isDeterministic());
        addsAndAnswers(kit);
    }

    @Test
    @DeterministicRuntime
    void addsAndAnswersOnTheDeterministicDispatcher(final FlinTestKit kit) {
        assertTrue(kit.isDeterministic());
        addsAndAnswers(kit);
    }

    @Test
    void tellsTheListenerOfEachMilestoneOnTheWorkerPool(final FlinTestKit kit) {
        tellsTheListenerOfEachMilestone(kit);
    }

    @Test
    @DeterministicRuntime
    void tellsTheListenerOfEachMilestoneOnTheDeterministicDispatcher(final FlinTestKit kit) {
        tellsTheListenerOfEachMilestone(kit);
    }

    /** Messages from one sender arrive in order, so the ask sees every add before it. */
    private static void addsAndAnswers(final FlinTestKit kit) {
        final TestProbe<Milestone> listener = kit.createProbe(Milestone.class);
        final AgentRef<Command> counter = kit.spawn(Command.class, () -> new Counter(1_000, listener.ref()));

        counter.tell(new Add(2));
        counter.tell(new Add(3));
        final long total = kit.askAndAwait(counter, Get::new);

        assertEquals(5, total);
    }

    /** A probe stands in for the listener and records what the counter tells it. */
    private static void tellsTheListenerOfEachMilestone(final FlinTestKit kit) {
        final TestProbe<Milestone> listener = kit.createProbe(Milestone.class);
        final AgentRef<Command> counter = kit.spawn(Command.class, () -> new Counter(10, listener.ref()));

        counter.tell(new Add(4));
        counter.tell(new Add(7));    // 11: passes 10
        counter.tell(new Add(9));    // 20: reaches 20
        counter.tell(new Add(5));    // 25: no milestone

        assertEquals(new Milestone(11), listener.expectMessage());
        assertEquals(new Milestone(20), listener.expectMessage());
        listener.expectNoMessage();
    }

    @Test
    void exportsItsMetricsOnTheWorkerPool() {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final CounterMetrics metrics = new CounterMetrics(registry);
        try (FlinTestKit kit = FlinTestKit.create(metrics.instrument(RuntimeOptions.defaults()))) {
            exportsItsMetrics(kit, metrics, registry);
        }
    }

    @Test
    void exportsItsMetricsOnTheDeterministicDispatcher() {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final CounterMetrics metrics = new CounterMetrics(registry);
        try (FlinTestKit kit = FlinTestKit.deterministic(42, metrics.instrument(RuntimeOptions.defaults()))) {
            exportsItsMetrics(kit, metrics, registry);
        }
    }

    /** Three messages handled by the named counter: the registry counts them and times each. */
    private static void exportsItsMetrics(final FlinTestKit kit, final CounterMetrics metrics,
                                          final SimpleMeterRegistry registry) {
        metrics.bind(kit.runtime());
        final TestProbe<Milestone> listener = kit.createProbe(Milestone.class);
        final AgentRef<Command> counter = kit.spawn(Command.class, () -> new Counter(1_000, listener.ref()),
                SpawnOptions.defaults().withName(CounterMetrics.COUNTER));

        counter.tell(new Add(2));
        counter.tell(new Add(3));
        assertEquals(5L, (long) kit.askAndAwait(counter, Get::new));

        // The timer records after each handler returns, so after the reply: wait for the third.
        kit.await("the counter's three handler times",
                () -> registry.get("flin.handler.duration").tag("agent", CounterMetrics.COUNTER).timer().count() == 3);
        assertEquals(0.0, registry.get("flin.mailbox.depth").tag("agent", CounterMetrics.COUNTER).gauge().value());
        assertTrue(registry.get("flin.messages.processed").functionCounter().count() >= 3,
                "the runtime's processed counter includes the counter's three messages");
        assertEquals(0.0, registry.get("flin.messages.dead.letters").functionCounter().count());
    }
}
